// The host side of the media worker: starts the thread and gives each call a promise API; a dead worker ends its calls, never the host.
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { UcwaError } from '../ucwa/errors'
import { BridgeFault } from './fault'
import { MediaRefusal, type CallDeclineReason, type MediaRefusalSubcode } from './refusal'
import type { MediaNotice } from './plan'
import type { PayloadMapping } from './translate'
import type { WorkerEvent, WorkerReply, WorkerRequest } from './worker-messages'

/** a worker request unanswered this long is logged (ICE's own limit is 10 s, the renderer's 15 s) */
const slowMs = 5000

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never

export interface WorkerAnswer {
  sfbAnswer: string
  processedOfferId: string | null
  webrtcOffer: string
  payloadMap: PayloadMapping[]
  ssrcMap: { kind: 'audio' | 'video'; sfb: { first: number; last: number }; webrtc: number }[]
  /** what the call goes on without (video that cannot be bridged), for the person */
  notices: MediaNotice[]
}

/**
 * The media worker (worker_threads; in the desktop app Electron's utilityProcess can host media-worker.ts the
 * same way). `script` is the built worker file; from source it is media-worker.ts run through tsx. Requests
 * reject with the worker's UcwaError (MediaRefusal / BridgeFault shapes); `onEnded` hears a call's fault,
 * and every call open when the worker dies ends with BridgeFault RelayCrashed.
 */
export class MediaWorker {
  readonly thread: Worker
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  readonly #ended = new Map<string, (fault: BridgeFault) => void>()
  #next = 0
  /** told of each call's milestones (ICE done, with how long it took) and of a request unanswered after `slowMs` (a hang shows in the log, not only as a stuck call) */
  log?: (message: string) => void
  #stopping = false
  #dead = false

