// One bridged call: the pool leg per media section, the renderer leg, and the relay between them.
import { randomUUID } from 'node:crypto'
import { parseMediaBody } from './body'
import { chooseOfferPart, type ChosenPart } from './choose-part'
import { codecs, mediaCodecs, type BridgeCodec } from './codecs'
import type { Direction, SfbLegSection } from './leg'
import type { SdesKey } from './sdes'
import { readSfbSdp } from './sfb-read'
import { answerDirections, directionsOf } from './renegotiate'
import { BridgeFault } from './fault'
import { writeOwnSfbOffer, type SfbLocal } from './own-offer'
import { planBridge, type BridgePlan, type MediaNotice, type PlannedSection } from './plan'
import { PoolLeg, type PoolLegEvents } from './pool-leg'
import { answerBesideLegs, gatherLegs, type SpareLeg } from './spare-legs'
import { MediaRefusal, refuse } from './refusal'
import { Relay } from './relay'
import { afterIce } from './ice-reoffer'
import { PacketPath, type RelayTimings } from './packet-path'
import { RendererLeg, type RendererLegEvents } from './renderer-leg'
import { bridgeDescriptions, type BridgeDescriptions, type BridgeLocal } from './translate'
import { VideoSlots } from './video-slots'
import { writeSfbSdp } from './sfb-write'
import { VideoSourceRequests } from './vsr'

type Kind = 'audio' | 'video'
/** further video sections offered to the renderer for a conference's sources: as many as renderer/src/media/engine.ts EXTRA_SLOTS */
const conferenceSlots = 3

/** What answering an SfB offer through the bridge gives: the SfB answer for the pool, the WebRTC offer for the renderer. */
export interface BridgeAnswer {
  sfbAnswer: string
  /** the Content-ID of the part answered (processedOfferId), null for a single-part offer */
  processedOfferId: string | null
  webrtcOffer: string
  descriptions: BridgeDescriptions
  /** what the call goes on without, for the person (plan.ts: video that cannot be bridged) */
  notices: MediaNotice[]
}

export type { RelayTimings } from './packet-path'

/**
 * The bridge for one call (Electron-free; runs in the media worker). `answer` takes the pool's offer (a
 * multipart/alternative or single SDP body, [MS-SDPEXT]) and returns the SfB answer and the WebRTC offer;
 * `rendererAnswered` takes the renderer's answer and brings both legs up (ICE as the controlled agent toward
 * the pool, RFC 5245 5.2). Errors: MediaRefusal for an offer it cannot bridge; BridgeFault (IceFailed,
 * RendererConnectionFailed, SrtpAuthenticationFailed) through `ended` or the rejected promise. A fault ends
 * only this call: every leg is closed and `ended` fires once with the reason.
 */
export class BridgeCall {
  /** per kind: the leg, the peer's planned section (known once the pool offered or answered), the key we send with when we offered */
  readonly #pool = new Map<Kind, { leg: PoolLeg; section?: PlannedSection; send?: SdesKey }>()
  #offered: Pick<BridgeDescriptions, 'payloadMap' | 'ssrcMap'> | null = null
  /** the SfB sections last written (answer or offer): renegotiations write them again with new directions */
  #sfbSections: SfbLegSection[] = []
  #poolStarted: Promise<void> | null = null
  #renderer: RendererLeg | null = null
  readonly #path: PacketPath
  #descriptions: BridgeDescriptions | null = null
  /** a conference's video: the roster's sources asked of the unit by VSR once the video leg is up */
  readonly #sources = new VideoSourceRequests()
  #ended = false
  #onEnded: ((fault: BridgeFault | null) => void)[] = []

  constructor(readonly options: { host?: string; measure?: boolean } = {}) {
    const sinks = {
      toRenderer: (kind: Kind, packet: Parameters<RendererLeg['sendRtp']>[1], slot: number) => this.#renderer?.sendRtp(kind, packet, slot),
      toPool: (kind: Kind, packet: Buffer) => this.#pool.get(kind)?.leg.sendRtp(packet),
      rtcpToPool: (kind: Kind, rtcp: Buffer) => this.#pool.get(kind)?.leg.sendRtcp(rtcp),
      keyFrameFromRenderer: () => this.#renderer?.requestKeyFrame('video'),
    }
    this.#path = new PacketPath(sinks, options.measure)
  }

