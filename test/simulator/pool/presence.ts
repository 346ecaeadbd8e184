// Contact presence as others see it, and presence subscriptions (presenceSubscriptions_ref.md,
// SubscribeToThePresenceOfSelectedContacts.md, ExtendAPresenceSubscription.md): contactPresence events on change.
import { SimError } from '../http/errors'
import type { Clock } from '../clock'
import type { IdSource } from '../ids'
import type { Application, Availability } from './application'
import type { Directory, User } from './directory'
import type { Res } from '../http/resource'
import { contactPresenceRes } from './render'

/** the most telling of the user's applications: busy beats available beats away */
const order: Availability[] = ['Busy', 'DoNotDisturb', 'Online', 'BeRightBack', 'Away', 'Offwork']

export function presenceOf(apps: Application[]): { availability: Availability; inCall: boolean; lastActive?: number } {
  const live = apps.filter((a) => a.available)
  const availability = live.map((a) => a.availability).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'Offline'
  // contactPresence_ref.md lastActive: "the last date and time the contact used her device"
  const lastActive = live.length ? Math.max(...live.map((a) => a.lastActivityAt)) : undefined
  return { availability, inCall: live.some((a) => a.inCall), lastActive }
}

interface Subscription {
  id: string
  app: Application
  users: User[]
  timers: Array<{ cancel(): void }>
}

/** The pool tells a subscriber a minute before its subscription runs out, so it can extend it. */
const WARN_BEFORE_MS = 60_000

export class PresenceSubscriptions {
  readonly #subs = new Map<string, Subscription>()
  /** what each watched user's presence was when subscribers last heard of it */
  readonly #told = new Map<User, string>()
  #checking = false

  constructor(private readonly world: { clock: Clock; ids: IdSource; directory: Directory; appsOf(u: User): Application[] }) {}

  create(app: Application, duration: number, uris: string[]): Res {
    const users = uris.map((u) => this.world.directory.find(u)).filter((u): u is User => !!u)
    for (const u of users) this.#told.set(u, this.#key(u))
    const sub: Subscription = { id: this.world.ids.id(), app, users, timers: [] }
    this.#subs.set(sub.id, sub)
    this.#schedule(sub, duration)
    this.#tell(app, 'added', this.render(sub))
    for (const u of users) this.#tell(app, 'updated', this.#presenceRes(app, u))
    return this.render(sub)
  }

  extend(app: Application, id: string, duration: number): Res {
    const sub = this.#mine(app, id)
    this.#schedule(sub, duration)
    return this.render(sub)
  }

  get(app: Application, id: string): Res {
    return this.render(this.#mine(app, id))
  }

  remove(app: Application, id: string): void {
    this.#end(this.#mine(app, id))
  }

  dropApplication(app: Application): void {
    for (const sub of [...this.#subs.values()]) if (sub.app === app) this.#end(sub)
  }

  render(sub: Subscription): Res {
    return { rel: 'presenceSubscription', href: sub.app.href(`/people/presenceSubscriptions/${sub.id}`), props: { id: sub.id } }
  }

  /** Something happened that may change someone's presence: tell subscribers what did change (once per turn). */
  noteChange(): void {
    if (this.#checking || this.#subs.size === 0) return
    this.#checking = true
    queueMicrotask(() => {
      this.#checking = false
      const watched = new Set([...this.#subs.values()].flatMap((s) => s.users))
      for (const u of watched) {
        const now = this.#key(u)
        if (this.#told.get(u) === now) continue
        this.#told.set(u, now)
        for (const sub of this.#subs.values()) {
          if (sub.users.includes(u)) this.#tell(sub.app, 'updated', this.#presenceRes(sub.app, u))
        }
      }
    })
  }

  #key(u: User): string {
    const p = presenceOf(this.world.appsOf(u))
    return `${p.availability} ${p.inCall}`
  }

  #presenceRes(app: Application, u: User): Res {
    const p = presenceOf(this.world.appsOf(u))
    return contactPresenceRes(app, u, p.availability, p.inCall, p.lastActive)
  }

  /** presence events come from the people resource, at medium priority (aggregated up to 5 s) */
  #tell(app: Application, type: 'added' | 'updated', res: Res): void {
    app.emitResource({ rel: 'people', href: app.href('/people') }, type, res, {}, 'medium')
  }

  #mine(app: Application, id: string): Subscription {
    const sub = this.#subs.get(id)
    // ExtendAPresenceSubscription.md: an expired subscription is 404
    if (!sub || sub.app !== app) throw new SimError(404, undefined, 'The presence subscription does not exist or has expired.')
    return sub
  }

  #schedule(sub: Subscription, minutes: number): void {
    for (const t of sub.timers) t.cancel()
    const ms = minutes * 60_000
    sub.timers = [
      this.world.clock.setTimeout(() => this.#tell(sub.app, 'updated', this.render(sub)), ms - WARN_BEFORE_MS),
      this.world.clock.setTimeout(() => this.#end(sub), ms),
    ]
  }

  #end(sub: Subscription): void {
    for (const t of sub.timers) t.cancel()
    this.#subs.delete(sub.id)
  }
}
