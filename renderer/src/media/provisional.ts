// A provisional answer (sendProvisionalAnswer_ref.md) is worth making only while the call rings. Once the person
// accepts, main drops it unsent, and its remaining steps (createAnswer, setLocalDescription, the gathering wait)
// would only hold up the final answer queued behind it (issue #24 reported 60–90 ms; in the runs since, the final
// answer's request mostly arrived after the pranswer was set — README, Performance — so this is for when it does not).

/** A provisional answer given up because the final one was asked for first; main drops it either way (the call no longer rings). */
export class ProvisionalSuperseded extends Error {
  readonly code = 'ProvisionalSuperseded'
  constructor(readonly callId: string) {
    super('The call was accepted before its provisional answer was ready.')
  }
}

/** The provisional answers being made, per call id: at most one each, gone when it settles. */
export class ProvisionalAnswers {
  readonly #making = new Map<string, { superseded: boolean }>()

  /**
   * Makes a call's provisional answer with `steps`, registered from now (also while it waits its turn in the call's
   * queue). `check()`, called by the steps between their awaits, throws ProvisionalSuperseded once `supersede` was called.
   */
  async make<T>(callId: string, steps: (check: () => void) => Promise<T>): Promise<T> {
    const own = { superseded: false }
    this.#making.set(callId, own)
    try {
      return await steps(() => {
        if (own.superseded) throw new ProvisionalSuperseded(callId)
      })
    } finally {
      if (this.#making.get(callId) === own) this.#making.delete(callId)
    }
  }

  /** The call's final answer is wanted: a provisional answer still being made for it stops at its next check. */
  supersede(callId: string): void {
    const own = this.#making.get(callId)
    if (own) own.superseded = true
  }

  /** calls with a provisional answer being made (for tests: none once each settled) */
  get size(): number {
    return this.#making.size
  }
}
