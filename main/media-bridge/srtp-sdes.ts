// SRTP and SRTCP keyed by SDES (RFC 4568) for the pool leg: werift's AES-CM/HMAC-SHA1-80 contexts, with the MKI SfB may add.
import { ProtectionProfileAes128CmHmacSha1_80, SrtcpSession, SrtpSession } from 'werift'
import { BridgeFault } from './fault'
import { readRtp } from './rtp-bytes'
import type { SdesKey } from './sdes'

/** RFC 3711 4.2: the HMAC-SHA1 tag of AES_CM_128_HMAC_SHA1_80 is 80 bits. */
const authTagLength = 10

/**
 * One direction pair of SRTP/SRTCP for a media section: protects with `send` (the key this side wrote in
 * a=crypto) and unprotects with `receive` (the peer's). Only AES_CM_128_HMAC_SHA1_80 (what SfB offers first).
 * With an MKI (RFC 4568 6.1), every packet carries its bytes between the encrypted part and the auth tag
 * (RFC 3711 3.1, 3.4); a packet with another MKI is refused. Errors: BridgeFault SrtpAuthenticationFailed
 * or SrtpUnknownMki (the packet is dropped by the caller; one bad packet is not a failed call).
 */
export class SdesSrtp {
  readonly #srtp: SrtpSession
  readonly #srtcp: SrtcpSession
  readonly #sendMki: Buffer | null
  readonly #receiveMki: Buffer | null

  constructor(send: SdesKey, receive: SdesKey) {
    for (const k of [send, receive]) if (k.suite !== 'AES_CM_128_HMAC_SHA1_80') throw new BridgeFault('SrtpAuthenticationFailed', `The bridge keys only AES_CM_128_HMAC_SHA1_80, not ${k.suite}.`)
    const keys = { localMasterKey: send.keySalt.subarray(0, 16), localMasterSalt: send.keySalt.subarray(16, 30), remoteMasterKey: receive.keySalt.subarray(0, 16), remoteMasterSalt: receive.keySalt.subarray(16, 30) }
    this.#srtp = new SrtpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 })
    this.#srtcp = new SrtcpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 })
    this.#sendMki = mkiBytes(send)
    this.#receiveMki = mkiBytes(receive)
  }

  /** A plain RTP packet (RFC 3550 5.1, at least 12 bytes) → its SRTP form. */
  protectRtp(rtp: Buffer): Buffer {
    const packet = readRtp(rtp)
    return this.#withMki(this.#srtp.encrypt(packet.payload, packet.header))
  }

  /** An SRTP packet → the plain RTP packet; throws BridgeFault when its tag or MKI is wrong. */
  unprotectRtp(srtp: Buffer): Buffer {
    return guard('SRTP', () => this.#srtp.decrypt(this.#withoutMki(srtp)))
  }

  /** A plain (compound) RTCP packet → SRTCP, encrypted, with its index (RFC 3711 3.4). */
  protectRtcp(rtcp: Buffer): Buffer {
    return this.#withMki(this.#srtcp.encrypt(rtcp))
  }

  unprotectRtcp(srtcp: Buffer): Buffer {
    return guard('SRTCP', () => this.#srtcp.decrypt(this.#withoutMki(srtcp)))
  }

  #withMki(packet: Buffer): Buffer {
    if (!this.#sendMki) return packet
    const at = packet.length - authTagLength
    return Buffer.concat([packet.subarray(0, at), this.#sendMki, packet.subarray(at)])
  }

  #withoutMki(packet: Buffer): Buffer {
    const mki = this.#receiveMki
    if (!mki) return packet
    const at = packet.length - authTagLength - mki.length
    if (at < 12 || !packet.subarray(at, at + mki.length).equals(mki)) throw new BridgeFault('SrtpUnknownMki', 'A media packet from the other side carried a key identifier (MKI) its offer did not give.')
    return Buffer.concat([packet.subarray(0, at), packet.subarray(at + mki.length)])
  }
}

/** RFC 4568 6.1: the MKI value written big-endian in its declared byte length. */
function mkiBytes(key: SdesKey): Buffer | null {
  if (!key.mki) return null
  const out = Buffer.alloc(key.mki.length)
  let v = BigInt(key.mki.value)
  for (let i = out.length - 1; i >= 0 && v > 0n; i--, v >>= 8n) out[i] = Number(v & 0xffn)
  return out
}

function guard(what: string, run: () => Buffer): Buffer {
  try {
    return run()
  } catch (e) {
    if (e instanceof BridgeFault) throw e
    throw new BridgeFault('SrtpAuthenticationFailed', `A ${what} packet from the other side failed authentication: the encryption keys do not match.`)
  }
}
