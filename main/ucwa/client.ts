// The UCWA session: sign-in, the application, keeping it alive, recovery, sign-out. No Electron here.
// Its pieces: session-options.ts (states, options, events), application.ts and people.ts (what the application offers),
// session-channel.ts (the event channel) and session-timers.ts (activity reports, token renewal).
import { randomUUID } from 'node:crypto'
import { createApplication, makeMeAvailable, need, reportMyActivity, setMyAvailability } from './application'
import { UcwaError, userMessage } from './errors'
import type { EventChannelLoop } from './event-channel'
import { EventResources } from './event-resources'
import type { UcwaHttp } from './http'
import { myContacts, photoDataUrl, presenceOf, searchPeople } from './people'
import { embedded, link, type Resource } from './resource'
import { SessionAuth } from './session-auth'
import { SessionChannel } from './session-channel'
import { ClientListeners, sessionTransitions, type ClientEvents, type ClientOptions, type SavedSession, type SessionState } from './session-options'
import { SessionTimers } from './session-timers'
import { discover, type Credentials } from './sign-in'
import { StateMachine } from './state-machine'
import type { Refusal } from './token-refusal'
import type { Availability, Contact, Me } from './types'

export type { ClientEvents, ClientOptions, SavedSession, SessionState } from './session-options'

export class UcwaClient {
  readonly machine = new StateMachine<SessionState>('session', 'signed-out', sessionTransitions)
  readonly http: UcwaHttp
  /** link-only events get their resource here before listeners see them; consumers declare the rels they read */
  readonly eventResources: EventResources
  app: Resource | null = null
  me: Me | null = null
  lastError: UcwaError | null = null
  readonly #auth: SessionAuth
  readonly #listeners = new ClientListeners()
  readonly #channel: SessionChannel
  readonly #timers: SessionTimers