  constructor(script?: string) {
    this.thread = script ? new Worker(script) : new Worker(fileURLToPath(new URL('./media-worker.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] })
    this.thread.on('message', (m: WorkerReply | WorkerEvent) => {
      if ('ended' in m) return this.#end(m.ended, new BridgeFault(m.reason, m.message))
      if ('log' in m) return this.log?.(`call ${m.call}: media bridge: ${m.log}`)
      const p = this.#pending.get(m.id)
      this.#pending.delete(m.id)
      if (!p) return
      if (!m.error) return p.resolve(m.result)
      const e = m.error
      if (e.reason) return p.reject(new BridgeFault(e.reason, e.message))
      if (e.declineReason) return p.reject(new MediaRefusal(e.declineReason as CallDeclineReason, e.subcode as MediaRefusalSubcode, e.message))
      p.reject(new UcwaError({ status: 0, code: e.code, ...(e.subcode && { subcode: e.subcode }), message: e.message }))
    })
    const died = (why: string) => {
      this.#dead = true
      const fault = new BridgeFault('RelayCrashed', `The media bridge stopped (${why}); the call's media has ended.`)
      for (const p of this.#pending.values()) p.reject(fault)
      this.#pending.clear()
      for (const call of [...this.#ended.keys()]) this.#end(call, fault)
    }
    this.thread.on('error', (e) => died(e.message))
    this.thread.on('exit', (code) => !this.#stopping && died(`exit ${code}`))
  }

  /** false once the thread died or was stopped: its requests reject at once, and a host starts a new worker */
  get alive(): boolean {
    return !this.#dead && !this.#stopping
  }

  /** Answers the pool's offer for `call`; `onEnded` hears the call's fault (once). */
  async answer(call: string, offer: { contentType: string; body: string }, onEnded: (fault: BridgeFault) => void, measure = false): Promise<WorkerAnswer> {
    await this.#replacing(call)
    this.#ended.set(call, onEnded)
    return (await this.#ask({ op: 'answer', call, offer, measure })) as WorkerAnswer
  }

  async rendererAnswered(call: string, sdp: string): Promise<void> {
    await this.#ask({ op: 'rendererAnswered', call, sdp })
  }

  /** Starts the pool legs' connectivity checks while the call rings (after answer, before the renderer answers). */
  async startPool(call: string): Promise<void> {
    await this.#ask({ op: 'startPool', call })
  }

  /**
   * Keeps pool legs gathered for Parley's next own offer (spare-legs.ts), so `offer` does not wait for sockets; the
   * worker gathers the next set each time one is taken. Resolves with the ready set's UDP ports ([] if none could open).
   */
  async warm(): Promise<number[]> {
    return (await this.#ask({ op: 'warm' })) as number[]
  }

  /** Parley's own offer for `call`: the renderer's WebRTC offer → the SfB-dialect offer part and the renderer's answer (held until the pool answers). */
  async offer(call: string, rendererOffer: string, onEnded: (fault: BridgeFault) => void): Promise<{ sfbOffer: string; webrtcAnswer: string }> {
    await this.#replacing(call)
    this.#ended.set(call, onEnded)
    return (await this.#ask({ op: 'offer', call, sdp: rendererOffer })) as { sfbOffer: string; webrtcAnswer: string }
  }

  /** The pool's SfB-dialect answer to offer(): resolves once both legs carry media, with the re-offer after ICE (bridge-call.ts); MediaRefusal or BridgeFault otherwise. */
  async poolAnswered(call: string, sdp: string): Promise<{ sfbReoffer: string | null }> {
    return (await this.#ask({ op: 'poolAnswered', call, sdp })) as { sfbReoffer: string | null }
  }

  /** Our change on a bridged call: the renderer's WebRTC re-offer → the SfB re-offer, and the renderer's answer (held until the pool answers). */
  async reoffer(call: string, webrtcReoffer: string): Promise<{ sfbReoffer: string; webrtcReanswer: string }> {
    return (await this.#ask({ op: 'reoffer', call, sdp: webrtcReoffer })) as { sfbReoffer: string; webrtcReanswer: string }
  }

  /** The pool's answer to reoffer(): `accepted`, its directions hold; declined or failed, the last agreed stay (bridge-call.ts). */
  async reofferSettled(call: string, accepted: boolean): Promise<void> {
    await this.#ask({ op: 'reofferSettled', call, accepted })
  }

  /** The far side's change: the SfB re-offer → the SfB re-answer, and a WebRTC re-offer for the renderer (its answer to rendererReanswered), null when no direction changed. */
  async answerReoffer(call: string, sfbReoffer: string): Promise<{ sfbReanswer: string; webrtcReoffer: string | null }> {
    return (await this.#ask({ op: 'answerReoffer', call, sdp: sfbReoffer })) as { sfbReanswer: string; webrtcReoffer: string | null }
  }

  /** The call's SfB re-offer as it stands now (bridge-call.ts currentOffer): the re-offer after ICE, written when the engine sends it. */
  async currentOffer(call: string): Promise<string> {
    return (await this.#ask({ op: 'currentOffer', call })) as string
  }

  async rendererReanswered(call: string, sdp: string): Promise<void> {
    await this.#ask({ op: 'rendererReanswered', call, sdp })
  }

  /** A conference's remote video sources (MSIs from the roster): the bridge asks the unit for each by VSR (vsr.ts). */
  async videoSources(call: string, msis: number[]): Promise<void> {
    await this.#ask({ op: 'videoSources', call, msis })
  }

  /** Per-packet relay times in ns (when the call was answered with `measure`). */
  async timings(call: string): Promise<{ toRenderer: number[]; toPool: number[] }> {
    return (await this.#ask({ op: 'timings', call })) as { toRenderer: number[]; toPool: number[] }
  }

  async close(call: string): Promise<void> {
    this.#ended.delete(call)
    await this.#ask({ op: 'close', call })
  }

  async stop(): Promise<void> {
    this.#stopping = true
    await this.thread.terminate()
  }

  #ask(request: Distribute<WorkerRequest>): Promise<unknown> {
    const id = ++this.#next
    if (!this.alive) return Promise.reject(new BridgeFault('RelayCrashed', 'The media bridge has stopped.'))
    const call = 'call' in request ? ` for ${request.call}` : ''
    const slow = this.log ? setTimeout(() => this.log?.(`media bridge: ${request.op}${call} unanswered after ${slowMs / 1000} s`), slowMs) : undefined
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.thread.postMessage({ ...request, id })
    }).finally(() => clearTimeout(slow))
  }

  /** A call still open under `call` is closed before a new one takes the key (its onEnded is not told: it was replaced). */
  async #replacing(call: string): Promise<void> {
    if (this.#ended.has(call)) await this.close(call).catch(() => undefined)
  }

  #end(call: string, fault: BridgeFault): void {
    const f = this.#ended.get(call)
    this.#ended.delete(call)
    f?.(fault)
  }
}
