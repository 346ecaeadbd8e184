// The relay's rewriting: payload type and SSRC per step 1's maps, PACSI stripped for the renderer, PLI both ways.
import { RtpPacket } from 'werift'
import { addPacsi, stripPacsi } from './pacsi'
import type { BridgeDescriptions } from './translate'

type Kind = 'audio' | 'video'

/** RFC 4585 6.1: payload-specific feedback is RTCP packet type 206, PLI its FMT 1. */
const psfb = 206
const pliFmt = 1

/**
 * Rewrites packets between the legs with the maps bridgeDescriptions gave: a packet whose payload type is not
 * in the map is dropped (the other side never agreed to it). H.264 toward the pool gets a PACSI at the start of
 * each access unit (pacsi.ts). Sequence numbers are renumbered per direction and
 * kind so a dropped PACSI-only packet leaves no gap the renderer would take for loss.
 */
export class Relay {
  readonly #toWebrtc = new Map<string, number>()
  readonly #toSfb = new Map<string, number>()
  readonly #seq = new Map<string, { offset: number }>()
  /** per kind toward the pool: whether the next packet starts an access unit (the previous one had the marker bit) */
  readonly #frameStart = new Map<Kind, boolean>()

  constructor(readonly maps: Pick<BridgeDescriptions, 'payloadMap' | 'ssrcMap'>) {
    for (const m of maps.payloadMap) {
      this.#toWebrtc.set(`${m.kind}/${m.sfb}`, m.webrtc)
      this.#toSfb.set(`${m.kind}/${m.webrtc}`, m.sfb)
    }
  }

  /** A decrypted pool packet → the packet for the renderer (its payload type, the bridge's WebRTC SSRC), or null to drop. */
  toRenderer(kind: Kind, plain: Buffer): RtpPacket | null {
    const packet = RtpPacket.deSerialize(plain)
    const pt = this.#toWebrtc.get(`${kind}/${packet.header.payloadType}`)
    if (pt === undefined) return null
    const codec = this.maps.payloadMap.find((m) => m.kind === kind && m.webrtc === pt)!.codec
    // per source: a conference's sources go to the renderer on sections of their own, each with its own numbering
    const key = `r/${kind}/${packet.header.ssrc}`
    if (codec === 'H264') {
      const payload = stripPacsi(packet.payload)
      if (!payload) return this.#skip(key)
      packet.payload = payload
    }
    packet.header.payloadType = pt
    packet.header.ssrc = this.maps.ssrcMap.find((s) => s.kind === kind)!.webrtc
    packet.header.sequenceNumber = this.#renumber(key, packet.header.sequenceNumber)
    return packet
  }

  /** A renderer packet → plain RTP bytes for the pool (SfB payload type, the first SSRC of the bridge's x-ssrc-range), or null. */
  toPool(kind: Kind, packet: RtpPacket): Buffer | null {
    const pt = this.#toSfb.get(`${kind}/${packet.header.payloadType}`)
    if (pt === undefined) return null
    const out = packet.clone()
    if (this.maps.payloadMap.some((m) => m.kind === kind && m.sfb === pt && m.codec === 'H264')) {
      if (this.#frameStart.get(kind) ?? true) out.payload = addPacsi(out.payload, { last: out.header.marker }) ?? out.payload
      this.#frameStart.set(kind, out.header.marker)
    }
    out.header.payloadType = pt
    out.header.ssrc = this.maps.ssrcMap.find((s) => s.kind === kind)!.sfb.first
    return out.serialize()
  }

  /** An RTCP PLI (RFC 4585 6.3.1) from the bridge's pool SSRC for the pool's media SSRC: what a picture-loss request toward the pool is. */
  pliToPool(kind: Kind, mediaSsrc: number): Buffer {
    const b = Buffer.alloc(12)
    b[0] = 0x80 | pliFmt
    b[1] = psfb
    b.writeUInt16BE(2, 2)
    b.writeUInt32BE(this.maps.ssrcMap.find((s) => s.kind === kind)!.sfb.first, 4)
    b.writeUInt32BE(mediaSsrc >>> 0, 8)
    return b
  }

  #skip(key: string): null {
    const s = this.#seq.get(key) ?? { offset: 0 }
    s.offset = (s.offset + 1) & 0xffff
    this.#seq.set(key, s)
    return null
  }

  #renumber(key: string, seq: number): number {
    return (seq - (this.#seq.get(key)?.offset ?? 0)) & 0xffff
  }
}

/** Whether a (compound) RTCP packet holds a PLI (RFC 4585 6.3.1), walking its packets by their length fields. */
export function hasPli(rtcp: Buffer): boolean {
  for (let at = 0; at + 4 <= rtcp.length; at += (rtcp.readUInt16BE(at + 2) + 1) * 4) {
    if (rtcp[at + 1] === psfb && (rtcp[at]! & 0x1f) === pliFmt) return true
  }
  return false
}
