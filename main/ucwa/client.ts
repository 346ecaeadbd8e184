// The UCWA session: sign-in, the application, keeping it alive, recovery, sign-out. No Electron here.
import { randomUUID } from 'node:crypto'
import type { StoredToken, TokenStore } from '../credentials/token-store'
import { tokenAccount } from '../credentials/token-store'
import type { Token } from './auth'
import { couldNotReachPool, UcwaError, userMessage } from './errors'
import { EventChannelLoop, type ChannelOptions, type ChannelState } from './event-channel'
import { EventResources, type EventResourceWarning } from './event-resources'
import type { UcwaEvent } from './events'
import { MAX_BYTES, UcwaHttp, type Format, type HttpOptions } from './http'
import { embedded, link, prop, type Resource } from './resource'
import { discover, type Credentials } from './sign-in'
import { StateMachine } from './state-machine'
import { refusedAgainError, type Refusal } from './token-refusal'
import { TokenRenewal } from './token-renewal'
import { describe } from './log'
import type { SessionState } from '../../preload/contract'
import { availabilityOf, type Availability, type Contact, type Me } from './types'

/** the session's states are the contract's (preload/contract.ts SessionState), declared once there */
export type { SessionState } from '../../preload/contract'

const table: Record<SessionState, SessionState[]> = {
  'signed-out': ['discovering', 'creating-application'],
  discovering: ['authenticating', 'creating-application', 'signed-out'],
  authenticating: ['creating-application', 'signed-out', 'discovering'],
  'creating-application': ['signed-in', 'signed-out'],
  'signed-in': ['reconnecting', 'signing-out', 'replaced', 'signed-out'],
  reconnecting: ['signed-in', 'signing-out', 'signed-out', 'replaced'],
  replaced: ['signed-out', 'discovering', 'signing-out'],
  'signing-out': ['signed-out'],
}

/** What Parley keeps between runs (no secret): enough to reuse a keychain token. */
export interface SavedSession {
  sipAddress: string
  poolOrigin: string
  applicationsHref: string
  discoveryUrl?: string
  remember: boolean
}

export interface ClientOptions {
  tokenStore: TokenStore
  endpointId: string
  userAgent?: string
  culture?: string
  format?: Format
  channel?: ChannelOptions
  /** how often to tell the pool the user is active (UCWA expects ≤ 4 min) */
  activityIntervalMs?: number
  /** renew the token this long before it expires (default 5 min) */
  renewBeforeMs?: number
  log?: (message: string) => void
  now?: () => number
  /** tests only: connect named hosts elsewhere (UcwaHttp's connectTo) and trust a test CA */
  connectTo?: HttpOptions['connectTo']
  ca?: string
  /** how long a discovery name may take to answer before the next is asked (default 15 s) */
  discoveryTimeoutMs?: number
  /** the servers outside a sign-in domain the person confirmed for it (RootURL.md step 6), read at each discovery */
  confirmedHosts?: Credentials['confirmedHosts']
  /** the longest reading a link-only event's resource may take, ms (default 10 s) */
  eventResourceTimeoutMs?: number
}

export interface ClientEvents {
  state(state: SessionState, detail?: { error?: UcwaError; reconnecting?: boolean }): void
  events(events: UcwaEvent[]): void | Promise<void>
  /** a page of events about to be delivered (its self link and size): the chaos run's record of what arrived */
  page(page: { self: string; count: number }): void
  /** conversations are gone (resync, resume); `cause`: the application itself was lost (404) */
  transientStateLost(cause?: UcwaError): void | Promise<void>
  channel(state: ChannelState): void
  saved(session: SavedSession | null): void
  /** a new application resource (sign-in or recovery): what hung on the old one (subscriptions) is gone */
  application(app: Resource): void
  /** an event delivered without its resource: reading its link failed (event-resources.ts) */
  warning(warning: EventResourceWarning): void
}

