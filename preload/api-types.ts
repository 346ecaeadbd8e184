import type { Envelope } from './errors'
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from './contract'

/** What a transport gives the renderer: untyped calls in, envelopes out. Electron IPC and WebSocket both provide it. */
export interface RawBridge {
  invoke(method: string, input: unknown): Promise<Envelope>
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}

/** The typed API the renderer's stores use, the same over either transport. */
export interface ParleyApi {
  invoke<K extends RequestName>(
    method: K,
    ...input: undefined extends RequestInput<K> ? [input?: RequestInput<K>] : [input: RequestInput<K>]
  ): Promise<RequestOutput<K>>
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void
}
