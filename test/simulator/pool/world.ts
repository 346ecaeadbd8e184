// Everything the pools share: users, tokens, applications, calls, and the timers that expire them.
import type { MediaDialect } from '../sfb/dialect'
import type { Clock } from '../clock'
import { errors, SimError } from '../http/errors'
import type { IdSource } from '../ids'
import type { UcwaEvent } from '../http/resource'
import { Application } from './application'
import type { Priority } from './event-channel'
import { Calls } from './calls'
import { Conferencing } from './conferencing'
import { Messaging } from './messaging'
import { MediaUnit } from '../conference/unit'
import { PresenceSubscriptions } from './presence'
import type { Directory, User } from './directory'
import { Tokens } from './tokens'
import { Meetings } from './meetings'
import { MeetingJoins } from './meeting-joins'
import { MeetingInvites } from './meeting-invites'
import { MeetingMedia } from './meeting-media'

export interface WorldConfig {
  /** an application with no P-GET and no request for this long is deleted (InactiveApplicationExpired) */
  applicationIdleMs: number
  /** no P-GET for this long: transient state is dropped and the channel answers with `resume` */
  channelIdleMs: number
  maxApplicationsPerUser: number
  ringTimeoutMs: number
  tokenLifetimeSeconds: number
  /** origins (`http://host:port`) whose pages may use the cross-domain frame (Cross_domainIFRAME.md's allow list) */
  crossDomainAuthorizationList: string[]
}

export const defaultWorldConfig: WorldConfig = {
  applicationIdleMs: 15 * 60_000,
  channelIdleMs: 5 * 60_000,
  maxApplicationsPerUser: 10,
  ringTimeoutMs: 30_000,
  tokenLifetimeSeconds: 8 * 3600,
  crossDomainAuthorizationList: [],
}

export class World {
  readonly apps = new Map<string, Application>()
  /** ids of applications the pool expired, so later requests get InactiveApplicationExpired */
  readonly expired = new Set<string>()
  readonly tokens: Tokens
  readonly calls: Calls
  readonly conferencing: Conferencing
  readonly messaging: Messaging
  readonly presence: PresenceSubscriptions
  readonly meetings: Meetings
  readonly joins: MeetingJoins
  readonly invites: MeetingInvites
  readonly meetingMedia: MeetingMedia
  /** the media dialect the pool's own endpoints (bots, conference unit) speak; control.setMedia changes it */
  get media(): MediaDialect {
    return this.mediaUnit.dialect
  }

  set media(media: MediaDialect) {
    this.mediaUnit.dialect = media
  }

  /** whether the sfb2015 pool's SfB clients (bots) take a=rtcp-mux when offered; false: RTCP on component 2 (tests set it) */
  sfbRtcpMux = true
  #sweeper: { cancel(): void } | null = null
  /** set by the chaos run: every package of events sent, by self link */
  onPackage: ((self: string, count: number) => void) | null = null
  /** set by tests: every event any application is sent, as it is queued */
  onEvent: ((app: Application, sender: { rel: string; href: string }, event: UcwaEvent, priority: Priority) => void) | null = null

  constructor(
    readonly clock: Clock,
    readonly ids: IdSource,
    readonly directory: Directory,
    readonly config: WorldConfig,
    /** the conference unit, run apart from the pool (conference/unit.ts) */
    readonly mediaUnit = new MediaUnit(),
  ) {
    this.tokens = new Tokens(clock, ids, config.tokenLifetimeSeconds)
    const callWorld = {
      clock,
      ids,
      directory,
      appsOf: (u: User) => this.appsOf(u),
      get ringTimeoutMs() {
        return config.ringTimeoutMs
      },
      prepareConferencing: () => mediaUnit.start(),
    }
    this.calls = new Calls(callWorld)
    this.conferencing = new Conferencing(callWorld, this.calls, mediaUnit)
    this.presence = new PresenceSubscriptions(callWorld)
    this.meetings = new Meetings(clock, ids)
    this.joins = new MeetingJoins(this.meetings, ids, () => clock.now())
    this.invites = new MeetingInvites(this.joins, callWorld)
    this.meetingMedia = new MeetingMedia(this.joins, mediaUnit, ids)
    this.messaging = new Messaging(Object.assign(Object.create(callWorld) as typeof callWorld, { apps: () => [...this.apps.values()] }), this.calls)
    this.conferencing.onJoined = (app, c) => this.messaging.announceTo(app, c)
    this.#scheduleSweep()
  }

  appsOf(user: User): Application[] {
    return [...this.apps.values()].filter((a) => a.user === user)
  }

  createApplication(user: User, pool: string, input: { userAgent: string; endpointId: string; culture: string; instanceId?: string }): { app: Application; created: boolean } {
    const existing = this.appsOf(user).find((a) => a.endpointId === input.endpointId && a.pool === pool)
    if (existing) return { app: existing, created: false } // same endpoint: the same application (idempotent POST)
    if (this.appsOf(user).length >= this.config.maxApplicationsPerUser) {
      throw new SimError(409, 'TooManyApplications', 'There are too many applications for this user.', 'Conflict')
    }
    const app = new Application(this.ids.id(), user, pool, input.endpointId, input.userAgent, input.culture, input.instanceId, this.clock)
    app.channel.onPackage = (self, count) => this.onPackage?.(self, count)
    app.onEvent = (sender, event, priority) => this.onEvent?.(app, sender, event, priority)
    // every change of someone's presence is told to their own application first (me, calls): subscribers hear after
    app.onEmit = () => this.presence.noteChange()
    this.apps.set(app.id, app)
    return { app, created: true }
  }

  lookup(id: string): Application {
    const app = this.apps.get(id)
    if (app) return app
    throw this.expired.has(id) ? errors.applicationExpired() : errors.applicationNotFound()
  }

  deleteApplication(app: Application, cause: 'deleted' | 'expired' | 'restart'): void {
    if (!this.apps.delete(app.id)) return
    if (cause === 'expired') this.expired.add(app.id)
    this.messaging.dropApplication(app)
    this.calls.dropApplication(app)
    void this.conferencing.dropApplication(app)
    this.presence.dropApplication(app)
    this.joins.dropApplication(app)
    this.presence.noteChange() // signed out: Offline to those who watch
    app.channel.fail(cause === 'expired' ? errors.applicationExpired() : errors.applicationNotFound())
  }

  /** Transient state is gone (EventsInUCWA.md, Resume): calls end, the next channel answer says `resume`. */
  resetTransientState(app: Application): void {
    this.messaging.dropApplication(app)
    this.calls.dropApplication(app)
    void this.conferencing.dropApplication(app)
    app.channel.recreate()
  }

  sweep(): void {
    this.presence.noteChange() // inactivity turns people Away without any request
    const now = this.clock.now()
    for (const app of [...this.apps.values()]) {
      if (app.channel.parked) continue
      const quietFor = now - Math.max(app.lastRequestAt, app.channel.lastActiveAt)
      if (quietFor >= this.config.applicationIdleMs) this.deleteApplication(app, 'expired')
      else if (now - app.channel.lastActiveAt >= this.config.channelIdleMs && !app.channelReset) {
        app.channelReset = true
        this.resetTransientState(app)
      }
    }
  }

  #scheduleSweep(): void {
    this.#sweeper = this.clock.setTimeout(() => {
      this.sweep()
      this.#scheduleSweep()
    }, 10_000)
  }

  async close(): Promise<void> {
    this.#sweeper?.cancel()
    for (const app of [...this.apps.values()]) this.deleteApplication(app, 'restart')
    await this.conferencing.close()
    await this.mediaUnit.close()
  }
}
