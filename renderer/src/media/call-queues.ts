// Per-call queues of media steps (offer, answer, renegotiation, device change): one call's steps never interleave.
// A call's queue is closed and removed with the call: a step still waiting in it, or one that arrives late, is refused.

/** A media step for a call whose media was already closed (a late answer must not bring its connection back). */
export class CallClosed extends Error {
  readonly code = 'CallClosed'
  constructor(readonly callId: string) {
    super('That call has ended.')
  }
}

/** how many closed call ids are remembered to refuse late steps (call ids are never reused) */
const REMEMBERED = 64

export class CallQueues {
  readonly #tails = new Map<string, Promise<unknown>>()
  readonly #closed: string[] = []

  /** Runs `step` after every earlier step of the call settled; rejects with CallClosed once the call is closed. */
  run<T>(callId: string, step: () => Promise<T>): Promise<T> {
    const guarded = () => (this.#closed.includes(callId) ? Promise.reject(new CallClosed(callId)) : step())
    const next = (this.#tails.get(callId) ?? Promise.resolve()).then(guarded, guarded)
    if (!this.#closed.includes(callId)) this.#tails.set(callId, next.catch(() => {}))
    return next
  }

  /** The call ended: its queue goes, and its waiting and later steps are refused. */
  close(callId: string): void {
    this.#tails.delete(callId)
    if (this.#closed.includes(callId)) return
    this.#closed.push(callId)
    if (this.#closed.length > REMEMBERED) this.#closed.shift()
  }

  /** calls with a queue (for tests: a closed call has none) */
  get size(): number {
    return this.#tails.size
  }
}
