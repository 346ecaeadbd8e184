// The UCWA session's shapes: its states' moves, what it keeps between runs, its options and its events (client.ts).
import type { SessionState } from '../../preload/contract'
import type { Credentials } from './sign-in'
import type { ChannelOptions, ChannelState } from './event-channel'
import type { EventResourceWarning } from './event-resources'
import type { UcwaEvent } from './events'
import type { UcwaError } from './errors'
import type { Format, HttpOptions } from './http'
import type { Resource } from './resource'
import type { TokenStore } from '../credentials/token-store'

/** the session's states are the contract's (preload/contract.ts SessionState), declared once there */
export type { SessionState } from '../../preload/contract'

/** the session's allowed moves (state-machine.ts) */
export const sessionTransitions: Record<SessionState, SessionState[]> = {
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

/** Each session event's listeners, called in the order they were added. */
export class ClientListeners {
  readonly sets: { [K in keyof ClientEvents]: Set<ClientEvents[K]> } = {
    state: new Set(),
    events: new Set(),
    transientStateLost: new Set(),
    channel: new Set(),
    saved: new Set(),
    page: new Set(),
    application: new Set(),
    warning: new Set(),
  }

  /** Adds a listener; returns what removes it. */
  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): () => void {
    this.sets[event].add(listener)
    return () => this.sets[event].delete(listener)
  }

  emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const l of this.sets[event]) (l as (...a: Parameters<ClientEvents[K]>) => void)(...args)
  }
}
