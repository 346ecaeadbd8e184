// A simulated SfB 2015 endpoint's answering side: takes a (multipart) offer's best part, answers it in the SfB dialect, and echoes the media it gets.
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import { parseMediaBody } from '../../../main/media-bridge/body'
import { chooseOfferPart } from '../../../main/media-bridge/choose-part'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { planBridge, type PlannedSection } from '../../../main/media-bridge/plan'
import { afterIce } from '../../../main/media-bridge/ice-reoffer'
import { PoolLeg, type SelectedPair } from '../../../main/media-bridge/pool-leg'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import { directionsOf, mirror } from '../../../main/media-bridge/renegotiate'
import { namesSelectedPairs, withDirections } from './reanswer'
import type { MediaOfferBody } from './dialect'

/** A re-offer the answerer got: per kind, the a=remote-candidates it read and the pair its own ICE selected; whether it took it. */
export interface ReofferReceived {
  remoteCandidates: Partial<Record<'audio' | 'video', { component: number; address: string; port: number }[]>>
  selected: Partial<Record<'audio' | 'video', SelectedPair[]>>
  accepted: boolean
}

/** What the answerer says to a re-offer: the SDP answer, or the ReNegotiationDeclineReason it dismisses with. */
export type Reanswer = { sdp: string } | { dismissReason: 'UnsupportedMedia' }

/** An SfB answer: its SDP (application/sdp) and the Content-ID of the part it answers (null for a plain offer). */
export interface SfbAnswer {
  sdp: string
  processedOfferId: string | null
}

/**
 * Answers as an SfB 2015 client does: the ICE-19 part over the ICE-6 fallback ([MS-SIPRE] 3.15.4.1, choose-part.ts),
 * every m= line kept (RFC 3264 6), the offer's payload types, a fresh SDES key tagged as the offer's line (RFC 4568
 * 6.1), RTCP on component 2 unless the offer muxed; ICE ([MS-ICE2], draft 19) as the controlled agent. Everything
 * that arrives is sent back on its own section (an echo). Throws the MediaRefusal (its declineReason, CallDeclineReason_ref.md)
 * for an offer an SfB client cannot take, e.g. a DTLS-only WebRTC offer (EncryptionMismatch).
 */
export class SfbAnswerer {
  readonly #legs: PoolLeg[] = []
  readonly #legOf = new Map<'audio' | 'video', PoolLeg>()
  /** every re-offer with a=remote-candidates (the offerer's after ICE), in order */
  readonly reoffers: ReofferReceived[] = []
  /** RTP packets echoed so far, per kind */
  readonly echoed = { audio: 0, video: 0 }
  /** the sections of the answer written: a re-answer writes them again with the re-offer's directions mirrored */
  #sections: SfbLegSection[] = []

  /** `takesMux` false: RTCP stays on component 2 even when the offer muxes, as an SfB 2015 client without mux answers (../shared/sfb-media.md) */
  constructor(
    readonly host = '127.0.0.1',
    readonly takesMux = true,
  ) {}

