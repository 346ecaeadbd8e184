// Parley's own offer through the bridge: what of the renderer's WebRTC offer the bridge takes, and the SfB-dialect offer to the pool.
import { parse, write, type SessionDescription } from 'sdp-transform'
import { bridgeCodecOf, type BridgeCodec } from './codecs'
import type { Direction, SfbLegSection } from './leg'
import { newSdesKey } from './sdes'
import { writeSfbSdp } from './sfb-write'
import type { BridgeLocal, BridgeDescriptions } from './translate'

type Kind = 'audio' | 'video'
type Media = SessionDescription['media'][number]

/**
 * The renderer's WebRTC offer with, on each video line, one H.264 payload type: the one X-H264UC can carry
 * (packetization-mode 1; constrained baseline, profile-level-id 42e0xx / 42c0xx, before baseline 4200xx), every other
 * H.264 type and the RTX types repairing them left out. werift's answer (RendererLeg.answerOffer) takes the first
 * H.264 of the offer whatever its fmtp, and Chromium lists packetization-mode 0 and the High profile among them; an
 * answer may carry a subset of the offered types (RFC 3264 6.1), so the renderer still takes it. A line with no such
 * H.264 is left as it is, and an offer with nothing to leave out is returned unchanged.
 */
export function withBridgeableH264(rendererOffer: string): string {
  const offer = parse(rendererOffer)
  let changed = false
  for (const m of offer.media) {
    const best = m.type === 'video' ? bridgeable(m).H264 : undefined
    if (best === undefined) continue
    const dropped = new Set(m.rtp.filter((r) => r.payload !== best && bridgeCodecOf(String(r.codec), Number(r.rate ?? 0)) === 'H264').map((r) => r.payload))
    for (const f of m.fmtp) {
      const apt = /(?:^|;)\s*apt=(\d+)/.exec(f.config)
      if (apt && dropped.has(Number(apt[1]))) dropped.add(f.payload)
    }
    if (dropped.size === 0) continue
    changed = true
    m.payloads = String(m.payloads ?? '').split(' ').filter((pt) => !dropped.has(Number(pt))).join(' ')
    m.rtp = m.rtp.filter((r) => !dropped.has(r.payload))
    m.fmtp = m.fmtp.filter((f) => !dropped.has(f.payload))
    if (m.rtcpFb) m.rtcpFb = m.rtcpFb.filter((f) => !dropped.has(Number(f.payload)))
  }
  return changed ? write(offer) : rendererOffer
}

/** Whether the renderer's WebRTC offer has an audio line the bridge can carry (G.722, PCMU or PCMA): else no SfB part is made. */
export function offersBridgeableAudio(rendererOffer: string): boolean {
  return parse(rendererOffer).media.some((m) => m.type === 'audio' && Number(m.port) !== 0 && hasMedia(bridgeable(m)))
}

/** Each bridgeable codec of a WebRTC m= line, at its first payload type there. */
function bridgeable(m: Media): Partial<Record<BridgeCodec, number>> {
  const out: Partial<Record<BridgeCodec, number>> = {}
  const listed = String(m.payloads ?? '').split(' ')
  for (const r of m.rtp.filter((r) => listed.includes(String(r.payload)))) {
    const codec = bridgeCodecOf(String(r.codec), Number(r.rate ?? 0), r.encoding === undefined ? undefined : Number(r.encoding))
    if (!codec || codec === 'H264' || out[codec] !== undefined) continue
    out[codec] = r.payload
  }
  // constrained baseline (what Chromium answers X-H264UC with, ../shared/sfb-media.md) before plain baseline
  const h264 = m.rtp
    .filter((r) => listed.includes(String(r.payload)) && bridgeCodecOf(String(r.codec), Number(r.rate ?? 0)) === 'H264')
    .map((r) => ({ pt: r.payload, rank: h264Rank(m.fmtp.find((f) => f.payload === r.payload)?.config ?? '') }))
    .filter((h) => h.rank > 0)
    .sort((x, y) => y.rank - x.rank)[0]
  if (h264) out.H264 = h264.pt
  return out
}

function hasMedia(pts: Partial<Record<BridgeCodec, number>>): boolean {
  return pts.G722 !== undefined || pts.PCMU !== undefined || pts.PCMA !== undefined || pts.H264 !== undefined
}

/** RFC 6184 8.1: packetization-mode=1 with profile_idc 0x42; 2 for constrained baseline (42e0 / 42c0), 1 for baseline (4200), else 0. */
function h264Rank(fmtp: string): number {
  const p = Object.fromEntries(fmtp.split(';').map((kv) => kv.trim().split('=') as [string, string]))
  if (p['packetization-mode'] !== '1') return 0
  const id = (p['profile-level-id'] ?? '').toLowerCase()
  return /^42(e0|c0)[0-9a-f]{2}$/.test(id) ? 2 : /^4200[0-9a-f]{2}$/.test(id) ? 1 : 0
}

/** A kind the renderer leg accepted (RendererLeg.answerOffer): each bridge codec's payload type there and the SSRC it sends from. */
export interface TakenKind {
  kind: Kind
  payloadTypes: Partial<Record<BridgeCodec, number>>
  ssrc: number
  /** the renderer's offered direction on that line (RFC 3264 5.1); the SfB part offers the same */
  direction?: Direction
}

/** A pool leg's own side for the SfB part: its ICE credentials and candidates, and the SSRCs the bridge sends from. */
export type SfbLocal = BridgeLocal['sfb'][Kind]

/**
 * The SfB-dialect part of Parley's own offer through the bridge (BridgeCall.offer): one line per kind taken, SfB
 * payload types, a fresh SDES key each (RFC 4568), a=rtcp-mux offered beside component 2 ([MS-SDPEXT] 3.1.5.38);
 * with the maps the relay rewrites payload types and SSRCs with.
 */
export function writeOwnSfbOffer(taken: TakenKind[], local: Partial<Record<Kind, SfbLocal>>): { sdp: string; sections: SfbLegSection[] } & Pick<BridgeDescriptions, 'payloadMap' | 'ssrcMap'> {
  const sections: SfbLegSection[] = taken.map((t) => ({ kind: t.kind, codecs: Object.keys(t.payloadTypes) as BridgeCodec[], ssrcs: local[t.kind]!.ssrcs, ice: local[t.kind]!.ice, candidates: local[t.kind]!.candidates, rtcpMux: true, key: newSdesKey(1), direction: t.direction }))
  const written = writeSfbSdp({ sections })
  return {
    sdp: written.sdp,
    sections,
    payloadMap: taken.flatMap((t, n) => (Object.keys(t.payloadTypes) as BridgeCodec[]).map((codec) => ({ kind: t.kind, codec, sfb: written.payloadTypes[n]![codec]!, webrtc: t.payloadTypes[codec]! }))),
    ssrcMap: taken.map((t, n) => ({ kind: t.kind, sfb: sections[n]!.ssrcs, webrtc: t.ssrc })),
  }
}
