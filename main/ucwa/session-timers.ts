// The session's timers: the activity report UCWA expects (≤ 4 min apart), the sleep watch, and the token's renewal before
// it expires (AuthenticationInUCWA.md: expires_in). All unref'd: they never keep the process alive.
export interface SessionTimerDeps {
  now: () => number
  /** how often to report activity, ms (default 3 min) */
  activityIntervalMs?: number
  /** renew the token this long before it expires, ms (default 5 min) */
  renewBeforeMs?: number
  /** the session is live: an activity tick otherwise reports nothing (and the next one still comes) */
  signedIn(): boolean
  /** tell the pool the person is active (reportMyActivity) */
  reportActivity(): Promise<void>
  /** a timer fired far too late (the machine slept): reconnect the channel at once */
  woke(): void
  /** the session is live or reconnecting: a renewal timer that fires otherwise does nothing */
  renewable(): boolean
  renew(): Promise<void>
}

export class SessionTimers {
  // one slot each: a day of activity reports re-arms the same slot, it never collects the fired ones
  #activity: ReturnType<typeof setTimeout> | null = null
  #watch: ReturnType<typeof setInterval> | null = null
  #renewal: ReturnType<typeof setTimeout> | null = null
  #lastUserActivity = 0

  constructor(private readonly deps: SessionTimerDeps) {}

  /** The person did something: the next report tells the pool (Away after 5 min without it is the pool's to decide). */
  userActive(): void {
    this.#lastUserActivity = this.deps.now()
  }

  /** Starts the activity reports and the sleep watch (and the renewal, see scheduleRenewal), clearing those before. */
  startKeepAlive(expiresAt: number | null, remember: boolean): void {
    this.clear()
    const every = this.deps.activityIntervalMs ?? 3 * 60_000
    const arm = () => {
      this.#activity = setTimeout(tick, every)
      this.#activity.unref?.()
    }
    const tick = () => {
      arm() // first: a report that clears or restarts the timers synchronously is not undone by it
      // reconnecting: no report, but the next tick comes (the reports go on once the channel is back, until clear())
      if (!this.deps.signedIn()) return
      // Away after inactivity is the pool's to decide: report only when the person was active lately
      if (this.deps.now() - this.#lastUserActivity < 5 * 60_000) void this.deps.reportActivity().catch(() => {})
    }
    arm()
    // a timer that fires far too late means the machine slept: the channel reconnects at once
    let last = Date.now()
    this.#watch = setInterval(() => {
      const gap = Date.now() - last
      last = Date.now()
      if (gap > 20_000) this.deps.woke()
    }, 5_000)
    this.#watch.unref?.()
    this.scheduleRenewal(expiresAt, remember)
  }

  /** A new token before expires_in runs out (`expiresAt`: epoch ms, null: no token), again after each renewal; a failed renewal leaves the 401 path to decide.
   *  Only with a remembered password (`remember`): without one there is nothing to renew with. */
  scheduleRenewal(expiresAt: number | null, remember: boolean): void {
    if (this.#renewal) clearTimeout(this.#renewal)
    this.#renewal = null
    const renewIn = Math.max(0, (expiresAt ?? 0) - this.deps.now() - (this.deps.renewBeforeMs ?? 5 * 60_000))
    if (expiresAt === null || renewIn >= 2 ** 31 - 1 || !remember) return
    this.#renewal = setTimeout(() => {
      this.#renewal = null
      if (this.deps.renewable()) void this.deps.renew().catch(() => {})
    }, renewIn)
    this.#renewal.unref?.()
  }

  clear(): void {
    for (const t of [this.#activity, this.#watch, this.#renewal]) if (t) clearTimeout(t) // clearTimeout clears intervals too
    this.#activity = this.#watch = this.#renewal = null
  }
}
