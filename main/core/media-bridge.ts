// The call engine's MediaAgent over the contract: main asks the renderer for SDP and waits for its answer.
import { randomUUID } from 'node:crypto'
import type { CallChange, MediaAgent } from '../ucwa/calls'
import { UcwaError } from '../ucwa/errors'
import type { EventHub } from './event-hub'

export class ContractMediaAgent implements MediaAgent {
  readonly #pending = new Map<string, { resolve(sdp: string): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>()

  constructor(
    private readonly events: EventHub,
    private readonly timeoutMs = 20_000,
  ) {}

  createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string> {
    return this.#ask({ callId, kind: 'offer', purpose })
  }

  createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string> {
    return this.#ask({ callId, kind: 'answer', purpose, offer })
  }

  createProvisionalAnswer(callId: string, offer: string): Promise<string> {
    return this.#ask({ callId, kind: 'answer', purpose: 'call', offer, provisional: true })
  }

  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void {
    this.events.emit('media.answer', { callId, sdp, ...o })
  }

  reoffer(callId: string, change: CallChange): Promise<string> {
    return this.#ask({ callId, kind: 'offer', purpose: 'renegotiate', change })
  }

  answerReoffer(callId: string, offer: string): Promise<string> {
    return this.#ask({ callId, kind: 'answer', purpose: 'renegotiate', offer })
  }

  applyReanswer(callId: string, sdp: string): void {
    this.events.emit('media.answer', { callId, sdp, provisional: false, purpose: 'renegotiate' })
  }

  /** the renderer takes its re-offer back (rollback) and with it the camera and hold it changed for it */
  reofferFailed(callId: string): void {
    this.events.emit('media.rollback', { callId })
  }

  close(callId: string, what: 'p2p' | 'conference' | 'all'): void {
    this.events.emit('media.close', { callId, what })
  }

  /** media.respond from the renderer */
  respond(requestId: string, result: { sdp?: string; error?: string }): void {
    const p = this.#pending.get(requestId)
    if (!p) throw new UcwaError({ status: 0, code: 'NotFound', message: 'No media request is waiting for that answer.' })
    this.#pending.delete(requestId)
    clearTimeout(p.timer)
    if (result.sdp) p.resolve(result.sdp)
    else p.reject(new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message: result.error ?? 'The camera or microphone could not be started.' }))
  }

  #ask(req: { callId: string; kind: 'offer' | 'answer'; purpose: 'call' | 'escalation' | 'conference' | 'renegotiate'; offer?: string; change?: CallChange; provisional?: boolean }): Promise<string> {
    const requestId = randomUUID()
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId)
        reject(new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaNegotiationTimeOut', message: 'Parley’s window did not prepare the call’s media in time.' }))
      }, this.timeoutMs)
      timer.unref?.()
      this.#pending.set(requestId, { resolve, reject, timer })
      this.events.emit('media.request', { requestId, ...req })
    })
  }
}
