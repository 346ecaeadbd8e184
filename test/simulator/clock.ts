// Time for the simulator: real, or driven by a test (deterministic mode).
export interface Timer {
  cancel(): void
}

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): Timer
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return { cancel: () => clearTimeout(t) }
  },
}

/** A clock that moves only when the test says so; timers fire in due order on advance(). */
export class ManualClock implements Clock {
  #now: number
  #seq = 0
  readonly #timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const id = this.#seq++
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn })
    return { cancel: () => void this.#timers.delete(id) }
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.#now + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      this.#timers.delete(next[0])
      this.#now = next[1].at
      next[1].fn()
    }
    this.#now = end
  }
}
