// The call engine's MediaAgent in front of the renderer's: an SfB-dialect far side goes through the media bridge, so the
// renderer keeps speaking plain WebRTC and never learns which dialect the pool spoke (issue #20).
import { randomUUID } from 'node:crypto'
import type { CallChange, MediaAgent } from '../ucwa/call/media-agent'
import { UcwaError } from '../ucwa/errors'
import { parseMediaBody, readDataUrl, toDataUrl, writeMultipartAlternative } from './body'
import { chooseOfferPart } from './choose-part'
import type { MediaWorker, WorkerAnswer } from './media-worker-host'
import { offersBridgeableAudio } from './own-offer'
import { planBridge } from './plan'
import { BridgeFault } from './fault'
import { MediaRefusal, refuse } from './refusal'

type Slot = 'p2p' | 'conference'

/** A failure that ends a call: a MediaRefusal (the answer cannot be bridged) or a BridgeFault (the media stopped). */
export type MediaFailureListener = (callId: string, error: UcwaError) => void

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
  readonly #bridged = new Map<string, { webrtcAnswer?: string; answered?: boolean; webrtcReanswer?: string; ringing?: boolean }>()
  /** the bridge's answers made while calls rang, by key: Accept takes them over */
  readonly #early = new Map<string, Promise<WorkerAnswer>>()
  readonly #processed = new Map<string, string>()
  readonly #listeners: MediaFailureListener[] = []
  readonly #noticeListeners: ((callId: string, message: string) => void)[] = []
  readonly #reofferListeners: ((callId: string, sdp: string) => void)[] = []
  /** each conference call's remote video sources as the roster last named them (MSIs) */
  readonly #videoSources = new Map<string, number[]>()
  #worker: MediaWorker | null = null

  /**
   * `unitDialect`: what the pool's conference unit speaks. 'sfb2015' (a real AVMCU: SDES, ICE 19, no DTLS) sends every
   * escalation offer through the bridge, also from a Parley↔Parley call that took the WebRTC part; 'p2p' (the
   * default) offers in the dialect the two-party call took, for pools whose unit speaks WebRTC (the simulator's 'webrtc').
   */
  constructor(
    private readonly renderer: MediaAgent,
    private readonly options: { worker: () => MediaWorker; log?: (message: string) => void; unitDialect?: 'sfb2015' | 'p2p' },
  ) {}

  /** Registers the engine's listener for failures mid-call (call/media-failure.ts ends the call with the error). */
  onFailure(listener: MediaFailureListener): void {
    this.#listeners.push(listener)
  }

  /** Registers the engine's listener for what a call goes on without (video that cannot be bridged: audio only). */
  onNotice(listener: (callId: string, message: string) => void): void {
    this.#noticeListeners.push(listener)
  }

  /** Registers the engine's listener for the bridge's own re-offer: the SfB one after ICE, with a=remote-candidates ([MS-ICE2]). */
  onReoffer(listener: (callId: string, sdp: string) => void): void {
    this.#reofferListeners.push(listener)
  }

  /** The Content-ID of the offer part the call's answer took (acceptWithAnswer_ref.md processedOfferId); undefined for a plain offer. */
  processedOfferId(callId: string): string | undefined {
    return this.#processed.get(callId)
  }

  /** Why an incoming offer cannot be taken at all (CallDeclineReason_ref.md), checked before the call rings; null when it can. */
  refusal(offer: string): MediaRefusal | null {
    if (isPlainWebrtc(offer)) return null
    try {
      const chosen = chooseOfferPart(parseMediaBody(...bodyOf(offer)).parts)
      if (chosen.dialect === 'webrtc') return null
      const plan = planBridge(chosen.session)
      return plan instanceof MediaRefusal ? plan : null
    } catch (e) {
      return e instanceof MediaRefusal ? e : null
    }
  }

  /**
   * A call: a `data:multipart/alternative;…` URL (the renderer's WebRTC part, the bridge's SfB ICE-19 part), or the
   * renderer's SDP alone when it offered no audio the bridge carries. An escalation: application/sdp in the dialect
   * the two-party call took (escalateAudioVideo_ref.md takes one SDP). Throws what the renderer or the worker throw.
   */
  async createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string> {
    // the worker and its spare pool legs get ready while the renderer makes its offer, not after it
    if (purpose === 'call') this.warm()
    const webrtc = await this.renderer.createOffer(callId, purpose)
    // the conference unit speaks what the two-party call's far side spoke (the same pool), unless we know it speaks SfB
    if (purpose === 'escalation' && !this.#bridged.has(keyOf(callId, 'p2p')) && this.options.unitDialect !== 'sfb2015') return webrtc
    if (!offersBridgeableAudio(webrtc)) {
      this.options.log?.(`call ${callId}: only the WebRTC offer goes out: it has no audio the bridge can carry`)
      return webrtc
    }
    const key = keyOf(callId, purpose === 'call' ? 'p2p' : 'conference')
    let own: { sfbOffer: string; webrtcAnswer: string }
    try {
      own = await this.#bridge().offer(key, webrtc, (fault) => this.#failed(callId, key, fault))
    } catch (e) {
      if (purpose === 'escalation') throw e
      // the call still goes out: another Parley takes the WebRTC part, an SfB endpoint declines it with its reason
      this.options.log?.(`call ${callId}: only the WebRTC offer goes out: ${e instanceof Error ? e.message : String(e)}`)
      return webrtc
    }
    this.#bridged.set(key, { webrtcAnswer: own.webrtcAnswer })
    if (purpose === 'escalation') {
      this.#askSources(callId)
      return own.sfbOffer
    }
    const id = randomUUID()
    const body = writeMultipartAlternative(
      [
        { contentId: `<webrtc.${id}@parley.invalid>`, fallback: false, sdp: webrtc },
        { contentId: `<ice19.${id}@parley.invalid>`, fallback: false, sdp: own.sfbOffer },
      ],
      `parley-${id}`,
    )
    return toDataUrl(body.contentType, body.body)
  }

  /**
   * `offer`: SDP, or a multipart body's `data:` URL (call/sdp.ts). Returns the answer for the pool: the renderer's
   * to a WebRTC part, else the bridge's SfB answer once the renderer answered the bridge's WebRTC offer. Throws
   * MediaRefusal (InvalidMediaOffer, CodecMismatch, …) for an offer that cannot be taken, or the renderer's error.
   */
  async createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string> {
    if (isPlainWebrtc(offer)) return this.renderer.createAnswer(callId, offer, purpose)
    const [body, contentType] = bodyOf(offer)
    const chosen = chooseOfferPart(parseMediaBody(body, contentType).parts)
    if (chosen.processedOfferId) this.#processed.set(callId, chosen.processedOfferId)
    if (chosen.dialect === 'webrtc') return this.renderer.createAnswer(callId, chosen.part.sdp, purpose)
    const key = keyOf(callId, purpose === 'call' ? 'p2p' : 'conference')
    const bridge = this.#bridge()
    // the bridge answered already while the call rang (createProvisionalAnswer): the final answer is the same
    const answer = (await this.#early.get(key)?.catch(() => null)) ?? (await this.#open(callId, key, { contentType, body }))
    this.#early.delete(key)
    let rendererAnswer: string
    try {
      rendererAnswer = await this.renderer.createAnswer(callId, answer.webrtcOffer, purpose)
    } catch (e) {
      this.#bridged.delete(key)
      void bridge.close(key).catch(() => undefined)
      throw e
    }
    this.#bridged.set(key, { answered: true })
    this.#askSources(callId)
    for (const n of answer.notices) for (const l of this.#noticeListeners) l(callId, n.message)
    // both legs come up once the pool has our answer: a failure then ends the call through onFailure
    bridge.rendererAnswered(key, rendererAnswer).catch((e: unknown) => this.#failed(callId, key, e))
    return answer.sfbAnswer
  }

  /**
   * While the call rings. A WebRTC part: the renderer's early answer. An SfB offer: the bridge's answer, and its
   * pool legs start their connectivity checks now (sendProvisionalAnswer_ref.md), so a far side that cannot be
   * reached is declined with MediaConnectivityFailure before anyone answers; the renderer answers only on Accept.
   */
  async createProvisionalAnswer(callId: string, offer: string): Promise<string> {
    const [body, contentType] = isPlainWebrtc(offer) ? [offer, 'application/sdp'] : bodyOf(offer)
    const chosen = isPlainWebrtc(offer) ? null : chooseOfferPart(parseMediaBody(body, contentType).parts)
    if (chosen?.processedOfferId) this.#processed.set(callId, chosen.processedOfferId)
    if (chosen && chosen.dialect !== 'webrtc') {
      const key = keyOf(callId, 'p2p')
      const early = this.#open(callId, key, { contentType, body })
      this.#early.set(key, early)
      const answer = await early
      this.#bridge()
        .startPool(key)
        .catch((e: unknown) => this.#failed(callId, key, e))
      return answer.sfbAnswer
    }
    if (!this.renderer.createProvisionalAnswer) throw new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message: 'No early answer from this window: the call connects when it is accepted.' })
    return this.renderer.createProvisionalAnswer(callId, chosen ? chosen.part.sdp : offer)
  }

  /** A bridge call answering the pool's offer; its faults end the call (onFailure) from now on. */
  async #open(callId: string, key: string, offer: { contentType: string; body: string }): Promise<WorkerAnswer> {
    this.#bridged.set(key, { ringing: true })
    return this.#bridge().answer(key, offer, (fault) => this.#failed(callId, key, fault))
  }

  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void {
    const key = keyOf(callId, o.purpose === 'call' ? 'p2p' : 'conference')
    const b = this.#bridged.get(key)
    if (!b?.webrtcAnswer) return this.renderer.applyAnswer(callId, sdp, o)
    if (isPlainWebrtc(sdp)) {
      // the far side took the WebRTC part (another Parley): no bridge
      this.#bridged.delete(key)
      void this.#bridge().close(key).catch(() => undefined)
      return this.renderer.applyAnswer(callId, sdp, o)
    }
    if (o.provisional || b.answered) return // the bridge takes the final answer, once
    b.answered = true
    this.renderer.applyAnswer(callId, b.webrtcAnswer, o)
    this.#bridge()
      .poolAnswered(key, sdp)
      .then((r) => r.sfbReoffer !== null && this.#bridged.has(key) && this.#reofferListeners.forEach((l) => l(callId, r.sfbReoffer!)))
      .catch((e: unknown) => this.#failed(callId, key, e))
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
    const b = this.#bridged.get(keyOf(callId, 'p2p'))
    const held = b?.webrtcReanswer
    if (b) b.webrtcReanswer = undefined
    this.renderer.applyReanswer(callId, held ?? sdp)
  }

  /**
   * A conference call's remote video sources, the roster's participantVideo videoSourceIds (MSIs, participantVideo_ref.md):
   * when the conference goes through the bridge, it asks the unit for each by VSR ([MS-RTP]; layout: vsr.ts) and
   * again for new ones when they change. Kept until the conference's bridge call exists.
   */
  videoSources(callId: string, msis: number[]): void {
    const before = this.#videoSources.get(callId)
    if (before && before.length === msis.length && before.every((m, i) => m === msis[i])) return
    this.#videoSources.set(callId, msis)
    this.#askSources(callId)
  }

  #askSources(callId: string): void {
    // a call that was invited into a conference has no P2P leg: its only bridge call is its conference media
    const key = [keyOf(callId, 'conference'), keyOf(callId, 'p2p')].find((k) => this.#bridged.has(k))
    const msis = this.#videoSources.get(callId)
    if (!msis || !key || !this.#worker?.alive) return
    void this.#worker.videoSources(key, msis).catch(() => undefined)
  }

  close(callId: string, what: 'p2p' | 'conference' | 'all'): void {
    for (const slot of ['p2p', 'conference'] as const) {
      const key = keyOf(callId, slot)
      if ((what === slot || what === 'all') && this.#bridged.delete(key)) void this.#worker?.close(key).catch(() => undefined)
    }
    if (what === 'all') this.#processed.delete(callId)
    if (what !== 'p2p') this.#videoSources.delete(callId)
    if (what !== 'conference') this.#early.delete(keyOf(callId, 'p2p'))
    this.renderer.close(callId, what)
  }

  /**
   * Starts the media worker unless it runs, and has it keep pool legs gathered for the next own offer (spare-legs.ts),
   * so an outgoing call does not wait for a thread, its modules or UDP sockets: called at sign-in (core.ts) and as each
   * call's offer is made. Never throws: a worker that cannot warm is logged, and the call opens its own legs.
   */
  warm(): void {
    const failed = (e: unknown) => this.options.log?.(`media bridge: could not prepare for the next call: ${e instanceof Error ? e.message : String(e)}`)
    // a worker that cannot even start (no worker threads where the core runs) must not fail the call that warms it
    try {
      this.#bridge().warm().catch(failed)
    } catch (e) {
      failed(e)
    }
  }

  /** Stops the media worker (the app quits). */
  async stop(): Promise<void> {
    await this.#worker?.stop()
    this.#worker = null
  }

  #bridge(): MediaWorker {
    // a worker that died took only its calls with it: the next call gets a new one
    if (!this.#worker?.alive) this.#worker = this.options.worker()
    return this.#worker
  }

  #failed(callId: string, key: string, e: unknown): void {
    const entry = this.#bridged.get(key)
    if (!entry || !this.#bridged.delete(key)) return // already closed or reported: nothing left to end
    this.#early.delete(key)
    // no address of the far side answered while the call rang: declined for that reason (CallDeclineReason_ref.md)
    const unreachable = entry.ringing && e instanceof BridgeFault && e.reason === 'IceFailed'
    const error = unreachable ? refuse.unreachable() : e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message: `The call's media failed: ${String(e)}` })
    this.options.log?.(`call ${callId}: media bridge: ${error.message}`)
    for (const l of this.#listeners) l(callId, error)
  }
}

function keyOf(callId: string, slot: Slot): string {
  return `${callId}/${slot}`
}

/** The engine hands a multipart offer over as its `data:` URL (call/sdp.ts), a plain one as its SDP. */
function bodyOf(offer: string): [body: string, contentType: string] {
  if (!offer.startsWith('data:')) return [offer, 'application/sdp']
  const { body, contentType } = readDataUrl(offer)
  return [body, contentType]
}

/** A single SDP with a DTLS fingerprint (RFC 8122): WebRTC's dialect, passed on untouched. */
function isPlainWebrtc(sdp: string): boolean {
  return !sdp.startsWith('data:') && /^a=fingerprint:/m.test(sdp)
}

