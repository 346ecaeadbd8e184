// One application's event channel (EventChannelDetails.md, EventsInUCWA.md, events_ref.md):
// numbered packages, ack by following `next`, resync for an ack out of range, resume after re-creation,
// one parked P-GET (a newer one replaces it with 409 PGetReplaced), aggregation by priority, timeouts.
import type { Clock, Timer } from '../clock'
import { errors, type SimError } from '../http/errors'
import { groupBySender, type EventsBody, type UcwaEvent } from '../http/resource'

export type Priority = 'realtime' | 'high' | 'medium' | 'low'

export interface ChannelParams {
  /** seconds, 180..1800 */
  timeout: number
  /** seconds, 5..1800 */
  medium: number
  /** seconds, 5..1800 */
  low: number
}

export const defaultChannelParams: ChannelParams = { timeout: 180, medium: 5, low: 15 }
const limits: Record<keyof ChannelParams, [number, number]> = { timeout: [180, 1800], medium: [5, 1800], low: [5, 1800] }

interface Queued {
  sender: { rel: string; href: string }
  event: UcwaEvent
  priority: Priority
  at: number
}

interface Package {
  no: number
  body: EventsBody
  count: number
}

interface Waiter {
  ack: number
  priority: number
  gone?: () => boolean
  resolve(body: EventsBody): void
  reject(e: SimError): void
  timer: Timer | null
  /** when `timer` runs */
  timerAt?: number
}

export interface PGetRequest {
  ack: number
  priority?: number
  params?: Partial<Record<keyof ChannelParams, string>>
  /** called if the client goes away while parked */
  onAbort(listener: () => void): void
  /** the connection is already dead (its close event may not have run yet) */
  gone?: () => boolean
}

export class EventChannel {
  params: ChannelParams = { ...defaultChannelParams }
  #pending: Queued[] = []
  readonly #built = new Map<number, Package>()
  #nextNo = 1
  #firstUnacked = 1
  #waiter: Waiter | null = null
  #resume = false
  /** every event ever queued and every event the client acknowledged: the chaos run compares them */
  stats = { queued: 0, acknowledged: 0, pgets: 0 }
  lastPGetAt: number
  /** last time a P-GET arrived or was answered: the pool's measure of a client's liveness */
  lastActiveAt: number
  /** every package handed to a P-GET (self link, number of events): the chaos run's record of what was sent */
  onPackage: ((self: string, count: number) => void) | null = null

  constructor(
    private readonly clock: Clock,
    private readonly eventsHref: string,
  ) {
    this.lastPGetAt = clock.now()
    this.lastActiveAt = this.lastPGetAt
  }

  link(ack: number): string {
    return `${this.eventsHref}?ack=${ack}`
  }

