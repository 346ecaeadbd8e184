// Opening a bridged call's legs: toward the pool's offer (the bridge answers it) and for Parley's own offer (the bridge
// answers the renderer's and writes the SfB part). The legs are put in `pool`; the caller keeps the renderer leg.
import { randomUUID } from 'node:crypto'
import type { ChosenPart } from './choose-part'
import { mediaCodecs, type BridgeCodec } from './codecs'
import { writeOwnSfbOffer, type SfbLocal } from './own-offer'
import type { BridgePlan, PlannedSection } from './plan'
import { PoolLeg, type PoolLegEvents } from './pool-leg'
import { newSsrcs, type PoolLegs } from './pool-legs'
import { refuse } from './refusal'
import { RendererLeg, type RendererLegEvents } from './renderer-leg'
import { answerBesideLegs, gatherLegs, type SpareLeg } from './spare-legs'
import { bridgeDescriptions, type BridgeDescriptions, type BridgeLocal } from './translate'

type Kind = 'audio' | 'video'
/** further video sections offered to the renderer for a conference's sources: as many as renderer/src/media/engine.ts EXTRA_SLOTS */
const conferenceSlots = 3

/** Where each new leg's packets and faults go (the call's packet path). */
export interface LegEvents {
  pool(kind: Kind): PoolLegEvents
  renderer: RendererLegEvents
}

/**
 * Toward the pool's offer (`chosen`, planned as `plan`): a pool leg per planned section (controlled ICE, RFC 5245 5.2),
 * a renderer leg with its WebRTC offer (a conference's further video sections: [MS-SDPEXT] 3.1.5.32 x-source-streamid),
 * and the descriptions of both. `onRenderer` gets the renderer leg at once (so a failure after it closes it). Returns its
 * video slots and the descriptions; throws what a leg throws.
 */
export async function openAnswerLegs(host: string, chosen: ChosenPart, plan: BridgePlan, pool: PoolLegs, events: LegEvents, onRenderer: (r: RendererLeg) => void): Promise<{ videoSlots: number; descriptions: BridgeDescriptions }> {
  const planned = [plan.audio, plan.video].filter((p): p is PlannedSection => p !== null)
  const sfb = {} as BridgeLocal['sfb']
  for (const section of planned) {
    const kind = section.section.kind as Kind
    const leg = new PoolLeg(host, events.pool(kind))
    const own = await leg.open({ mux: section.section.rtcpMux, controlling: false })
    sfb[kind] = { ...own, ssrcs: newSsrcs(kind) }
    pool.set(kind, { leg, section })
  }
  // video the plan dropped still needs local values for its rejected m= line (audio is always planned)
  sfb.video ??= { ice: sfb.audio.ice, candidates: [], ssrcs: { first: 1, last: 1 } }
  const sections: { kind: Kind; codecs: BridgeCodec[]; slot?: boolean }[] = planned.map((p) => ({ kind: p.section.kind as Kind, codecs: [...new Set(p.codecs.map((c) => c.bridge!))] }))
  // an AVMCU gives us our MSIs ([MS-SDPEXT] 3.1.5.32): a conference, whose further sources get sections of their own
  const slots = plan.video && /^a=x-source-streamid:/m.test(chosen.part.sdp) ? conferenceSlots : 0
  const video = sections.find((s) => s.kind === 'video')
  for (let i = 0; video && i < slots; i++) sections.push({ ...video, slot: true })
  const renderer = new RendererLeg(host, sections, events.renderer)
  onRenderer(renderer)
  const webrtc = await renderer.prepare(randomUUID())
  return { videoSlots: 1 + slots, descriptions: bridgeDescriptions(chosen.session, plan, { sfb, webrtc }) }
}

/**
 * For Parley's own offer: the renderer leg answers `rendererOffer` while the pool legs are gathered (or `spare` ones
 * taken: spare-legs.ts), and the SfB offer part is written for the kinds carried (own-offer.ts). `onRenderer` gets the
 * renderer leg at once (so a close meanwhile closes it). Throws MediaRefusal (UnsupportedMedia) when no audio is carried.
 */
export async function openOwnOfferLegs(host: string, rendererOffer: string, spare: Record<Kind, SpareLeg> | null, pool: PoolLegs, events: LegEvents, onRenderer: (r: RendererLeg) => void) {
  const renderer = new RendererLeg(host, [{ kind: 'audio', codecs: ['G722', 'PCMU', 'PCMA'] }, { kind: 'video', codecs: ['H264'] }], events.renderer)
  onRenderer(renderer)
  // the pool legs do not depend on the renderer's offer: gathered meanwhile (or gathered before the call: spare-legs.ts)
  const gathering = spare ? Promise.resolve(spare) : gatherLegs(host)
  const { answer, legs } = await answerBesideLegs(renderer.answerOffer(rendererOffer), gathering, (a) => a.taken.filter(carries).map((t) => t.kind))
  const carried = answer.taken.filter(carries)
  for (const [kind, s] of Object.entries(legs) as [Kind, SpareLeg][]) {
    s.bind(events.pool(kind))
    pool.set(kind, { leg: s.leg })
  }
  if (!carried.some((t) => t.kind === 'audio')) throw refuse.noAudio()
  const locals: Partial<Record<Kind, SfbLocal>> = Object.fromEntries(carried.map((t) => [t.kind, { ...legs[t.kind]!.local, ssrcs: newSsrcs(t.kind) }]))
  const own = writeOwnSfbOffer(carried, locals)
  for (const s of own.sections) pool.get(s.kind)!.send = s.key
  return { own, webrtcAnswer: answer.sdp, videoSlots: renderer.videoSlots }
}

/** A kind the renderer leg took that carries a codec the bridge relays. */
function carries(t: { payloadTypes: Partial<Record<BridgeCodec, number>> }): boolean {
  return mediaCodecs.some((c) => t.payloadTypes[c] !== undefined)
}
