// Between the event channel and its listeners: an event whose resource came only as a link gets it read from
// link.href, so every consumer handles embedded and link-only events alike (EventsInUCWA.md: "uses the embedded
// resource content when it is available, or retrieves it from the URL if it is not"). Real pools send most
// events link-only (see the reference pages' "Sample of returned event data").
import { UcwaError } from './errors'
import type { UcwaEvent } from './events'
import type { UcwaHttp } from './http'

/** An event delivered without its resource because reading link.href failed (404: already gone; network; too slow). */
export interface EventResourceWarning {
  kind: 'EventResourceUnavailable'
  type: UcwaEvent['type']
  rel: string
  href: string
  error: UcwaError
}

export interface EventResourcesOptions {
  /** the longest one read may take before its event goes on without it, ms (default 10 s) */
  timeoutMs?: number
  onWarning?: (warning: EventResourceWarning) => void
}

export class EventResources {
  readonly #rels = new Set<string>()
  #delivery: Promise<void> = Promise.resolve()
  /** events delivered without the resource they announced (each also reported to onWarning) */
  warnings = 0

  constructor(
    private readonly http: Pick<UcwaHttp, 'get'>,
    private readonly options: EventResourcesOptions = {},
  ) {}

  /** A consumer declares the event rels whose resource it reads; those are fetched when not embedded. */
  read(rels: Iterable<string>): void {
    for (const rel of rels) this.#rels.add(rel)
  }

  /**
   * One page of events, in channel order. The reads its link-only events need start at once, in parallel
   * (with those of pages still in flight); `deliver` gets the page, each read resource in `embedded`, once they
   * settled and every earlier page was delivered. A read that fails (UcwaError: 404 NotFound, NetworkError, or
   * Timeout after `timeoutMs`) leaves its event without a resource and is reported as an EventResourceWarning.
   * Call it without awaiting: the returned promise is the delivery (it rejects if `deliver` throws).
   */
  accept(events: UcwaEvent[], deliver: (events: UcwaEvent[]) => Promise<void> | void): Promise<void> {
    const reads = new Map<string, Promise<UcwaEvent['embedded']>>() // one GET per href and page
    const filled = Promise.all(events.map((e) => this.#fill(e, reads)))
    return this.inOrder(async () => deliver(await filled))
  }

  /** Work that keeps its place among the deliveries (transient state lost between two pages). */
  inOrder(fn: () => Promise<void> | void): Promise<void> {
    const next = this.#delivery.then(fn)
    this.#delivery = next.catch(() => {}) // a listener's failure does not stop the pages after it
    return next
  }

  async #fill(e: UcwaEvent, reads: Map<string, Promise<UcwaEvent['embedded']>>): Promise<UcwaEvent> {
    // a deleted resource has nothing to read (EventsInUCWA.md); an embedded one needs no read
    if (e.embedded || e.type === 'deleted' || !this.#rels.has(e.link.rel)) return e
    let read = reads.get(e.link.href)
    if (!read) {
      read = this.#get(e.link.href)
      reads.set(e.link.href, read)
    }
    try {
      return { ...e, embedded: await read }
    } catch (error) {
      this.warnings++
      this.options.onWarning?.({ kind: 'EventResourceUnavailable', type: e.type, rel: e.link.rel, href: e.link.href, error: error as UcwaError })
      return e
    }
  }

  async #get(href: string): Promise<UcwaEvent['embedded']> {
    const ms = this.options.timeoutMs ?? 10_000
    try {
      return await this.http.get(href, { signal: AbortSignal.timeout(ms) }) // the signal alone bounds it: one cause, Timeout
    } catch (e) {
      if (e instanceof UcwaError && e.code === 'Aborted') throw new UcwaError({ status: 0, code: 'Timeout', message: `The server did not return the event's resource within ${ms} ms.` })
      if (e instanceof UcwaError) throw e
      throw new UcwaError({ status: 0, code: 'BadResponse', message: String((e as Error)?.message ?? e) })
    }
  }
}