  /** The first link the application resource gives out, and the one after a resync. */
  get currentLink(): string {
    return this.link(this.#firstUnacked)
  }

  /** events waiting for a P-GET to carry them */
  get held(): number {
    return this.#pending.length
  }

  get parked(): boolean {
    return this.#waiter !== null
  }

  enqueue(sender: { rel: string; href: string }, event: UcwaEvent, priority: Priority = 'high'): void {
    let at = this.clock.now()
    const superseded = this.#superseded(sender, event, priority)
    if (superseded >= 0) {
      // EventsInUCWA.md, Aggregation: held events are combined to show the latest state; the first one's wait stands
      at = this.#pending[superseded]!.at
      this.#pending.splice(superseded, 1)
    }
    this.#pending.push({ sender, event, priority, at })
    // a merged update replaces the one it supersedes: the client is owed one event, as the chaos run counts them
    if (superseded < 0) this.stats.queued++
    this.#schedule()
  }

  /** The held update this one replaces: the last held event about the same resource, if it is an update of the same priority (medium or low) from the same sender; -1 if none. */
  #superseded(sender: { href: string }, event: UcwaEvent, priority: Priority): number {
    if (event.type !== 'updated' || (priority !== 'medium' && priority !== 'low')) return -1
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const q = this.#pending[i]!
      if (q.event.link.href !== event.link.href) continue
      const same = q.event.type === 'updated' && q.priority === priority && q.sender.href === sender.href && q.event.in?.href === event.in?.href
      return same ? i : -1
    }
    return -1
  }

  /** The pool dropped transient state: parameters are forgotten and the next response carries `resume`. */
  recreate(): void {
    this.params = { ...defaultChannelParams }
    this.#resume = true
  }

  pget(req: PGetRequest): Promise<EventsBody> {
    this.stats.pgets++
    this.lastPGetAt = this.clock.now()
    this.lastActiveAt = this.lastPGetAt
    this.#applyParams(req.params ?? {})
    const ack = req.ack
    if (!Number.isInteger(ack) || ack < this.#firstUnacked || ack > this.#nextNo) {
      return Promise.resolve({ self: this.link(ack), resync: this.link(this.#firstUnacked), senders: [] })
    }
    this.#acknowledge(ack)
    const resent = this.#built.get(ack)
    if (resent) return Promise.resolve(resent.body) // the client lost our answer: the same package again
    const priority = req.priority ?? 0
    if (this.#waiter) {
      if (priority < this.#waiter.priority) return Promise.reject(errors.pGetReplaced())
      const old = this.#waiter
      this.#waiter = null
      old.timer?.cancel()
      old.reject(errors.pGetReplaced())
    }
    return new Promise<EventsBody>((resolve, reject) => {
      const waiter: Waiter = { ack, priority, gone: req.gone, resolve, reject, timer: null }
      this.#waiter = waiter
      req.onAbort(() => {
        if (this.#waiter === waiter) {
          waiter.timer?.cancel()
          this.#waiter = null
        }
      })
      this.#schedule()
    })
  }

  /** Ends a parked P-GET with an error (application deleted or expired). */
  fail(e: SimError): void {
    const w = this.#waiter
    this.#waiter = null
    w?.timer?.cancel()
    w?.reject(e)
  }

  #applyParams(params: Partial<Record<keyof ChannelParams, string>>): void {
    for (const key of Object.keys(limits) as Array<keyof ChannelParams>) {
      const raw = params[key]
      if (raw === undefined) continue
      const n = Number(raw)
      const [min, max] = limits[key]
      if (!Number.isInteger(n) || n < min || n > max) throw errors.parameter(`${key} must be a whole number of seconds from ${min} to ${max}.`)
    }
    for (const key of Object.keys(limits) as Array<keyof ChannelParams>) if (params[key] !== undefined) this.params[key] = Number(params[key])
  }

  #acknowledge(ack: number): void {
    for (let n = this.#firstUnacked; n < ack; n++) {
      this.stats.acknowledged += this.#built.get(n)?.count ?? 0
      this.#built.delete(n)
    }
    this.#firstUnacked = ack
  }

  #dueAt(): number {
    let due = Infinity
    for (const q of this.#pending) {
      const wait = q.priority === 'medium' ? this.params.medium * 1000 : q.priority === 'low' ? this.params.low * 1000 : 0
      due = Math.min(due, q.at + wait)
    }
    return due
  }

  #schedule(): void {
    const w = this.#waiter
    if (!w) return
    const now = this.clock.now()
    const due = this.#dueAt()
    if (due <= now) return this.#release()
    const at = Math.min(due, this.lastPGetAt + this.params.timeout * 1000)
    // a held update replaced keeps its deadline: re-arming would leave Node an empty timer list per call until it ran out
    if (w.timer && w.timerAt === at) return
    w.timer?.cancel()
    w.timerAt = at
    w.timer = this.clock.setTimeout(() => this.#release(), at - now)
  }

  #release(): void {
    const w = this.#waiter
    if (!w) return
    this.#waiter = null
    w.timer?.cancel()
    // a cut connection (pool restart, network) gets no package: the events wait for the next P-GET
    if (w.gone?.()) return
    this.lastActiveAt = this.clock.now()
    const events = this.#pending
    this.#pending = []
    const no = this.#nextNo++
    const body: EventsBody = { self: this.link(no), senders: groupBySender(events) }
    if (this.#resume) body.resume = this.link(no + 1)
    else body.next = this.link(no + 1)
    this.#resume = false
    this.#built.set(no, { no, body, count: events.length })
    if (events.length > 0) this.onPackage?.(body.self, events.length)
    w.resolve(body)
  }
}
