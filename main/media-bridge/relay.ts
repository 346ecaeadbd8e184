// The relay's rewriting: payload type and SSRC per step 1's maps, PACSI stripped for the renderer, PLI both ways.
import type { RtpPacket } from 'werift'
import { addPacsi, stripPacsi } from './pacsi'
import { readRtp, writeRtp } from './rtp-bytes'
import type { BridgeDescriptions } from './translate'

type Kind = 'audio' | 'video'

/** RFC 4585 6.1: payload-specific feedback is RTCP packet type 206, PLI its FMT 1. */
const psfb = 206
const pliFmt = 1

/** One kind's rewriting, built once per plan: payload types indexed by number (7 bits, RFC 3550 5.1), -1 where not agreed. */
class Route {
  readonly toWebrtc = new Int16Array(128).fill(-1)
  readonly toSfb = new Int16Array(128).fill(-1)
  /** 1 where the payload type (WebRTC's, SfB's) is H.264's */
  readonly h264Webrtc = new Uint8Array(128)
  readonly h264Sfb = new Uint8Array(128)
  /** per pool SSRC (a conference's sources each have their own numbering): its PACSI-only packets dropped so far, mod 2^16 */
  readonly dropped = new Map<number, number>()
  /** toward the pool: whether the next packet starts an access unit (the previous one had the marker bit) */
  frameStart = true

  constructor(
    readonly webrtcSsrc: number,
    readonly sfbSsrc: number,
  ) {}
}

/**
 * Rewrites packets between the legs with the maps bridgeDescriptions gave: a packet whose payload type is not
 * in the map is dropped (the other side never agreed to it). H.264 toward the pool gets a PACSI at the start of
 * each access unit (pacsi.ts). Sequence numbers toward the renderer are renumbered per kind and source so a dropped
 * PACSI-only packet leaves no gap the renderer would take for loss. The maps are turned into tables once, here: a
 * packet costs table look-ups, one header object toward the renderer (werift's sender takes an RtpPacket) and one
 * buffer toward the pool, and neither copies nor changes what it was given.
 */
export class Relay {
  readonly #routes: Partial<Record<Kind, Route>> = {}

  constructor(readonly maps: Pick<BridgeDescriptions, 'payloadMap' | 'ssrcMap'>) {
    for (const s of maps.ssrcMap) this.#routes[s.kind] = new Route(s.webrtc, s.sfb.first)
    for (const m of maps.payloadMap) {
      const route = this.#routes[m.kind]
      if (!route) continue // a kind without SSRCs is not carried
      route.toWebrtc[m.sfb] = m.webrtc
      route.toSfb[m.webrtc] = m.sfb
      if (m.codec === 'H264') route.h264Sfb[m.sfb] = 1
    }
    // toward the renderer a WebRTC payload type's codec is its first entry's: written last to first
    for (const m of [...maps.payloadMap].reverse()) {
      const route = this.#routes[m.kind]
      if (route) route.h264Webrtc[m.webrtc] = m.codec === 'H264' ? 1 : 0
    }
  }

  /**
   * A decrypted pool packet (RFC 3550 5.1 bytes) → the packet for the renderer (its payload type, the bridge's WebRTC SSRC),
   * or null to drop. Its payload is a view of `plain`, which is not changed.
   */
  toRenderer(kind: Kind, plain: Buffer): RtpPacket | null {
    const route = this.#routes[kind]
    if (!route || plain.length < 12) return null
    const pt = route.toWebrtc[plain[1]! & 0x7f]!
    if (pt < 0) return null
    const packet = readRtp(plain)
    const { header } = packet
    // per source: a conference's sources go to the renderer on sections of their own, each with its own numbering
    const dropped = route.dropped.get(header.ssrc) ?? 0
    if (route.h264Webrtc[pt]) {
      const payload = stripPacsi(packet.payload)
      if (!payload) {
        route.dropped.set(header.ssrc, (dropped + 1) & 0xffff)
        return null
      }
      packet.payload = payload
    }
    header.payloadType = pt
    header.ssrc = route.webrtcSsrc
    header.sequenceNumber = (header.sequenceNumber - dropped) & 0xffff
    return packet
  }

  /**
   * A renderer packet → plain RTP bytes for the pool (SfB payload type, the first SSRC of the bridge's x-ssrc-range), or
   * null. Written into a new buffer: `packet` is not changed (werift's track keeps its header too).
   */
  toPool(kind: Kind, packet: RtpPacket): Buffer | null {
    const route = this.#routes[kind]
    if (!route) return null
    const { header } = packet
    const pt = header.payloadType < 128 ? route.toSfb[header.payloadType]! : -1
    if (pt < 0) return null
    let payload = packet.payload
    if (route.h264Sfb[pt]) {
      if (route.frameStart) payload = addPacsi(payload, { last: header.marker }) ?? payload
      route.frameStart = header.marker
    }
    return writeRtp(header, pt, route.sfbSsrc, payload)
  }

  /** An RTCP PLI (RFC 4585 6.3.1) from the bridge's pool SSRC for the pool's media SSRC: what a picture-loss request toward the pool is. */
  pliToPool(kind: Kind, mediaSsrc: number): Buffer {
    const b = Buffer.alloc(12)
    b[0] = 0x80 | pliFmt
    b[1] = psfb
    b.writeUInt16BE(2, 2)
    b.writeUInt32BE(this.#routes[kind]!.sfbSsrc, 4)
    b.writeUInt32BE(mediaSsrc >>> 0, 8)
    return b
  }
}

/** Whether a (compound) RTCP packet holds a PLI (RFC 4585 6.3.1), walking its packets by their length fields. */
export function hasPli(rtcp: Buffer): boolean {
  for (let at = 0; at + 4 <= rtcp.length; at += (rtcp.readUInt16BE(at + 2) + 1) * 4) {
    if (rtcp[at + 1] === psfb && (rtcp[at]! & 0x1f) === pliFmt) return true
  }
  return false
}