  /** Per-packet relay times (the bench's, when `measure` is on). */
  get timings(): RelayTimings {
    return this.#path.timings
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1'
  }

  /** Calls `listener` once when the call's media ends: with the fault, or null on close(). */
  ended(listener: (fault: BridgeFault | null) => void): void {
    this.#onEnded.push(listener)
  }

  /** The pool's offer (Content-Type and body) → the bridge's answers; MediaRefusal when it cannot be bridged, BridgeFault when a leg cannot open (the call is then ended). */
  async answer(offer: { contentType: string; body: string }): Promise<BridgeAnswer> {
    const chosen = chooseOfferPart(parseMediaBody(offer.body, offer.contentType).parts)
    const plan = planBridge(chosen.session)
    if (plan instanceof MediaRefusal) throw plan
    try {
      return this.#unlessClosed(await this.#open(chosen, plan))
    } catch (e) {
      const fault = e instanceof BridgeFault ? e : new BridgeFault('RelayCrashed', `The media bridge could not open the call: ${String(e)}`)
      await this.#end(fault)
      throw fault
    }
  }

  async #open(chosen: ChosenPart, plan: BridgePlan): Promise<BridgeAnswer> {
    const planned = [plan.audio, plan.video].filter((p): p is PlannedSection => p !== null)
    const sfb = {} as BridgeLocal['sfb']
    for (const section of planned) {
      const kind = section.section.kind as Kind
      const leg = new PoolLeg(this.host, this.#poolEvents(kind))
      const own = await leg.open({ mux: section.section.rtcpMux, controlling: false })
      sfb[kind] = { ...own, ssrcs: newSsrcs(kind) }
      this.#pool.set(kind, { leg, section })
    }
    // video the plan dropped still needs local values for its rejected m= line (audio is always planned)
    sfb.video ??= { ice: sfb.audio.ice, candidates: [], ssrcs: { first: 1, last: 1 } }
    const sections: { kind: Kind; codecs: BridgeCodec[]; slot?: boolean }[] = planned.map((p) => ({ kind: p.section.kind as Kind, codecs: [...new Set(p.codecs.map((c) => c.bridge!))] }))
    // an AVMCU gives us our MSIs ([MS-SDPEXT] 3.1.5.32): a conference, whose further sources get sections of their own
    const slots = plan.video && /^a=x-source-streamid:/m.test(chosen.part.sdp) ? conferenceSlots : 0
    const video = sections.find((s) => s.kind === 'video')
    for (let i = 0; video && i < slots; i++) sections.push({ ...video, slot: true })
    this.#renderer = new RendererLeg(this.host, sections, this.#rendererEvents())
    const webrtc = await this.#renderer.prepare(randomUUID())
    this.#path.slots = new VideoSlots(1 + slots)
    const descriptions = bridgeDescriptions(chosen.session, plan, { sfb, webrtc })
    this.#descriptions = descriptions
    this.#sfbSections = descriptions.sfbSections
    this.#path.relay = new Relay(descriptions)
    return { sfbAnswer: descriptions.sfbAnswer.sdp, processedOfferId: chosen.processedOfferId, webrtcOffer: descriptions.webrtcOffer.sdp, descriptions, notices: plan.notices }
  }

