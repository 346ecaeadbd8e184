// The session's event channel (EventsInUCWA.md): one loop at a time, each page delivered once and in order to the
// session's listeners, after its link-only events got their resources (event-resources.ts).
import { EventChannelLoop, type ChannelOptions, type ChannelState } from './event-channel'
import type { EventResources } from './event-resources'
import type { UcwaError } from './errors'
import type { UcwaHttp } from './http'
import { describe } from './log'
import type { ClientListeners } from './session-options'
import type { Refusal } from './token-refusal'

/** what the session does at the channel's turns (client.ts) */
export interface SessionChannelDeps {
  http: UcwaHttp
  eventResources: EventResources
  listeners: ClientListeners
  options?: ChannelOptions
  log?: (message: string) => void
  /** the application is gone (404): make a new one; returns its events link */
  recover(): Promise<string>
  reauthenticate(refusal: Refusal): Promise<void>
  onReplaced(): void
  /** the channel's state changed (after the listeners heard it) */
  onState(state: ChannelState): void
  /** the channel ended for good: the session is lost */
  onLost(error: unknown): void
}

export class SessionChannel {
  #loop: EventChannelLoop | null = null
  #recoveryBefore = 0
  /** self links of the pages already delivered: after signing in again to the same application the pool
   *  resends the page we had not acknowledged yet, and it must not be handled twice */
  #delivered: string[] = []

  constructor(private readonly deps: SessionChannelDeps) {}

  /** the live loop, for tests and the log: warnings it survived */
  get loop(): EventChannelLoop | null {
    return this.#loop
  }

  /** the longest time the channel took to recover, ms, across every loop of this session */
  get recoveryMs(): number {
    return Math.max(this.#recoveryBefore, this.#loop?.longestRecoveryMs ?? 0)
  }

  /** Starts a new loop on `eventsHref` (the application's events link), stopping the one before. */
  start(eventsHref: string): void {
    this.stop()
    const { deps } = this
    const loop = new EventChannelLoop(
      deps.http,
      {
        onEvents: async (page) => {
          if (page.self && this.#delivered.includes(page.self)) return
          if (page.self) this.#delivered = [...this.#delivered.slice(-63), page.self]
          // not awaited: the next page's reads start when it arrives; delivery keeps channel order
          void deps.eventResources.accept(page.events, async (events) => {
            if (events.length > 0) deps.listeners.emit('page', { self: page.self ?? '', count: events.length })
            for (const l of deps.listeners.sets.events) {
              try {
                await l(events)
              } catch (e) {
                // a listener's failure is its own: the other listeners get the page, and the pages after it come
                deps.log?.(`an event listener failed on a page: ${describe(e)}`)
              }
            }
          }).catch((e: unknown) => deps.log?.(`event page delivery failed: ${describe(e)}`))
        },
        onTransientStateLost: (_why, cause?: UcwaError) =>
          deps.eventResources.inOrder(async () => {
            for (const l of deps.listeners.sets.transientStateLost) await l(cause)
          }),
        recover: () => deps.recover(),
        reauthenticate: (refusal) => deps.reauthenticate(refusal),
        onWarning: (w) => deps.log?.(`event channel: ${w.error.subcode} (${w.consecutive} in a row), asking again`),
        onReplaced: () => deps.onReplaced(),
        onState: (s) => {
          for (const l of deps.listeners.sets.channel) l(s)
          deps.onState(s)
        },
      },
      deps.options,
    )
    this.#loop = loop
    void loop.run(eventsHref).catch((e) => {
      if (this.#loop === loop) deps.onLost(e)
    })
  }

  /** The loop stops; how long its worst recovery took is kept for the figures. */
  stop(): void {
    this.#recoveryBefore = this.recoveryMs
    this.#loop?.stop()
    this.#loop = null
  }

  /** The machine slept: drop the in-flight request and ask again at once. */
  kick(): void {
    this.#loop?.kick()
  }
}
