// People's photos for the page: fetched here with the session's token, handed over as data: URLs, kept for the session.
import type { UcwaClient } from '../ucwa/client'
import type { Contact } from '../ucwa/types'

export class Photos {
  /** uri → the photo's link in the current application (contacts and search results bring them) */
  readonly #links = new Map<string, string>()
  readonly #cache = new Map<string, Promise<string | null>>()

  constructor(private readonly client: Pick<UcwaClient, 'photo' | 'photoHref' | 'me'>) {}

  remember(people: Contact[]): void {
    for (const p of people) if (p.photoHref) this.#links.set(p.uri, p.photoHref)
  }

  /** The photo of someone the page was shown (or mine), or null: no photo, or not one we know of. */
  photoOf(uri: string): Promise<string | null> {
    const href = uri === this.client.me?.uri ? this.client.photoHref : this.#links.get(uri)
    if (!href) return Promise.resolve(null)
    let p = this.#cache.get(uri)
    if (!p) {
      p = this.client.photo(href).catch(() => null)
      this.#cache.set(uri, p)
      // a failure is not remembered: the next view asks again
      void p.then((v) => v === null && this.#cache.delete(uri))
    }
    return p
  }

  clear(): void {
    this.#links.clear()
    this.#cache.clear()
  }
}
