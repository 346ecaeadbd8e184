// main's side of the contract as a renderer test's media engine sees it: requests the test sends, responses recorded.
import type { ParleyApi } from '../../preload/api-types'
import { setApi } from '../../renderer/src/api/current'

export interface MediaResponse {
  requestId: string
  sdp?: string
  error?: string
}

/** Installs a stand-in api (setApi): `send(event, payload)` delivers an event to the engine's listener, `responses` collects its media.respond calls. */
export function mainSide(): { send: (event: string, payload: unknown) => void; responses: MediaResponse[] } {
  const listeners = new Map<string, (payload: unknown) => void>()
  const responses: MediaResponse[] = []
  setApi({
    on: (event: string, listener: (payload: unknown) => void) => (listeners.set(event, listener), () => listeners.delete(event)),
    invoke: async (method: string, input: unknown) => void (method === 'media.respond' && responses.push(input as MediaResponse)),
  } as unknown as ParleyApi)
  return { send: (event, payload) => listeners.get(event)!(payload), responses }
}
