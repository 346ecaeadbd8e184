import type { EventName, EventPayload } from '../../preload/contract'

export type EventListener = (name: EventName, payload: unknown) => void

/** Pushed events from the core to every connected renderer, whatever the transport. */
export class EventHub {
  readonly #listeners = new Set<EventListener>()

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const listener of this.#listeners) listener(name, payload)
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  get size(): number {
    return this.#listeners.size
  }
}
