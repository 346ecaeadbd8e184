// The call engine's MediaAgent in front of the renderer's: an SfB-dialect far side goes through the media bridge, so the
// renderer keeps speaking plain WebRTC and never learns which dialect the pool spoke (issue #20).
import type { CallChange, MediaAgent, MediaNotice } from '../ucwa/call/media-agent'
import { UcwaError } from '../ucwa/errors'
import { AgentListeners, type MediaFailureListener } from './agent-listeners'
import { ConferenceSources } from './conference-sources'
import { IncomingOffers } from './incoming-offer'
import type { MediaWorker, WorkerAnswer } from './media-worker-host'
import { WorkerSlot } from './worker-slot'
import { applyOwnAnswer, closedMeanwhile, createOwnOffer, keyOf, type BridgedState, type OwnOfferContext } from './outgoing-offers'
import type { MediaRefusal } from './refusal'

/**
 * Wraps `renderer` (main/core/media-bridge.ts over the contract, or a test's werift agent). Offers from the pool:
 * a multipart body's best part is taken (choose-part.ts) and its Content-ID kept for the answer (processedOfferId);
 * a WebRTC part goes to the renderer as it is, an SfB-dialect one through a bridge call in the media worker.
 * Parley's own offers: one multipart/alternative body, the WebRTC part and the bridge's SfB part ([MS-SIPRE]
 * 3.15.4.1: the ICE-19 part last). Escalation offers (escalateAudioVideo takes one application/sdp) are in the
 * dialect the two-party call took. Errors: MediaRefusal for what cannot be bridged, BridgeFault through onFailure.
 */