  /** The renderer's answer: brings up the renderer leg and the pool legs together; rejects with the first BridgeFault (and ends the call). */
  async rendererAnswered(sdp: string): Promise<void> {
    if (!this.#renderer || !this.#descriptions) throw new Error('answer() first')
    try {
      await Promise.all([this.#renderer.answered(sdp), this.startPool()])
    } catch (e) {
      throw this.#failed(e)
    }
    this.#attachSources()
  }

  /** A conference's remote video sources (MSIs, participantVideo_ref.md videoSourceId): each is asked for by VSR ([MS-RTP], vsr.ts). */
  requestVideo(msis: number[]): void {
    this.#sources.want(msis)
    this.#path.slots.retain(msis) // a member who left frees their section for the next one
  }

  #attachSources(): void {
    const video = this.#pool.get('video')
    const ssrcs = (this.#offered ?? this.#descriptions)?.ssrcMap.find((s) => s.kind === 'video')
    if (video && ssrcs && !this.#ended) this.#sources.attach((rtcp) => video.leg.sendRtcp(rtcp), ssrcs.sfb.first)
  }

  /**
   * The pool legs' connectivity checks toward the offer's candidates (once; rendererAnswered starts them too): started
   * while the call rings, after a provisional answer (sendProvisionalAnswer_ref.md), they find out before Accept whether
   * the far side can be reached at all. Rejects with BridgeFault IceFailed (the call is then ended).
   */
  startPool(): Promise<void> {
    const keys = this.#descriptions?.keys
    if (!keys) return Promise.reject(new Error('answer() first'))
    this.#poolStarted ??= Promise.all(
      [...this.#pool].map(([kind, p]) => p.leg.start({ ice: p.section!.ice, candidates: p.section!.candidates, rtcpMux: p.section!.section.rtcpMux }, keys.find((k) => k.kind === kind)!)),
    ).then(
      () => void this.#iceCompleted(false),
      (e: unknown) => Promise.reject(this.#failed(e)),
    )
    return this.#poolStarted
  }

  /**
   * Parley's own offer: answers the renderer's WebRTC offer on the renderer leg and writes the SfB-dialect offer
   * part for the pool (SfB payload types, a fresh SDES key per section, RFC 4568; a=rtcp-mux offered beside
   * component 2, [MS-SDPEXT] 3.1.5.38; ICE as the controlling agent). The WebRTC answer is for the renderer once
   * the pool answered in the SfB dialect. MediaRefusal (UnsupportedMedia) when the renderer offered no bridgeable audio.
   */
  async offer(rendererOffer: string, spare: Record<Kind, SpareLeg> | null = null): Promise<{ sfbOffer: string; webrtcAnswer: string }> {
    try {
      return this.#unlessClosed(await this.#offer(rendererOffer, spare))
    } catch (e) {
      if (e instanceof MediaRefusal) {
        await this.#end(null)
        throw e
      }
      throw await this.#failed(e, true)
    }
  }

  async #offer(rendererOffer: string, spare: Record<Kind, SpareLeg> | null): Promise<{ sfbOffer: string; webrtcAnswer: string }> {
    this.#renderer = new RendererLeg(this.host, [{ kind: 'audio', codecs: ['G722', 'PCMU', 'PCMA'] }, { kind: 'video', codecs: ['H264'] }], this.#rendererEvents())
    // the pool legs do not depend on the renderer's offer: gathered meanwhile (or gathered before the call: spare-legs.ts)
    const gathering = spare ? Promise.resolve(spare) : gatherLegs(this.host)
    const { answer, legs } = await answerBesideLegs(this.#renderer.answerOffer(rendererOffer), gathering, (a) => a.taken.filter(carries).map((t) => t.kind))
    this.#path.slots = new VideoSlots(this.#renderer.videoSlots)
    const carried = answer.taken.filter(carries)
    for (const [kind, s] of Object.entries(legs) as [Kind, SpareLeg][]) {
      s.bind(this.#poolEvents(kind))
      this.#pool.set(kind, { leg: s.leg })
    }
    if (!carried.some((t) => t.kind === 'audio')) throw refuse.noAudio()
    const locals: Partial<Record<Kind, SfbLocal>> = Object.fromEntries(carried.map((t) => [t.kind, { ...legs[t.kind]!.local, ssrcs: newSsrcs(t.kind) }]))
    const own = writeOwnSfbOffer(carried, locals)
    for (const s of own.sections) this.#pool.get(s.kind)!.send = s.key
    this.#sfbSections = own.sections
    this.#offered = own
    return { sfbOffer: own.sdp, webrtcAnswer: answer.sdp }
  }

  /**
   * The pool's SfB-dialect answer to offer(): the sections it took are carried (a video line it rejected or that
   * cannot be bridged is dropped), both legs come up; resolves with the re-offer after ICE (#iceCompleted). Rejects with MediaRefusal (the call's media is then closed)
   * or the first BridgeFault (the call ended).
   */
  async poolAnswered(sdp: string): Promise<{ sfbReoffer: string | null }> {
    if (!this.#offered || !this.#renderer) throw new Error('offer() first')
    const plan = planBridge(readSfbSdp(sdp))
    if (plan instanceof MediaRefusal) {
      await this.#end(null)
      throw plan
    }
    for (const [kind, p] of [...this.#pool]) {
      const planned = kind === 'audio' ? plan.audio : plan.video
      if (planned) p.section = planned
      else {
        this.#pool.delete(kind)
        await p.leg.close()
      }
    }
    const answered = (kind: Kind, codec: BridgeCodec) => this.#pool.get(kind)?.section?.codecs.some((c) => c.bridge === codec) ?? false
    this.#path.relay = new Relay({ payloadMap: this.#offered.payloadMap.filter((m) => answered(m.kind, m.codec)), ssrcMap: this.#offered.ssrcMap.filter((m) => this.#pool.has(m.kind)) })
    try {
      await Promise.all([
        this.#renderer.connected(),
        ...[...this.#pool.values()].map((p) => p.leg.start({ ice: p.section!.ice, candidates: p.section!.candidates, rtcpMux: p.section!.section.rtcpMux }, { send: p.send!, receive: p.section!.key })),
      ])
    } catch (e) {
      throw this.#failed(e)
    }
    this.#attachSources()
    return { sfbReoffer: this.#iceCompleted(true) }
  }

  /**
   * ICE selected a pair for every component: the SfB description names it from now on (afterIce, ice-reoffer.ts), and
   * as the controlling side the bridge re-offers it with a=remote-candidates ([MS-ICE2], RFC 5245 9.1.2.2): that
   * re-offer's SDP, or null (controlled, or a pair missing). A line the pool's answer rejected is re-offered with port 0.
   */
  #iceCompleted(controlling: boolean): string | null {
    const pairs = new Map([...this.#pool].map(([kind, p]) => [kind, p.leg.selectedPairs()]))
    if (this.#ended || [...pairs.values()].some((p) => p.length === 0)) return null
    this.#sfbSections = this.#sfbSections.map((s) => (pairs.has(s.kind) ? afterIce(s, pairs.get(s.kind)!, controlling) : rejectedLine(s)))
    return controlling ? writeSfbSdp({ sections: this.#sfbSections }).sdp : null
  }

  /** Our change (hold, camera): the renderer's re-offer answered on the renderer leg, and the SfB re-offer with its directions. */
  async reoffer(webrtcReoffer: string): Promise<{ sfbReoffer: string; webrtcReanswer: string }> {
    if (!this.#renderer) throw new Error('offer() or answer() first')
    const webrtcReanswer = await this.#renderer.reanswer(webrtcReoffer)
    return { sfbReoffer: this.#withDirections(directionsOf(webrtcReoffer)), webrtcReanswer }
  }

  /**
   * The far side's change: the SfB re-answer (its directions mirrored, RFC 3264 6.1) and the same change offered to the
   * renderer; `webrtcReoffer` is null when no direction changes (the SfB re-offer after ICE, [MS-ICE2]): the bridge
   * answers it alone and the renderer sees no new negotiation.
   */
  async answerReoffer(sfbReoffer: string): Promise<{ sfbReanswer: string; webrtcReoffer: string | null }> {
    if (!this.#renderer) throw new Error('offer() or answer() first')
    const mine = answerDirections(sfbReoffer, [...this.#pool.values()].flatMap((p) => (p.section ? [p.section] : [])))
    const unchanged = this.#sfbSections.every((s) => s.rejected || (mine[s.kind] ?? 'sendrecv') === (s.direction ?? 'sendrecv'))
    const sfbReanswer = this.#withDirections(mine)
    return { sfbReanswer, webrtcReoffer: unchanged ? null : await this.#renderer.reoffer(mine) }
  }

  /** The SfB sections from now on carry `directions` (RFC 3264 8.4: same lines, addresses, ICE credentials and keys); their SDP. */
  #withDirections(directions: Partial<Record<Kind, Direction>>): string {
    this.#sfbSections = this.#sfbSections.map((s) => (s.rejected ? s : { ...s, direction: directions[s.kind] ?? 'sendrecv' }))
    return writeSfbSdp({ sections: this.#sfbSections }).sdp
  }

  /** The renderer's answer to answerReoffer's WebRTC re-offer. */
  async rendererReanswered(sdp: string): Promise<void> {
    await this.#renderer?.setAnswer(sdp)
  }

  /** Ends the call with `e` as a BridgeFault (RelayCrashed when it was not one) and returns that fault. */
  #failed(e: unknown, wait: true): Promise<BridgeFault>
  #failed(e: unknown): BridgeFault
  #failed(e: unknown, wait = false): BridgeFault | Promise<BridgeFault> {
    const fault = e instanceof BridgeFault ? e : new BridgeFault('RelayCrashed', `The media bridge failed: ${String(e)}`)
    const ending = this.#end(fault)
    return wait ? ending.then(() => fault) : fault
  }

  #poolEvents(kind: Kind): PoolLegEvents {
    return { rtp: (p) => this.#path.fromPool(kind, p), rtcp: (p) => this.#path.rtcpFromPool(kind, p), fault: (f) => this.#fail(f) }
  }

  #rendererEvents(): RendererLegEvents {
    return { rtp: (kind, p) => this.#path.fromRenderer(kind, p), rtcp: (kind, p) => this.#path.rtcpFromRenderer(kind, p), fault: (f) => this.#fail(f) }
  }

  async close(): Promise<void> {
    await this.#end(null)
  }

  #fail(fault: BridgeFault): void {
    void this.#end(fault)
  }

  async #end(fault: BridgeFault | null): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    this.#sources.close()
    for (const l of this.#onEnded) l(fault)
    await this.#closeLegs()
  }

  async #closeLegs(): Promise<void> {
    await Promise.all([...[...this.#pool.values()].map((p) => p.leg.close()), this.#renderer?.close()])
  }

  /** close() came while the legs were being opened: what opened after it is closed too, and the caller told. */
  #unlessClosed<T>(result: T): T {
    if (!this.#ended) return result
    void this.#closeLegs()
    throw new BridgeFault('RelayCrashed', 'The call\'s media was closed while it was being set up.')
  }
}

/** A kind the renderer leg took that carries a codec the bridge relays. */
function carries(t: { payloadTypes: Partial<Record<BridgeCodec, number>> }): boolean {
  return mediaCodecs.some((c) => t.payloadTypes[c] !== undefined)
}

/** The SSRCs the bridge sends from toward the pool: audio one, video a range of 100 ([MS-SDPEXT] 3.1.5.31 x-ssrc-range). */
function newSsrcs(kind: Kind): { first: number; last: number } {
  const ssrc = 0x10000 + Math.floor(Math.random() * 0x7fff0000)
  return kind === 'audio' ? { first: ssrc, last: ssrc } : { first: ssrc, last: ssrc + 99 }
}

/** A section the pool's answer rejected, as a re-offer writes it: port 0, its media type, profile and payload types (RFC 3264 8.2). */
function rejectedLine(s: SfbLegSection): SfbLegSection {
  if (s.rejected) return s
  return { ...s, rejected: { type: s.kind, protocol: s.profile ?? 'RTP/SAVP', formats: s.codecs.map((c) => s.payloadTypes?.[c] ?? codecs[c].sfbPayloadType).join(' ') } }
}
