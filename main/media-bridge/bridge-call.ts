// One bridged call: the pool leg per media section, the renderer leg, and the relay between them.
import { randomUUID } from 'node:crypto'
import type { RtcpPacket } from 'werift'
import { parseMediaBody } from './body'
import { chooseOfferPart, type ChosenPart } from './choose-part'
import { BridgeFault } from './fault'
import { planBridge, type BridgePlan, type PlannedSection } from './plan'
import { PoolLeg } from './pool-leg'
import { MediaRefusal } from './refusal'
import { hasPli, Relay } from './relay'
import { RendererLeg } from './renderer-leg'
import { bridgeDescriptions, type BridgeDescriptions, type BridgeLocal } from './translate'

type Kind = 'audio' | 'video'
const maxTimings = 100_000

/** What answering an SfB offer through the bridge gives: the SfB answer for the pool, the WebRTC offer for the renderer. */
export interface BridgeAnswer {
  sfbAnswer: string
  /** the Content-ID of the part answered (processedOfferId), null for a single-part offer */
  processedOfferId: string | null
  webrtcOffer: string
  descriptions: BridgeDescriptions
}

/** Per-packet relay time (receive on one leg → hand to the other, ns) for the bench, when `measure` is on; the first 100 000 of each. */
export interface RelayTimings {
  toRenderer: number[]
  toPool: number[]
}

/**
 * The bridge for one call (Electron-free; runs in the media worker). `answer` takes the pool's offer (a
 * multipart/alternative or single SDP body, [MS-SDPEXT]) and returns the SfB answer and the WebRTC offer;
 * `rendererAnswered` takes the renderer's answer and brings both legs up (ICE as the controlled agent toward
 * the pool, RFC 5245 5.2). Errors: MediaRefusal for an offer it cannot bridge; BridgeFault (IceFailed,
 * RendererConnectionFailed, SrtpAuthenticationFailed) through `ended` or the rejected promise. A fault ends
 * only this call: every leg is closed and `ended` fires once with the reason.
 */
export class BridgeCall {
  readonly timings: RelayTimings = { toRenderer: [], toPool: [] }
  readonly #pool = new Map<Kind, { leg: PoolLeg; section: PlannedSection; lastSsrc: number }>()
  #renderer: RendererLeg | null = null
  #relay: Relay | null = null
  #descriptions: BridgeDescriptions | null = null
  #ended = false
  #onEnded: ((fault: BridgeFault | null) => void)[] = []

  constructor(readonly options: { host?: string; measure?: boolean } = {}) {}

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
      return await this.#open(chosen, plan)
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
      const leg = new PoolLeg(this.host, { rtp: (p) => this.#fromPool(kind, p), rtcp: (p) => this.#rtcpFromPool(kind, p), fault: (f) => this.#fail(f) })
      const own = await leg.open({ mux: section.section.rtcpMux, controlling: false })
      const ssrc = 0x10000 + Math.floor(Math.random() * 0x7fff0000)
      sfb[kind] = { ...own, ssrcs: kind === 'audio' ? { first: ssrc, last: ssrc } : { first: ssrc, last: ssrc + 99 } }
      this.#pool.set(kind, { leg, section, lastSsrc: 0 })
    }
    // video the plan dropped still needs local values for its rejected m= line (audio is always planned)
    sfb.video ??= { ice: sfb.audio.ice, candidates: [], ssrcs: { first: 1, last: 1 } }
    this.#renderer = new RendererLeg(
      this.host,
      planned.map((p) => ({ kind: p.section.kind as Kind, codecs: [...new Set(p.codecs.map((c) => c.bridge!))] })),
      { rtp: (kind, p) => this.#fromRenderer(kind, p), rtcp: (kind, p) => this.#rtcpFromRenderer(kind, p), fault: (f) => this.#fail(f) },
    )
    const webrtc = await this.#renderer.prepare(randomUUID())
    const descriptions = bridgeDescriptions(chosen.session, plan, { sfb, webrtc })
    this.#descriptions = descriptions
    this.#relay = new Relay(descriptions)
    return { sfbAnswer: descriptions.sfbAnswer.sdp, processedOfferId: chosen.processedOfferId, webrtcOffer: descriptions.webrtcOffer.sdp, descriptions }
  }

  /** The renderer's answer: brings up the renderer leg and the pool legs together; rejects with the first BridgeFault (and ends the call). */
  async rendererAnswered(sdp: string): Promise<void> {
    if (!this.#renderer || !this.#descriptions) throw new Error('answer() first')
    const keys = this.#descriptions.keys
    try {
      await Promise.all([
        this.#renderer.answered(sdp),
        ...[...this.#pool].map(([kind, p]) => p.leg.start({ ice: p.section.ice, candidates: p.section.candidates, rtcpMux: p.section.section.rtcpMux }, keys.find((k) => k.kind === kind)!)),
      ])
    } catch (e) {
      const fault = e instanceof BridgeFault ? e : new BridgeFault('RelayCrashed', `The media bridge failed: ${String(e)}`)
      this.#fail(fault)
      throw fault
    }
  }

  async close(): Promise<void> {
    await this.#end(null)
  }

  #fromPool(kind: Kind, plain: Buffer): void {
    const start = this.options.measure ? process.hrtime.bigint() : 0n
    const packet = this.#relay?.toRenderer(kind, plain)
    const p = this.#pool.get(kind)
    if (p) p.lastSsrc = plain.readUInt32BE(8)
    if (!packet) return
    this.#renderer?.sendRtp(kind, packet)
    if (this.options.measure && this.timings.toRenderer.length < maxTimings) this.timings.toRenderer.push(Number(process.hrtime.bigint() - start))
  }

  #fromRenderer(kind: Kind, packet: Parameters<Relay['toPool']>[1]): void {
    const start = this.options.measure ? process.hrtime.bigint() : 0n
    const out = this.#relay?.toPool(kind, packet)
    if (!out) return
    this.#pool.get(kind)?.leg.sendRtp(out)
    if (this.options.measure && this.timings.toPool.length < maxTimings) this.timings.toPool.push(Number(process.hrtime.bigint() - start))
  }

  /** The pool's picture-loss request → a PLI to the renderer, which sends a key frame. */
  #rtcpFromPool(kind: Kind, rtcp: Buffer): void {
    if (kind === 'video' && hasPli(rtcp)) this.#renderer?.requestKeyFrame('video')
  }

  /** The renderer's PLI → a PLI toward the pool's video sender. */
  #rtcpFromRenderer(kind: Kind, rtcp: RtcpPacket): void {
    const p = this.#pool.get(kind)
    if (kind !== 'video' || !p || !this.#relay || !hasPli(rtcp.serialize())) return
    p.leg.sendRtcp(this.#relay.pliToPool(kind, p.lastSsrc))
  }

  #fail(fault: BridgeFault): void {
    void this.#end(fault)
  }

  async #end(fault: BridgeFault | null): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    for (const l of this.#onEnded) l(fault)
    await Promise.all([...[...this.#pool.values()].map((p) => p.leg.close()), this.#renderer?.close()])
  }
}
