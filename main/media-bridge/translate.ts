// From a bridgeable SfB offer to the two descriptions the bridge sends: the SfB answer and the WebRTC offer, with the maps between them.
import type { BridgeCodec } from './codecs'
import type { IceCandidate } from './ice'
import type { SfbLegSection, WebrtcLegSection, WrittenSdp } from './leg'
import type { BridgePlan, PlannedSection } from './plan'
import { newSdesKey, type SdesKey } from './sdes'
import type { SfbSession } from './sfb-read'
import { writeSfbSdp } from './sfb-write'
import { writeWebrtcSdp } from './webrtc-write'

type Kind = 'audio' | 'video'

/** What the bridge brings of its own to each leg: ICE credentials and candidates, SSRCs, the DTLS fingerprint. */
export interface BridgeLocal {
  /** the pool leg, per kind: [MS-ICE2] credentials per m= line, candidates of components 1 and 2 */
  sfb: Record<Kind, { ice: { ufrag: string; pwd: string }; candidates: IceCandidate[]; ssrcs: { first: number; last: number } }>
  /** the renderer leg (loopback): one BUNDLE transport */
  webrtc: { ice: { ufrag: string; pwd: string }; candidates: IceCandidate[]; fingerprint: { hash: 'sha-256'; value: string }; ssrcs: Record<Kind, number>; stream: string; slotSsrcs?: number[] }
}

/** A codec's payload type on each leg: the bridge rewrites one into the other in every RTP packet. */
export interface PayloadMapping {
  kind: Kind
  codec: BridgeCodec
  sfb: number
  webrtc: number
}

export interface BridgeDescriptions {
  /** the answer to the pool's offer, in its dialect */
  sfbAnswer: WrittenSdp
  /** the offer to the renderer */
  webrtcOffer: WrittenSdp
  payloadMap: PayloadMapping[]
  /** the SSRCs the bridge sends from on each leg, per kind */
  ssrcMap: { kind: Kind; sfb: { first: number; last: number }; webrtc: number }[]
  /** per kind: the key the bridge sends with (in the answer) and the offer's key it receives with (RFC 4568 6.1) */
  keys: { kind: Kind; send: SdesKey; receive: SdesKey }[]
  /** the SfB answer's sections as written: a re-offer or re-answer writes them again with new directions (renegotiate.ts) */
  sfbSections: SfbLegSection[]
}

/**
 * Writes the bridge's SfB answer to `offer` (every m= line kept, RFC 3264 6; those not planned rejected
 * with port 0; the offer's payload types; a fresh key tagged as the offer's chosen line; rtcp-mux only if
 * offered) and its WebRTC offer to the renderer (the planned sections only, mids 0 and 1).
 */
export function bridgeDescriptions(offer: SfbSession, plan: BridgePlan, local: BridgeLocal): BridgeDescriptions {
  const planned = [plan.audio, plan.video].filter((p): p is PlannedSection => p !== null)
  const byIndex = new Map(planned.map((p) => [p.index, p]))
  const keys: BridgeDescriptions['keys'] = []
  const sfbSections: SfbLegSection[] = offer.sections.map((s, i) => {
    const p = byIndex.get(i)
    const kind: Kind = s.kind === 'video' ? 'video' : 'audio'
    const own = local.sfb[kind]
    if (!p) return { kind, codecs: [], ssrcs: own.ssrcs, ice: own.ice, candidates: [], rtcpMux: false, rejected: { type: s.kind, protocol: s.profile, formats: s.formats.join(' ') || '0' }, key: newSdesKey(1) }
    const send = newSdesKey(p.key.tag, p.key.suite)
    keys.push({ kind, send, receive: p.key })
    return { kind, codecs: codecsOf(p), payloadTypes: offeredPayloadTypes(p), ssrcs: own.ssrcs, ice: own.ice, candidates: muxed(own.candidates, p.section.rtcpMux), rtcpMux: p.section.rtcpMux, key: send }
  })
  const webrtcSections: WebrtcLegSection[] = planned.map((p, i) => {
    const kind = p.section.kind as Kind
    const ssrc = local.webrtc.ssrcs[kind]
    return { kind, mid: String(i), codecs: codecsOf(p), ssrcs: { first: ssrc, last: ssrc }, ice: local.webrtc.ice, candidates: local.webrtc.candidates, rtcpMux: true, msid: { stream: local.webrtc.stream, track: `${local.webrtc.stream}-${kind}` }, cname: local.webrtc.stream }
  })
  // a conference's further video sources: one sendonly section each, after the main ones (video-slots.ts)
  if (plan.video) {
    for (const [i, ssrc] of (local.webrtc.slotSsrcs ?? []).entries()) {
      const main = webrtcSections.find((w) => w.kind === 'video')!
      webrtcSections.push({ ...main, mid: String(webrtcSections.length), ssrcs: { first: ssrc, last: ssrc }, direction: 'sendonly', msid: { stream: local.webrtc.stream, track: `${local.webrtc.stream}-video-${i + 1}` } })
    }
  }
  const sfbAnswer = writeSfbSdp({ sections: sfbSections })
  const webrtcOffer = writeWebrtcSdp({ sections: webrtcSections, fingerprint: local.webrtc.fingerprint, setup: 'actpass' })
  const payloadMap = planned.flatMap((p, i) => {
    const kind = p.section.kind as Kind
    return codecsOf(p).map((codec) => ({ kind, codec, sfb: sfbAnswer.payloadTypes[p.index]![codec]!, webrtc: webrtcOffer.payloadTypes[i]![codec]! }))
  })
  const ssrcMap = planned.map((p) => ({ kind: p.section.kind as Kind, sfb: local.sfb[p.section.kind as Kind].ssrcs, webrtc: local.webrtc.ssrcs[p.section.kind as Kind] }))
  return { sfbAnswer, webrtcOffer, payloadMap, ssrcMap, keys, sfbSections }
}

/** An answer that muxes RTCP ([MS-SDPEXT] 3.1.5.38: only when the offer did) gives no component 2. */
function muxed(candidates: IceCandidate[], mux: boolean): IceCandidate[] {
  return mux ? candidates.filter((c) => c.component === 1) : candidates
}

/** The plan's codecs as BridgeCodecs, each once, in the offer's order. */
function codecsOf(p: PlannedSection): BridgeCodec[] {
  return [...new Set(p.codecs.map((c) => c.bridge!))]
}

/** The offer's payload type for each codec (its first line of that codec). */
function offeredPayloadTypes(p: PlannedSection): Partial<Record<BridgeCodec, number>> {
  const out: Partial<Record<BridgeCodec, number>> = {}
  for (const c of p.codecs) out[c.bridge!] ??= c.payloadType
  return out
}
