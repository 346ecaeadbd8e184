// Parley's own offer through the bridge: from the renderer's WebRTC offer, the SfB-dialect offer to the pool and the answer back to the renderer.
import { parse, type SessionDescription } from 'sdp-transform'
import { bridgeCodecOf, type BridgeCodec } from './codecs'
import type { Direction, SfbLegSection, WebrtcLegSection, WrittenSdp } from './leg'
import { newSdesKey, type SdesKey } from './sdes'
import { writeSfbSdp } from './sfb-write'
import type { BridgeLocal, BridgeDescriptions, PayloadMapping } from './translate'
import { writeWebrtcSdp } from './webrtc-write'

type Kind = 'audio' | 'video'
type Media = SessionDescription['media'][number]

export interface OwnOffer {
  /** the SfB-dialect part of Parley's multipart offer (audio, then video when the renderer offered H.264) */
  sfbOffer: WrittenSdp
  /** the bridge's answer to the renderer, every m= line kept (RFC 3264 6); those it cannot carry rejected */
  webrtcAnswer: WrittenSdp
  payloadMap: PayloadMapping[]
  ssrcMap: { kind: Kind; sfb: { first: number; last: number }; webrtc: number }[]
  /** the key the bridge sends with per kind, offered in a=crypto (RFC 4568) */
  keys: { kind: Kind; send: SdesKey }[]
}

/**
 * Reads the renderer's WebRTC offer (JSEP) and writes the bridge's two descriptions: the SfB offer to the
 * pool (SfB payload types, fresh keys, a=rtcp-mux offered beside component 2) and the WebRTC answer to the
 * renderer (its payload types and mids, setup passive: the renderer is the DTLS client, RFC 5763 5).
 * The first audio and the first video line that carry something bridgeable are taken; video needs H.264
 * packetization-mode 1 in constrained baseline (profile-level-id 42e0xx; else baseline 4200xx), what X-H264UC carries.
 * Returns null when the renderer offered no bridgeable audio.
 */
export function bridgeOwnOffer(rendererOffer: string, local: BridgeLocal): OwnOffer | null {
  const offer = parse(rendererOffer)
  const taken = new Map<number, { kind: Kind; pts: Partial<Record<BridgeCodec, number>> }>()
  for (const kind of ['audio', 'video'] as const) {
    const index = offer.media.findIndex((m, i) => m.type === kind && Number(m.port) !== 0 && !taken.has(i) && hasMedia(bridgeable(m)))
    if (index >= 0) taken.set(index, { kind, pts: bridgeable(offer.media[index]!) })
  }
  if (![...taken.values()].some((t) => t.kind === 'audio')) return null
  const keys: OwnOffer['keys'] = []
  const sfbSections: SfbLegSection[] = [...taken.values()].map(({ kind, pts }) => {
    const send = newSdesKey(1)
    keys.push({ kind, send })
    const own = local.sfb[kind]
    return { kind, codecs: Object.keys(pts) as BridgeCodec[], ssrcs: own.ssrcs, ice: own.ice, candidates: own.candidates, rtcpMux: true, key: send }
  })
  const webrtcSections: WebrtcLegSection[] = offer.media.map((m, i) => {
    const t = taken.get(i)
    const kind: Kind = m.type === 'video' ? 'video' : 'audio'
    const ssrc = local.webrtc.ssrcs[kind]
    const section = { kind, mid: String(m.mid ?? i), ssrcs: { first: ssrc, last: ssrc }, ice: local.webrtc.ice, candidates: local.webrtc.candidates, rtcpMux: true, msid: { stream: local.webrtc.stream, track: `${local.webrtc.stream}-${kind}` }, cname: local.webrtc.stream }
    if (!t) return { ...section, codecs: [], rejected: { type: String(m.type), protocol: String(m.protocol), formats: String(m.payloads ?? '') || '0' } }
    return { ...section, codecs: Object.keys(t.pts) as BridgeCodec[], payloadTypes: t.pts, direction: answerDirection(m.direction) }
  })
  const sfbOffer = writeSfbSdp({ sections: sfbSections })
  const webrtcAnswer = writeWebrtcSdp({ sections: webrtcSections, fingerprint: local.webrtc.fingerprint, setup: 'passive' })
  const payloadMap = [...taken.entries()].flatMap(([index, { kind, pts }], n) => (Object.keys(pts) as BridgeCodec[]).map((codec) => ({ kind, codec, sfb: sfbOffer.payloadTypes[n]![codec]!, webrtc: webrtcAnswer.payloadTypes[index]![codec]! })))
  const ssrcMap = [...taken.values()].map(({ kind }) => ({ kind, sfb: local.sfb[kind].ssrcs, webrtc: local.webrtc.ssrcs[kind] }))
  return { sfbOffer, webrtcAnswer, payloadMap, ssrcMap, keys }
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

/** RFC 3264 6.1: the answer's direction mirrors the offer's. */
function answerDirection(d: Media['direction']): WebrtcLegSection['direction'] {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d === 'inactive' ? 'inactive' : 'sendrecv'
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
