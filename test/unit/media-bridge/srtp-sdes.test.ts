// SDES-keyed SRTP: RFC 3711 packet layout with the MKI between the encrypted part and the tag; the wrong key or MKI a typed fault.
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, RtpPacket, SrtpSession } from 'werift'
import { describe, expect, it } from 'vitest'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'
import { SdesSrtp } from '../../../main/media-bridge/srtp-sdes'

const plain = new RtpPacket(new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: 7, timestamp: 1120, ssrc: 0xabc }), Buffer.alloc(160, 0x55)).serialize()

function session(send: SdesKey, receive: SdesKey): SrtpSession {
  const keys = { localMasterKey: send.keySalt.subarray(0, 16), localMasterSalt: send.keySalt.subarray(16), remoteMasterKey: receive.keySalt.subarray(0, 16), remoteMasterSalt: receive.keySalt.subarray(16) }
  return new SrtpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 })
}

describe('SdesSrtp', () => {
  it('without MKI: header, encrypted payload and an 80-bit tag (RFC 3711 3.1), readable by any SRTP stack with the same key', () => {
    const a = newSdesKey(1)
    const b = newSdesKey(1)
    const wire = new SdesSrtp(a, b).protectRtp(plain)
    expect(wire.length).toBe(plain.length + 10)
    expect(wire.subarray(12, 172).equals(plain.subarray(12))).toBe(false)
    expect(session(b, a).decrypt(wire).equals(plain)).toBe(true)
  })

  it('with MKI 1:4, the four MKI bytes sit before the tag of every packet, and the peer strips them', () => {
    const a: SdesKey = { ...newSdesKey(1), mki: { value: 1, length: 4 } }
    const b = newSdesKey(1)
    const wire = new SdesSrtp(a, b).protectRtp(plain)
    expect(wire.length).toBe(plain.length + 4 + 10)
    expect([...wire.subarray(wire.length - 14, wire.length - 10)]).toEqual([0, 0, 0, 1])
    expect(new SdesSrtp(b, a).unprotectRtp(wire).equals(plain)).toBe(true)
    const rtcp = Buffer.from([0x80, 201, 0, 1, 0, 0, 0x0a, 0xbc])
    expect(new SdesSrtp(b, a).unprotectRtcp(new SdesSrtp(a, b).protectRtcp(rtcp)).equals(rtcp)).toBe(true)
  })

  it('another MKI than a=crypto gave is SrtpUnknownMki; another key is SrtpAuthenticationFailed', () => {
    const a: SdesKey = { ...newSdesKey(1), mki: { value: 1, length: 1 } }
    const b = newSdesKey(1)
    const wire = new SdesSrtp(a, b).protectRtp(plain)
    expect(() => new SdesSrtp(b, { ...a, mki: { value: 2, length: 1 } }).unprotectRtp(wire)).toThrow(expect.objectContaining({ reason: 'SrtpUnknownMki', subcode: 'MediaFailure' }))
    expect(() => new SdesSrtp(b, { ...newSdesKey(1), mki: a.mki! }).unprotectRtp(wire)).toThrow(expect.objectContaining({ reason: 'SrtpAuthenticationFailed', code: 'LocalFailure' }))
  })
})
