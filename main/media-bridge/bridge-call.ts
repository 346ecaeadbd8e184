// One bridged call: the pool leg per media section, the renderer leg, and the relay between them.
import { parseMediaBody } from './body'
import { chooseOfferPart, type ChosenPart } from './choose-part'
import { readSfbSdp } from './sfb-read'
import { answerDirections, directionsOf, rejectedKinds } from './renegotiate'
import { BridgeFault } from './fault'
import { CallEnding } from './call-ending'
import type { BridgeCodec } from './codecs'
import { planBridge, type BridgePlan, type MediaNotice } from './plan'
import { openAnswerLegs, openOwnOfferLegs, type LegEvents } from './open-legs'
import { PoolLegs } from './pool-legs'
import type { RendererLeg } from './renderer-leg'
import type { SpareLeg } from './spare-legs'
import { MediaRefusal } from './refusal'
import { Relay } from './relay'
import { SfbDescription } from './sfb-description'
import { PacketPath, type RelayTimings } from './packet-path'
import type { BridgeDescriptions } from './translate'
import { VideoSlots } from './video-slots'
import { VideoSourceRequests } from './vsr'
import { timed } from './timed'

type Kind = 'audio' | 'video'

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
  readonly #pool = new PoolLegs()
  #offered: Pick<BridgeDescriptions, 'payloadMap' | 'ssrcMap'> | null = null
  /** the SfB description last written (answer or offer): renegotiations and ICE's completion write it again */
  readonly #sfb = new SfbDescription()
  #poolStarted: Promise<void> | null = null
  #renderer: RendererLeg | null = null
  readonly #path: PacketPath
  #descriptions: BridgeDescriptions | null = null
  /** a conference's video: the roster's sources asked of the unit by VSR once the video leg is up */
  readonly #sources = new VideoSourceRequests()
  readonly #ending = new CallEnding(
    () => Promise.all([this.#pool.close(), this.#renderer?.close()]).then(() => undefined),
    () => this.#sources.close(),
  )

  /** `log`: the call's milestones (each leg's ICE done or failed, in ms from its start), for the core's log */
  constructor(readonly options: { host?: string; measure?: boolean; log?: (message: string) => void } = {}) {
    this.#path = new PacketPath({ renderer: () => this.#renderer, pool: this.#pool }, options.measure)
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
    this.#ending.listen(listener)
  }

  /** The pool's offer (Content-Type and body) → the bridge's answers; MediaRefusal when it cannot be bridged, BridgeFault when a leg cannot open (the call is then ended). */
  async answer(offer: { contentType: string; body: string }): Promise<BridgeAnswer> {
    const chosen = chooseOfferPart(parseMediaBody(offer.body, offer.contentType).parts)
    const plan = planBridge(chosen.session)
    if (plan instanceof MediaRefusal) throw plan
    try {
      return this.#ending.unlessEnded(await this.#open(chosen, plan))
    } catch (e) {
      throw await this.#ending.failed(e, 'The media bridge could not open the call')
    }
  }

  async #open(chosen: ChosenPart, plan: BridgePlan): Promise<BridgeAnswer> {
    const opened = await openAnswerLegs(this.host, chosen, plan, this.#pool, this.#legEvents(), (r) => (this.#renderer = r))
    const descriptions = opened.descriptions
    this.#path.slots = new VideoSlots(opened.videoSlots)
    this.#descriptions = descriptions
    this.#sfb.sections = descriptions.sfbSections
    this.#path.relay = new Relay(descriptions)
    return { sfbAnswer: descriptions.sfbAnswer.sdp, processedOfferId: chosen.processedOfferId, webrtcOffer: descriptions.webrtcOffer.sdp, descriptions, notices: plan.notices }
  }

  /** The renderer's answer: brings up the renderer leg and the pool legs together; rejects with the first BridgeFault (and ends the call). */
  async rendererAnswered(sdp: string): Promise<void> {
    if (!this.#renderer || !this.#descriptions) throw new Error('answer() first')
    try {
      await Promise.all([timed(this.options.log, 'renderer connection', this.#renderer.answered(sdp)), this.startPool()])
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
    if (video && ssrcs && !this.#ending.ended) this.#sources.attach((rtcp) => video.leg.sendRtcp(rtcp), ssrcs.sfb.first)
  }

  /**
   * The pool legs' connectivity checks toward the offer's candidates (once; rendererAnswered starts them too): started
   * while the call rings, after a provisional answer (sendProvisionalAnswer_ref.md), they find out before Accept whether
   * the far side can be reached at all. Rejects with BridgeFault IceFailed (the call is then ended).
   */
  startPool(): Promise<void> {
    const keys = this.#descriptions?.keys
    if (!keys) return Promise.reject(new Error('answer() first'))
    // catch after then: a throw while writing the description after ICE ends the call with a reason too
    this.#poolStarted ??= timed(this.options.log, 'pool checks', this.#pool.start((kind) => keys.find((k) => k.kind === kind)!))
      .then(() => void this.#iceCompleted(false))
      .catch((e: unknown) => Promise.reject(this.#failed(e)))
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
      return this.#ending.unlessEnded(await this.#offer(rendererOffer, spare))
    } catch (e) {
      if (e instanceof MediaRefusal) {
        await this.#ending.end(null)
        throw e
      }
      throw await this.#ending.failed(e)
    }
  }

  async #offer(rendererOffer: string, spare: Record<Kind, SpareLeg> | null): Promise<{ sfbOffer: string; webrtcAnswer: string }> {
    const opened = await openOwnOfferLegs(this.host, rendererOffer, spare, this.#pool, this.#legEvents(), (r) => (this.#renderer = r))
    this.#path.slots = new VideoSlots(opened.videoSlots)
    this.#sfb.sections = opened.own.sections
    this.#offered = opened.own
    return { sfbOffer: opened.own.sdp, webrtcAnswer: opened.webrtcAnswer }
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
      await this.#ending.end(null)
      throw plan
    }
    await this.#pool.keep(plan)
    const answered = (kind: Kind, codec: BridgeCodec) => this.#pool.get(kind)?.section?.codecs.some((c) => c.bridge === codec) ?? false
    this.#path.relay = new Relay({ payloadMap: this.#offered.payloadMap.filter((m) => answered(m.kind, m.codec)), ssrcMap: this.#offered.ssrcMap.filter((m) => this.#pool.has(m.kind)) })
    try {
      await Promise.all([timed(this.options.log, 'renderer connection', this.#renderer.connected()), timed(this.options.log, 'pool checks', this.#pool.start((_, p) => ({ send: p.send!, receive: p.section!.key })))])
    } catch (e) {
      throw this.#failed(e)
    }
    this.#attachSources()
    return { sfbReoffer: this.#iceCompleted(true) }
  }

  /**
   * ICE selected a pair for every component: the SfB description names it from now on (sfb-description.ts); as the
   * controlling side, the re-offer with a=remote-candidates ([MS-ICE2], RFC 5245 9.1.2.2), else (or a pair missing) null.
   */
  #iceCompleted(controlling: boolean): string | null {
    const pairs = this.#pool.selectedPairs()
    if (this.#ending.ended || !pairs) return null
    const sdp = this.#sfb.afterIce(pairs, controlling)
    return controlling ? sdp : null
  }

  /** The SfB re-offer as it stands now (the pairs ICE selected, the directions last agreed): the re-offer after ICE, written when it goes out. */
  currentOffer(): string {
    return this.#sfb.offer()
  }

  /** Our change (hold, camera): the renderer's re-offer answered on the renderer leg, and the SfB re-offer with its directions. */
  async reoffer(webrtcReoffer: string): Promise<{ sfbReoffer: string; webrtcReanswer: string }> {
    if (!this.#renderer) throw new Error('offer() or answer() first')
    const webrtcReanswer = await this.#renderer.reanswer(webrtcReoffer)
    return { sfbReoffer: this.#sfb.propose(directionsOf(webrtcReoffer)), webrtcReanswer }
  }

  /** The pool's answer to reoffer(): taken (its directions hold from now on), or declined or failed (the last agreed stay). */
  reofferSettled(accepted: boolean): void {
    this.#sfb.settle(accepted)
  }

  /**
   * The far side's change: the SfB re-answer (its directions mirrored, RFC 3264 6.1) and the same change offered to the
   * renderer; `webrtcReoffer` is null when no direction changes (the SfB re-offer after ICE, [MS-ICE2]): the bridge
   * answers it alone and the renderer sees no new negotiation.
   */
  async answerReoffer(sfbReoffer: string): Promise<{ sfbReanswer: string; webrtcReoffer: string | null }> {
    if (!this.#renderer) throw new Error('offer() or answer() first')
    const mine = answerDirections(sfbReoffer, this.#pool.sections())
    const changes = this.#sfb.changes(mine)
    const sfbReanswer = this.#sfb.withDirections(mine, rejectedKinds(sfbReoffer))
    return { sfbReanswer, webrtcReoffer: changes ? await this.#renderer.reoffer(mine) : null }
  }

  /** The renderer's answer to answerReoffer's WebRTC re-offer. */
  async rendererReanswered(sdp: string): Promise<void> {
    await this.#renderer?.setAnswer(sdp)
  }

  /** Ends the call with `e` as a BridgeFault (RelayCrashed when it was not one) and returns that fault at once. */
  #failed(e: unknown): BridgeFault {
    const fault = e instanceof BridgeFault ? e : new BridgeFault('RelayCrashed', `The media bridge failed: ${String(e)}`)
    void this.#ending.end(fault)
    return fault
  }

  #legEvents(): LegEvents {
    return {
      pool: (kind) => ({ rtp: (p) => this.#path.fromPool(kind, p), rtcp: (p) => this.#path.rtcpFromPool(kind, p), fault: (f) => void this.#ending.end(f) }),
      renderer: { rtp: (kind, p) => this.#path.fromRenderer(kind, p), rtcp: (kind, p) => this.#path.rtcpFromRenderer(kind, p), fault: (f) => void this.#ending.end(f) },
    }
  }

  async close(): Promise<void> {
    await this.#ending.end(null)
  }
}