export class BridgingAgent implements MediaAgent {
  /** `${callId}/${slot}` → the bridge call's state: the renderer's answer held until the pool answers our offer */
  readonly #bridged = new Map<string, BridgedState>()
  /** the bridge's answers made while calls rang, by key: Accept takes them over */
  readonly #early = new Map<string, Promise<WorkerAnswer>>()
  readonly #processed = new Map<string, string>()
  readonly #listeners = new AgentListeners()
  /** each incoming offer read once, for refusal(), the provisional answer and the answer */
  readonly #offers = new IncomingOffers()
  readonly #sources = new ConferenceSources((callId, msis) => {
    // a call that was invited into a conference has no P2P leg: its only bridge call is its conference media
    const key = [keyOf(callId, 'conference'), keyOf(callId, 'p2p')].find((k) => this.#bridged.has(k))
    if (key) void this.#worker.running?.videoSources(key, msis).catch(() => undefined)
  })
  readonly #worker: WorkerSlot
  readonly #context: OwnOfferContext

  /**
   * `unitDialect`: what the pool's conference unit speaks. 'sfb2015' (a real AVMCU: SDES, ICE 19, no DTLS) sends every
   * escalation offer through the bridge, also from a Parley↔Parley call that took the WebRTC part; 'p2p' (the
   * default) offers in the dialect the two-party call took, for pools whose unit speaks WebRTC (the simulator's 'webrtc').
   */
  constructor(
    private readonly renderer: MediaAgent,
    private readonly options: { worker: () => MediaWorker; log?: (message: string) => void; unitDialect?: 'sfb2015' | 'p2p' },
  ) {
    this.#worker = new WorkerSlot(options.worker, options.log)
    this.#context = {
      renderer,
      bridge: () => this.#bridge(),
      warm: () => this.warm(),
      bridged: this.#bridged,
      failed: (callId, key, e) => this.#failed(callId, key, e),
      sources: this.#sources,
      listeners: this.#listeners,
      log: options.log,
      unitDialect: options.unitDialect,
    }
  }

  /** Registers the engine's listener for failures mid-call (call/media-failure.ts ends the call with the error). */
  onFailure(listener: MediaFailureListener): void {
    this.#listeners.failure.push(listener)
  }

  /** Registers the engine's listener for what a call goes on without (video that cannot be bridged: audio only). */
  onNotice(listener: (callId: string, notice: MediaNotice) => void): void {
    this.#listeners.notice.push(listener)
  }

  /** Registers the engine's listener for the bridge's own re-offer: the SfB one after ICE, with a=remote-candidates ([MS-ICE2]). */
  onReoffer(listener: (callId: string, reoffer: () => Promise<string>) => void): void {
    this.#listeners.reoffer.push(listener)
  }

  /** The Content-ID of the offer part the call's answer took (acceptWithAnswer_ref.md processedOfferId); undefined for a plain offer. */
  processedOfferId(callId: string): string | undefined {
    return this.#processed.get(callId)
  }

  /** Why an incoming offer cannot be taken at all (CallDeclineReason_ref.md), checked before the call rings; null when it can. */
  refusal(offer: string): MediaRefusal | null {
    return this.#offers.refusal(offer)
  }

  /** What an incoming offer that can be taken goes without (its video only as RTVideo, ...), told while it rings. */
  notices(offer: string): MediaNotice[] {
    return this.#offers.notices(offer)
  }

  /** Parley's own offer: outgoing-offers.ts (the two-part call offer, or an escalation's in the dialect the call took). */
  createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string> {
    return createOwnOffer(this.#context, callId, purpose)
  }

  /**
   * `offer`: SDP, or a multipart body's `data:` URL (call/sdp.ts). Returns the answer for the pool: the renderer's
   * to a WebRTC part, else the bridge's SfB answer once the renderer answered the bridge's WebRTC offer. Throws
   * MediaRefusal (InvalidMediaOffer, CodecMismatch, …) for an offer that cannot be taken, or the renderer's error.
   */
  async createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string> {
    const { chosen, body, contentType } = this.#offers.read(offer)
    if (!chosen) return this.renderer.createAnswer(callId, offer, purpose)
    if (chosen.processedOfferId) this.#processed.set(callId, chosen.processedOfferId)
    if (chosen.dialect === 'webrtc') return this.renderer.createAnswer(callId, chosen.part.sdp, purpose)
    // an answer made while it rang is the call's answer, also when the call became known as a conference since
    // (RFC 3261 13.2.1: the final answer repeats the provisional one)
    const key = this.#early.has(keyOf(callId, 'p2p')) ? keyOf(callId, 'p2p') : keyOf(callId, purpose === 'call' ? 'p2p' : 'conference')
    const bridge = this.#bridge()
    // the bridge answered already while the call rang (createProvisionalAnswer): the final answer is the same
    const answer = (await this.#early.get(key)?.catch(() => null)) ?? (await this.#open(callId, key, { contentType, body }))
    this.#early.delete(key)
    const entry = this.#bridged.get(key)
    let rendererAnswer: string
    try {
      rendererAnswer = await this.renderer.createAnswer(callId, answer.webrtcOffer, purpose)
      // closed meanwhile (the call ended): its worker call is closed, nothing of it kept
      if (!entry || this.#bridged.get(key) !== entry) throw closedMeanwhile()
    } catch (e) {
      if (this.#bridged.get(key) === entry) this.#bridged.delete(key)
      void bridge.close(key).catch(() => undefined)
      throw e
    }
    this.#bridged.set(key, { answered: true })
    this.#sources.again(callId)
    for (const n of answer.notices) for (const l of this.#listeners.notice) l(callId, n)
    // both legs come up once the pool has our answer: a failure then ends the call through onFailure
    bridge.rendererAnswered(key, rendererAnswer).catch((e: unknown) => this.#failed(callId, key, e))
    return answer.sfbAnswer
  }

  /**
   * While the call rings. A WebRTC part: the renderer's early answer. An SfB offer: the bridge's answer; its pool
   * legs check connectivity once the pool has it (provisionalAnswerSent), so a far side that cannot be reached is
   * declined with MediaConnectivityFailure before anyone answers; the renderer answers only on Accept.
   */
  async createProvisionalAnswer(callId: string, offer: string): Promise<string> {
    const { chosen, body, contentType } = this.#offers.read(offer)
    if (chosen?.processedOfferId) this.#processed.set(callId, chosen.processedOfferId)
    if (chosen && chosen.dialect !== 'webrtc') {
      const key = keyOf(callId, 'p2p')
      const early = this.#open(callId, key, { contentType, body })
      this.#early.set(key, early)
      return (await early).sfbAnswer
    }
    if (!this.renderer.createProvisionalAnswer) throw new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message: 'No early answer from this window: the call connects when it is accepted.' })
    return this.renderer.createProvisionalAnswer(callId, chosen ? chosen.part.sdp : offer)
  }

  /**
   * The pool has the bridge's provisional answer: the far side starts its checks ([MS-SDPEXT] 3.1.5.13), and so do the
   * pool legs, their 10 s counted from now. Not before: an answer left unsent (the person accepted first) reaches the
   * far side only with Accept, which may come later than the checks would wait (rendererAnswered starts them then).
   */
  provisionalAnswerSent(callId: string): void {
    const key = keyOf(callId, 'p2p')
    if (!this.#bridged.has(key)) return // closed meanwhile
    this.#bridge()
      .startPool(key)
      .catch((e: unknown) => this.#failed(callId, key, e))
  }

  /** A bridge call answering the pool's offer; its faults end the call (onFailure) from now on. */
  async #open(callId: string, key: string, offer: { contentType: string; body: string }): Promise<WorkerAnswer> {
    this.#bridged.set(key, { ringing: true })
    return this.#bridge().answer(key, offer, (fault) => this.#failed(callId, key, fault))
  }

  /** The pool's answer to Parley's own offer: outgoing-offers.ts (and the bridge's re-offer after ICE it leads to). */
  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void {
    applyOwnAnswer(this.#context, callId, sdp, o)
  }

  /** Hold or camera on a bridged call: the renderer's re-offer is answered by the bridge; the pool gets the SfB re-offer (same keys and addresses, new directions). */
  async reoffer(callId: string, change: CallChange): Promise<string> {
    const key = keyOf(callId, 'p2p')
    if (!this.#bridged.has(key)) return this.renderer.reoffer(callId, change)
    const r = await this.#bridge().reoffer(key, await this.renderer.reoffer(callId, change))
    const b = this.#bridged.get(key)
    if (b) b.webrtcReanswer = r.webrtcReanswer
    return r.sfbReoffer
  }

  /** The far side's change on a bridged call: the renderer answers the bridge's WebRTC re-offer; the pool gets the SfB re-answer. */
  async answerReoffer(callId: string, offer: string): Promise<string> {
    const key = keyOf(callId, 'p2p')
    if (!this.#bridged.has(key)) return this.renderer.answerReoffer(callId, offer)
    const bridge = this.#bridge()
    const r = await bridge.answerReoffer(key, offer)
    // no direction changed (the far side's re-offer after ICE, [MS-ICE2]): the bridge answers alone, the renderer is not renegotiated
    if (r.webrtcReoffer !== null) await bridge.rendererReanswered(key, await this.renderer.answerReoffer(callId, r.webrtcReoffer))
    return r.sfbReanswer
  }

  /** The pool's answer to our re-offer: on a bridged call the renderer gets the bridge's answer to its own re-offer. */
  applyReanswer(callId: string, sdp: string): void {
    this.renderer.applyReanswer(callId, this.#settled(callId, true) ?? sdp)
  }

  /** Our re-offer was declined or never reached the pool: the bridge keeps the directions last agreed. */
  reofferFailed(callId: string): void {
    this.#settled(callId, false)
    this.renderer.reofferFailed?.(callId)
  }

  /** Tells a bridged call's worker how our re-offer ended; the renderer's answer it held, if any. */
  #settled(callId: string, accepted: boolean): string | undefined {
    const key = keyOf(callId, 'p2p')
    const b = this.#bridged.get(key)
    if (!b) return undefined
    void this.#bridge().reofferSettled(key, accepted).catch(() => undefined)
    const held = b.webrtcReanswer
    b.webrtcReanswer = undefined
    return held
  }

  /**
   * A conference call's remote video sources, the roster's participantVideo videoSourceIds (MSIs, participantVideo_ref.md):
   * when the conference goes through the bridge, it asks the unit for each by VSR ([MS-RTP]; layout: vsr.ts) and
   * again for new ones when they change. Kept until the conference's bridge call exists.
   */
  videoSources(callId: string, msis: number[]): void {
    this.#sources.set(callId, msis)
  }

  close(callId: string, what: 'p2p' | 'conference' | 'all'): void {
    for (const slot of ['p2p', 'conference'] as const) {
      const key = keyOf(callId, slot)
      if ((what === slot || what === 'all') && this.#bridged.delete(key)) void this.#worker.running?.close(key).catch(() => undefined)
    }
    if (what === 'all') this.#processed.delete(callId)
    if (what !== 'p2p') this.#sources.delete(callId)
    if (what !== 'conference') this.#early.delete(keyOf(callId, 'p2p'))
    this.renderer.close(callId, what)
  }

  /**
   * Starts the media worker unless it runs, and has it keep pool legs gathered for the next own offer (spare-legs.ts),
   * so an outgoing call does not wait for a thread, its modules or UDP sockets: called at sign-in (core.ts) and as each
   * call's offer is made. Never throws: a worker that cannot warm is logged, and the call opens its own legs.
   */
  warm(): void {
    this.#worker.warm()
  }

  /** Stops the media worker (the app quits). */
  async stop(): Promise<void> {
    await this.#worker.stop()
  }

  #bridge(): MediaWorker {
    return this.#worker.get()
  }

  #failed(callId: string, key: string, e: unknown): void {
    const entry = this.#bridged.get(key)
    if (!entry || !this.#bridged.delete(key)) return // already closed or reported: nothing left to end
    this.#early.delete(key)
    const error = this.#listeners.failed(callId, e, entry.ringing === true)
    this.options.log?.(`call ${callId}: media bridge: ${error.message}`)
  }
}