  constructor(private readonly options: ClientOptions) {
    this.#auth = new SessionAuth(options.tokenStore, options, this.#now, {
      live: () => !!this.app,
      lose: (e) => this.#lose(e),
      renewed: () => this.#timers.scheduleRenewal(this.#auth.expiresAt, this.#auth.remember),
      saved: (session) => this.#listeners.emit('saved', session),
    })
    this.http = this.#auth.http
    this.machine.onChange((s) => this.#listeners.emit('state', s, { error: this.lastError ?? undefined }))
    this.eventResources = new EventResources(this.http, {
      timeoutMs: options.eventResourceTimeoutMs,
      onWarning: (w) => {
        options.log?.(`event ${w.type} ${w.rel} delivered without its resource: ${w.error.code}${w.error.subcode ? `/${w.error.subcode}` : ''} (${w.href})`)
        this.#listeners.emit('warning', w)
      },
    })
    this.#channel = new SessionChannel({
      http: this.http,
      eventResources: this.eventResources,
      listeners: this.#listeners,
      options: options.channel,
      log: options.log,
      recover: async () => {
        if (this.state === 'signed-in') this.machine.go('reconnecting')
        await this.#createApplication()
        this.machine.go('signed-in')
        return link(this.app!, 'events')!
      },
      reauthenticate: (refusal) => this.#reauthenticate(refusal),
      onReplaced: () => {
        this.lastError = new UcwaError({ status: 409, code: 'Conflict', subcode: 'PGetReplaced', message: userMessage('Conflict', 'PGetReplaced') })
        this.machine.go('replaced')
      },
      onState: (s) => {
        if (s === 'backoff' && this.state === 'signed-in') this.machine.go('reconnecting')
        if (s === 'polling' && this.state === 'reconnecting') this.machine.go('signed-in')
      },
      onLost: (e) => this.#lose(e),
    })
    this.#timers = new SessionTimers({
      now: this.#now,
      activityIntervalMs: options.activityIntervalMs,
      renewBeforeMs: options.renewBeforeMs,
      signedIn: () => this.state === 'signed-in',
      reportActivity: () => this.reportActivity(),
      woke: () => this.#channel.kick(),
      renewable: () => this.state === 'signed-in' || this.state === 'reconnecting',
      renew: () => this.#reauthenticate(),
    })
  }

  get state(): SessionState {
    return this.machine.state
  }

  get poolOrigin(): string {
    return this.#auth.poolOrigin
  }

  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): () => void {
    return this.#listeners.on(event, listener)
  }

  /** `guest`: a meeting guest's session (anonymous.ts's anonmeeting grant in credentials.grant): its token is kept nowhere. */
  async signIn(credentials: Credentials & { remember: boolean; guest?: boolean }): Promise<Me> {
    const input = { confirmedHosts: this.options.confirmedHosts, ...credentials }
    this.lastError = null
    this.machine.go('discovering')
    try {
      const found = await discover(this.http, input, (step) => step === 'authenticating' && this.machine.go('authenticating'), this.#now, this.options.discoveryTimeoutMs)
      this.#auth.signedIn(found, input, !!credentials.guest)
      this.machine.go('creating-application')
      await this.#createApplication()
      if (!credentials.guest) await this.#auth.store()
      return this.#signedIn()
    } catch (e) {
      return this.#fail(e)
    }
  }

  /** At start: reuse the keychain's token for the last session if it is still valid. */
  async resume(saved: SavedSession): Promise<Me | null> {
    if (!(await this.#auth.resume(saved, this.options.confirmedHosts, this.#now()))) return null
    this.lastError = null
    this.machine.go('creating-application')
    try {
      await this.#createApplication()
      return this.#signedIn()
    } catch (e) {
      await this.#auth.resumeFailed(saved)
      return this.#fail(e).catch(() => null)
    }
  }

  async signOut(): Promise<void> {
    if (this.state === 'signed-out') return
    if (this.state === 'signing-out') return
    this.machine.go('signing-out')
    await this.#deleteApplication()
    await this.#auth.forget()
    this.machine.go('signed-out')
  }

  /** Quitting: the application is deleted and the channel stopped, but the keychain token stays for next time. */
  async shutdown(): Promise<void> {
    await this.#deleteApplication()
  }

  /** The person did something: keep the pool's activity (Away after 5 min without it) fresh. */
  userActive(): void {
    this.#timers.userActive()
  }

  reportActivity(): Promise<void> {
    return reportMyActivity(this.http, this.app)
  }

  setAvailability(availability: Exclude<Availability, 'Offline'>): Promise<void> {
    return setMyAvailability(this.http, this.app, availability)
  }

  search(query: string, limit = 20): Promise<Contact[]> {
    return searchPeople(this.http, this.app, query, limit)
  }

  contacts(): Promise<Contact[]> {
    return myContacts(this.http, this.app)
  }

  presenceOf(contact: Contact): Promise<Availability> {
    return presenceOf(this.http, contact)
  }

  /** A photo as a data: URL the page can show (the page never fetches from the pool: the token stays here). */
  photo(href: string): Promise<string | null> {
    return photoDataUrl(this.http, href)
  }

  /** my photo's link (me_ref.md) */
  get photoHref(): string | undefined {
    return link(embedded(this.app ?? undefined, 'me'), 'photo')
  }

  communicationLink(rel: string): string {
    return need(this.app, link(embedded(this.app ?? undefined, 'communication'), rel))
  }

  get channelRecoveryMs(): number {
    return this.#channel.recoveryMs
  }

  /** The live view of the loop, for tests and the log: warnings it survived. */
  get channel(): EventChannelLoop | null {
    return this.#channel.loop
  }

  async #createApplication(): Promise<void> {
    const { app, me } = await createApplication(this.http, this.#auth.applicationsHref, this.options)
    this.app = app
    this.#listeners.emit('application', app)
    this.me = me
    await makeMeAvailable(this.http, app)
  }

  /** the channel and timers stop and the application is deleted (the pool expires it anyway) */
  async #deleteApplication(): Promise<void> {
    this.#channel.stop()
    this.#timers.clear()
    const app = this.app
    this.app = null
    if (app) await this.http.delete(app.href).catch(() => {})
  }

  #signedIn(): Me {
    this.machine.go('signed-in')
    this.#channel.start(link(this.app!, 'events')!)
    this.#timers.startKeepAlive(this.#auth.expiresAt, this.#auth.remember)
    return this.me!
  }

  async #fail(e: unknown): Promise<never> {
    const error = e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: userMessage('ServiceFailure') })
    this.lastError = error
    if (this.machine.can('signed-out')) this.machine.go('signed-out')
    throw error
  }

  /**
   * The session is lost without the person signing out (channel ended for good, token refused with nothing
   * to renew it, application not recreatable): everything stops and the state says why (lastError, typed).
   */
  #lose(e: unknown): void {
    if (this.state !== 'signed-in' && this.state !== 'reconnecting' && this.state !== 'replaced') return
    const error = e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: userMessage('ServiceFailure') })
    this.lastError = error
    this.#channel.stop()
    this.#timers.clear()
    this.app = null
    // a refused token is no use at the next start either
    if (error.code === 'Unauthorized') this.#auth.forgetRefused()
    this.machine.go('signed-out')
  }

  /** A refused token mid-session (or one about to expire): the remembered password gets one new token (token-renewal.ts). */
  #reauthenticate(refusal?: Refusal): Promise<void> {
    return this.#auth.renew(refusal)
  }

  #now = (): number => (this.options.now ?? Date.now)()
}

export function newEndpointId(): string {
  return randomUUID()
}
