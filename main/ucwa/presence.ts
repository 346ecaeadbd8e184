// Contacts' presence by subscription (SubscribeToThePresenceOfSelectedContacts.md, ExtendAPresenceSubscription.md):
// one subscription for the people the person sees, extended when the pool warns, made again for a new application.
import type { UcwaClient } from './client'
import { UcwaError } from './errors'
import { describe } from './log'
import type { UcwaEvent } from './events'
import { embedded, link, prop } from './resource'
import { availabilityOf, type Availability, type Contact } from './types'

/** the longest the pool grants (presenceSubscriptions_ref.md) */
const DURATION_MINUTES = 30

export class PresenceWatch {
  #uris: string[] = []
  #subscription?: string
  /** contactPresence href → whose it is */
  readonly #byHref = new Map<string, string>()

  constructor(
    private readonly client: Pick<UcwaClient, 'http' | 'app' | 'on' | 'eventResources'>,
    private readonly onPresence: (uri: string, availability: Availability) => void,
    private readonly log: (message: string) => void = () => {},
  ) {
    client.eventResources.read(['contactPresence'])
    client.on('events', (events) => this.#onEvents(events))
    client.on('application', () => {
      this.#subscription = undefined // it died with the old application
      this.#byHref.clear()
    })
  }

  /** Watch these people (the contact list on screen); the same list again costs nothing. */
  async watch(contacts: Contact[]): Promise<void> {
    for (const c of contacts) if (c.presenceHref) this.#byHref.set(c.presenceHref, c.uri)
    const uris = [...new Set(contacts.map((c) => c.uri))].sort()
    if (this.#subscription && uris.join() === this.#uris.join()) return
    this.#uris = uris
    await this.#subscribe()
  }

  async #subscribe(): Promise<void> {
    const old = this.#subscription
    this.#subscription = undefined
    if (old) await this.client.http.delete(old).catch(() => {}) // expires by itself anyway
    const href = link(embedded(this.client.app ?? undefined, 'people'), 'presenceSubscriptions')
    if (!href || this.#uris.length === 0) return
    const res = await this.client.http.post(href, { duration: DURATION_MINUTES, uris: this.#uris })
    this.#subscription = res?.href
  }

  async #onEvents(events: UcwaEvent[]): Promise<void> {
    for (const e of events) {
      try {
        if (e.link.rel === 'presenceSubscription' && e.type === 'updated' && e.link.href === this.#subscription) await this.#extend(e.link.href)
        if (e.link.rel === 'contactPresence' && e.type === 'updated') {
          const uri = this.#byHref.get(e.link.href)
          if (!uri) continue
          const availability = availabilityOf(prop(e.embedded, 'availability'))
          if (availability) this.onPresence(uri, availability)
        }
      } catch (error) {
        // one presence lost is shown at the next change or load; the channel goes on
        this.log(`presence event ${e.type} ${e.link.rel} failed (${e.link.href}): ${describe(error)}`)
      }
    }
  }

  /** The pool warned that the subscription runs out: extend it, or make a new one if it already did. */
  async #extend(href: string): Promise<void> {
    try {
      await this.client.http.post(href, undefined, { query: { duration: DURATION_MINUTES } })
    } catch (e) {
      if (e instanceof UcwaError && e.status === 404) await this.#subscribe()
      else throw e
    }
  }
}