  async answer(offer: MediaOfferBody): Promise<SfbAnswer> {
    const chosen = chooseOfferPart(parseMediaBody(offer.body, offer.contentType).parts, { as: 'sfb' })
    const plan = planBridge(chosen.session)
    if (plan instanceof MediaRefusal) throw plan
    const planned = new Map([plan.audio, plan.video].filter((p): p is PlannedSection => p !== null).map((p) => [p.index, p]))
    const ssrcBase = 0x5fa00000 + Math.floor(Math.random() * 0xffff)
    const sections: SfbLegSection[] = []
    const starts: Array<() => Promise<void>> = []
    for (const [i, s] of chosen.session.sections.entries()) {
      const kind = s.kind === 'video' ? 'video' : 'audio'
      const ssrcs = kind === 'audio' ? { first: ssrcBase, last: ssrcBase } : { first: ssrcBase + 0x100, last: ssrcBase + 0x100 + 99 }
      const p = planned.get(i)
      if (!p) {
        sections.push({ kind, codecs: [], ssrcs, ice: { ufrag: 'none', pwd: 'none' }, candidates: [], rtcpMux: false, rejected: { type: s.kind, protocol: s.profile, formats: s.formats.join(' ') || '0' }, key: newSdesKey(1) })
        continue
      }
      const leg: PoolLeg = new PoolLeg(this.host, {
        rtp: (packet) => {
          this.echoed[kind]++
          leg.sendRtp(packet)
        },
        rtcp: () => {},
        fault: () => {},
      })
      this.#legs.push(leg)
      this.#legOf.set(kind, leg)
      const mux = p.section.rtcpMux && this.takesMux
      const local = await leg.open({ mux, controlling: false })
      const send = newSdesKey(p.key.tag, p.key.suite)
      sections.push({ kind, codecs: codecsOf(p), payloadTypes: payloadTypesOf(p), ssrcs, ice: local.ice, candidates: local.candidates, rtcpMux: mux, key: send })
      starts.push(() => leg.start({ ice: p.ice, candidates: p.candidates, rtcpMux: mux }, { send, receive: p.key }))
    }
    // the controlled agent answers checks once it has the offerer's credentials; the offerer starts checking on our answer
    for (const start of starts) void start().catch(() => {})
    this.#sections = sections
    return { sdp: writeSfbSdp({ sections }).sdp, processedOfferId: chosen.processedOfferId }
  }

  /**
   * A re-offer: the same keys and addresses, each direction mirrored (RFC 3264 6.1), as an SfB client answers. The
   * offerer's re-offer after ICE names in a=remote-candidates, per component, this side's candidate of the pair ICE
   * selected (RFC 5245 9.2.2.3, [MS-ICE2]); naming any other is a media negotiation problem: dismissed UnsupportedMedia
   * (ReNegotiationDeclineReason_ref.md), where a real client would drop the call. Once ICE completed, the answer gives
   * the selected candidate alone as its default (RFC 5245 9.2.2.2).
   */
  reanswer(offer: string): Reanswer {
    const read = readSfbSdp(offer).sections
    const kinds = ['audio', 'video'] as const
    const selected = Object.fromEntries(kinds.flatMap((k) => (this.#legOf.has(k) ? [[k, this.#legOf.get(k)!.selectedPairs()]] : [])))
    if (read.some((s) => s.remoteCandidates.length > 0)) {
      const live = (k: 'audio' | 'video') => read.find((x) => x.kind === k && x.port !== 0)
      const remoteCandidates = Object.fromEntries(kinds.filter((k) => this.#legOf.has(k) && live(k)).map((k) => [k, live(k)!.remoteCandidates]))
      const accepted = Object.entries(remoteCandidates).every(([k, rc]) => namesSelectedPairs(rc, selected[k] ?? []))
      this.reoffers.push({ remoteCandidates, selected, accepted })
      if (!accepted) return { dismissReason: 'UnsupportedMedia' }
    }
    this.#sections = this.#sections.map((s) => afterIce(s, selected[s.kind] ?? [], false))
    const mirrored = Object.fromEntries(Object.entries(directionsOf(offer)).map(([kind, d]) => [kind, mirror(d)]))
    return { sdp: withDirections(this.#sections, mirrored) }
  }

  async close(): Promise<void> {
    await Promise.all(this.#legs.map((l) => l.close()))
  }
}

/** The planned codecs as BridgeCodecs, each once, in the offer's order. */
function codecsOf(p: PlannedSection): BridgeCodec[] {
  return [...new Set(p.codecs.map((c) => c.bridge!))]
}

/** The offer's payload type for each codec (its first line of that codec): an answer uses the offer's numbers. */
function payloadTypesOf(p: PlannedSection): Partial<Record<BridgeCodec, number>> {
  const out: Partial<Record<BridgeCodec, number>> = {}
  for (const c of p.codecs) out[c.bridge!] ??= c.payloadType
  return out
}