export class UcwaClient {
  readonly machine = new StateMachine<SessionState>('session', 'signed-out', table)
  readonly http: UcwaHttp
  /** link-only events get their resource here before listeners see them; consumers declare the rels they read */
  readonly eventResources: EventResources
  app: Resource | null = null
  me: Me | null = null
  lastError: UcwaError | null = null
  #token: Token | null = null
  #poolOrigin = ''
  #applicationsHref = ''
  #creds: (Credentials & { remember: boolean }) | null = null
  /** keychain account of the signed-in session */
  #account: string | null = null
  #channel: EventChannelLoop | null = null
  #recoveryBefore = 0
  #timers: Array<ReturnType<typeof setTimeout>> = []
  #renewal: ReturnType<typeof setTimeout> | null = null
  readonly #renewer: TokenRenewal
  /** self links of the pages already delivered: after signing in again to the same application the pool
   *  resends the page we had not acknowledged yet, and it must not be handled twice */
  #delivered: string[] = []
  #lastUserActivity = 0
  readonly #listeners: { [K in keyof ClientEvents]: Set<ClientEvents[K]> } = {
    state: new Set(),
    events: new Set(),
    transientStateLost: new Set(),
    channel: new Set(),
    saved: new Set(),
    page: new Set(),
    application: new Set(),
    warning: new Set(),
  }

  constructor(private readonly options: ClientOptions) {
    this.http = new UcwaHttp({
      format: options.format,
      token: () => this.#token?.accessToken ?? null,
      allowedOrigins: () => new Set(this.#poolOrigin ? [this.#poolOrigin] : []),
      base: () => this.#poolOrigin,
      userAgent: options.userAgent,
      connectTo: options.connectTo,
      ca: options.ca,
      renewToken: async (refusal) => {
        if (!this.app) return false
        try {
          await this.#reauthenticate(refusal)
          return true
        } catch (e) {
          // nothing to sign in with, or the pool refused the renewal: the session is over, not retried
          // (a renewal that could not reach the pool fails this request only; the next refusal tries again)
          if (!couldNotReachPool(e)) this.#lose(e)
          return false
        }
      },
      refusedAgain: (refusal) => this.#lose(refusedAgainError(refusal)),
    })
    this.#renewer = new TokenRenewal({
      http: this.http,
      credentials: () => this.#creds,
      poolOrigin: () => this.#poolOrigin,
      now: this.#now,
      discoveryTimeoutMs: options.discoveryTimeoutMs,
      renewed: async (token, applicationsHref) => {
        this.#token = token
        if (applicationsHref) this.#applicationsHref = applicationsHref
        await this.#store()
        this.#scheduleRenewal()
      },
    })
    this.machine.onChange((s) => this.#emit('state', s, { error: this.lastError ?? undefined }))
    this.eventResources = new EventResources(this.http, {
      timeoutMs: options.eventResourceTimeoutMs,
      onWarning: (w) => {
        options.log?.(`event ${w.type} ${w.rel} delivered without its resource: ${w.error.code}${w.error.subcode ? `/${w.error.subcode}` : ''} (${w.href})`)
        this.#emit('warning', w)
      },
    })
  }

  get state(): SessionState {
    return this.machine.state
  }

  get poolOrigin(): string {
    return this.#poolOrigin
  }

  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): () => void {
    this.#listeners[event].add(listener)
    return () => this.#listeners[event].delete(listener)
  }

  /** `guest`: a meeting guest's session (anonymous.ts's anonmeeting grant in credentials.grant): its token is kept nowhere. */
  async signIn(credentials: Credentials & { remember: boolean; guest?: boolean }): Promise<Me> {
    const input = { confirmedHosts: this.options.confirmedHosts, ...credentials }
    this.lastError = null
    this.machine.go('discovering')
    try {
      const found = await discover(this.http, input, (step) => step === 'authenticating' && this.machine.go('authenticating'), this.#now, this.options.discoveryTimeoutMs)
      this.#token = found.token
      this.#poolOrigin = found.poolOrigin
      this.#applicationsHref = found.applicationsHref
      this.#creds = input
      // a guest signs in under the organizer's address: no keychain entry of anyone's is ever touched for it
      this.#account = credentials.guest ? null : tokenAccount(input.sipAddress, found.poolOrigin)
      this.machine.go('creating-application')
      await this.#createApplication()
      if (!credentials.guest) await this.#store()
      return this.#signedIn()
    } catch (e) {
      return this.#fail(e)
    }
  }

  /** At start: reuse the keychain's token for the last session if it is still valid. */
  async resume(saved: SavedSession): Promise<Me | null> {
    const stored = await this.options.tokenStore.get(tokenAccount(saved.sipAddress, saved.poolOrigin))
    if (!stored || stored.expiresAt - this.#now() < 5 * 60_000) return null
    this.#token = { accessToken: stored.accessToken, tokenType: stored.tokenType, expiresAt: stored.expiresAt }
    this.#poolOrigin = saved.poolOrigin
    this.#applicationsHref = saved.applicationsHref
    this.#creds = stored.password ? { sipAddress: saved.sipAddress, password: stored.password, discoveryUrl: saved.discoveryUrl, remember: true, confirmedHosts: this.options.confirmedHosts } : null
    this.#account = tokenAccount(saved.sipAddress, saved.poolOrigin)
    this.lastError = null
    this.machine.go('creating-application')
    try {
      await this.#createApplication()
      return this.#signedIn()
    } catch (e) {
      this.#token = null
      await this.options.tokenStore.delete(tokenAccount(saved.sipAddress, saved.poolOrigin)).catch(() => false)
      return this.#fail(e).catch(() => null)
    }
  }

  async signOut(): Promise<void> {
    if (this.state === 'signed-out') return
    if (this.state === 'signing-out') return
    this.machine.go('signing-out')
    this.#stopChannel()
    this.#clearTimers()
    const app = this.app
    this.app = null
    if (app) await this.http.delete(app.href).catch(() => {}) // the pool expires it anyway
    if (this.#account) await this.options.tokenStore.delete(this.#account).catch(() => false)
    this.#account = null
    this.#emit('saved', null)
    this.#token = null
    this.#creds = null
    this.machine.go('signed-out')
  }

  /** Quitting: the application is deleted and the channel stopped, but the keychain token stays for next time. */
  async shutdown(): Promise<void> {
    this.#stopChannel()
    this.#clearTimers()
    const app = this.app
    this.app = null
    if (app) await this.http.delete(app.href).catch(() => {})
  }

  /** The person did something: keep the pool's activity (Away after 5 min without it) fresh. */
  userActive(): void {
    this.#lastUserActivity = this.#now()
  }

  async reportActivity(): Promise<void> {
    const href = link(embedded(this.app ?? undefined, 'me'), 'reportMyActivity') ?? (this.app ? `${this.app.href}/me/reportMyActivity` : undefined)
    if (href) await this.http.post(href)
  }

  async setAvailability(availability: Exclude<Availability, 'Offline'>): Promise<void> {
    const me = await this.http.get(this.#need(link(embedded(this.app!, 'me'), 'self') ?? `${this.app!.href}/me`))
    const presence = link(me, 'presence')
    if (!presence) throw new UcwaError({ status: 409, code: 'Conflict', subcode: 'MakeMeAvailableRequired', message: userMessage('Conflict', 'MakeMeAvailableRequired') })
    await this.http.post(presence, { availability })
  }

  async search(query: string, limit = 20): Promise<Contact[]> {
    const href = this.#need(link(embedded(this.app!, 'people'), 'search'))
    const result = await this.http.get(href, { query: { query, limit } })
    return (result.embedded.contact ?? []).map(toContact)
  }

  async contacts(): Promise<Contact[]> {
    const href = this.#need(link(embedded(this.app!, 'people'), 'myContacts'))
    return ((await this.http.get(href)).embedded.contact ?? []).map(toContact)
  }

  async presenceOf(contact: Contact): Promise<Availability> {
    if (!contact.presenceHref) return 'Offline'
    return availabilityOf(prop(await this.http.get(contact.presenceHref), 'availability')) ?? 'Offline'
  }

  /** A photo as a data: URL the page can show (the page never fetches from the pool: the token stays here). */
  async photo(href: string): Promise<string | null> {
    const { type, bytes } = await this.http.image(href, { size: 'HR96X96' })
    if (!/^image\/(jpeg|png)$/.test(type) || bytes.length === 0 || bytes.length > MAX_BYTES.photo) return null
    return `data:${type};base64,${bytes.toString('base64')}`
  }

  /** my photo's link (me_ref.md) */
  get photoHref(): string | undefined {
    return link(embedded(this.app ?? undefined, 'me'), 'photo')
  }

  communicationLink(rel: string): string {
    return this.#need(link(embedded(this.app!, 'communication'), rel))
  }

  get channelRecoveryMs(): number {
    return Math.max(this.#recoveryBefore, this.#channel?.longestRecoveryMs ?? 0)
  }

  #need(href: string | undefined): string {
    if (!href || !this.app) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotSignedIn', message: 'Sign in first.' })
    return href
  }

  async #createApplication(): Promise<void> {
    const app = await this.http.post(this.#applicationsHref, {
      UserAgent: this.options.userAgent ?? 'Parley',
      EndpointId: this.options.endpointId,
      Culture: this.options.culture ?? 'en-US',
    })
    if (!app) throw new UcwaError({ status: 201, code: 'BadResponse', message: userMessage('BadResponse') })
    this.app = app
    this.#emit('application', app)
    const me = embedded(app, 'me')
    this.me = { name: prop(me, 'name') ?? '', uri: prop(me, 'uri') ?? '', title: prop(me, 'title'), department: prop(me, 'department') }
    const available = link(me, 'makeMeAvailable')
    if (available) {
      try {
        await this.http.post(available, { SupportedModalities: ['Audio', 'Video', 'Messaging'], SupportedMessageFormats: ['Plain', 'Html'] })
      } catch (e) {
        if (!(e instanceof UcwaError && e.is('Conflict', 'AlreadyExists'))) throw e
      }
    }
  }

  #signedIn(): Me {
    this.machine.go('signed-in')
    this.#startChannel()
    this.#scheduleKeepAlive()
    return this.me!
  }

  async #fail(e: unknown): Promise<never> {
    const error = e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: userMessage('ServiceFailure') })
    this.lastError = error
    if (this.machine.can('signed-out')) this.machine.go('signed-out')
    throw error
  }

  async #store(): Promise<void> {
    const creds = this.#creds!
    const token: StoredToken = { ...this.#token!, ...(creds.remember && { password: creds.password }) }
    await this.options.tokenStore.set(this.#account!, token)
    this.#emit('saved', { sipAddress: creds.sipAddress, poolOrigin: this.#poolOrigin, applicationsHref: this.#applicationsHref, discoveryUrl: creds.discoveryUrl, remember: creds.remember })
  }

  /** the channel stops; how long its worst recovery took is kept for the figures */
  #stopChannel(): void {
    this.#recoveryBefore = this.channelRecoveryMs
    this.#channel?.stop()
    this.#channel = null
  }

  #startChannel(): void {
    this.#stopChannel()
    const events = link(this.app!, 'events')!
    const loop = new EventChannelLoop(
      this.http,
      {
        onEvents: async (page) => {
          if (page.self && this.#delivered.includes(page.self)) return
          if (page.self) this.#delivered = [...this.#delivered.slice(-63), page.self]
          // not awaited: the next page's reads start when it arrives; delivery keeps channel order
          void this.eventResources.accept(page.events, async (events) => {
            if (events.length > 0) this.#emit('page', { self: page.self ?? '', count: events.length })
            for (const l of this.#listeners.events) {
              try {
                await l(events)
              } catch (e) {
                // a listener's failure is its own: the other listeners get the page, and the pages after it come
                this.options.log?.(`an event listener failed on a page: ${describe(e)}`)
              }
            }
          }).catch((e: unknown) => this.options.log?.(`event page delivery failed: ${describe(e)}`))
        },
        onTransientStateLost: (_why, cause) =>
          this.eventResources.inOrder(async () => {
            for (const l of this.#listeners.transientStateLost) await l(cause)
          }),
        recover: async () => {
          if (this.state === 'signed-in') this.machine.go('reconnecting')
          await this.#createApplication()
          this.machine.go('signed-in')
          return link(this.app!, 'events')!
        },
        reauthenticate: (refusal) => this.#reauthenticate(refusal),
        onWarning: (w) => this.options.log?.(`event channel: ${w.error.subcode} (${w.consecutive} in a row), asking again`),
        onReplaced: () => {
          this.lastError = new UcwaError({ status: 409, code: 'Conflict', subcode: 'PGetReplaced', message: userMessage('Conflict', 'PGetReplaced') })
          this.machine.go('replaced')
        },
        onState: (s) => {
          for (const l of this.#listeners.channel) l(s)
          if (s === 'backoff' && this.state === 'signed-in') this.machine.go('reconnecting')
          if (s === 'polling' && this.state === 'reconnecting') this.machine.go('signed-in')
        },
      },
      this.options.channel,
    )
    this.#channel = loop
    void loop.run(events).catch((e) => {
      if (this.#channel === loop) this.#lose(e)
    })
  }

  /** The live view of the loop, for tests and the log: warnings it survived. */
  get channel(): EventChannelLoop | null {
    return this.#channel
  }

  /**
   * The session is lost without the person signing out (channel ended for good, token refused with nothing
   * to renew it, application not recreatable): everything stops and the state says why (lastError, typed).
   */
  #lose(e: unknown): void {
    if (this.state !== 'signed-in' && this.state !== 'reconnecting' && this.state !== 'replaced') return
    const error = e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: userMessage('ServiceFailure') })
    this.lastError = error
    this.#stopChannel()
    this.#clearTimers()
    this.app = null
    // a refused token is no use at the next start either
    if (error.code === 'Unauthorized' && this.#account) void this.options.tokenStore.delete(this.#account).catch(() => false)
    this.machine.go('signed-out')
  }

  /** A refused token mid-session (or one about to expire): the remembered password gets one new token (token-renewal.ts). */
  #reauthenticate(refusal?: Refusal): Promise<void> {
    return this.#renewer.renew(refusal)
  }

  #scheduleKeepAlive(): void {
    this.#clearTimers()
    const every = this.options.activityIntervalMs ?? 3 * 60_000
    const tick = () => {
      if (this.state !== 'signed-in') return
      // Away after inactivity is the pool's to decide: report only when the person was active lately
      if (this.#now() - this.#lastUserActivity < 5 * 60_000) void this.reportActivity().catch(() => {})
      this.#timers.push(setTimeout(tick, every))
    }
    this.#timers.push(setTimeout(tick, every))
    // a timer that fires far too late means the machine slept: the channel reconnects at once
    let last = Date.now()
    const watch = setInterval(() => {
      const gap = Date.now() - last
      last = Date.now()
      if (gap > 20_000) this.#channel?.kick()
    }, 5_000)
    this.#timers.push(watch as unknown as ReturnType<typeof setTimeout>)
    for (const t of this.#timers) t.unref?.()
    this.#scheduleRenewal()
  }

  /** A new token before expires_in runs out, again after each renewal; a failed renewal leaves the 401 path to decide. */
  #scheduleRenewal(): void {
    if (this.#renewal) clearTimeout(this.#renewal)
    this.#renewal = null
    const renewIn = Math.max(0, (this.#token?.expiresAt ?? 0) - this.#now() - (this.options.renewBeforeMs ?? 5 * 60_000))
    if (!this.#token || renewIn >= 2 ** 31 - 1 || !this.#creds?.remember) return
    this.#renewal = setTimeout(() => {
      this.#renewal = null
      if (this.state === 'signed-in' || this.state === 'reconnecting') void this.#reauthenticate().catch(() => {})
    }, renewIn)
    this.#renewal.unref?.()
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t) // clearTimeout clears intervals too
    this.#timers = []
    if (this.#renewal) clearTimeout(this.#renewal)
    this.#renewal = null
  }

  #now = (): number => (this.options.now ?? Date.now)()

  #emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const l of this.#listeners[event]) (l as (...a: Parameters<ClientEvents[K]>) => void)(...args)
  }
}

function toContact(r: Resource): Contact {
  return { name: prop(r, 'name') ?? '', uri: prop(r, 'uri') ?? '', title: prop(r, 'title'), department: prop(r, 'department'), href: r.href, presenceHref: link(r, 'contactPresence'), photoHref: link(r, 'contactPhoto') }
}

export function newEndpointId(): string {
  return randomUUID()
}
