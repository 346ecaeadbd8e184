import type { ParleyApi, RawBridge } from '../../../preload/api-types'
import { isEventName, type EventName } from '../../../preload/contract'
import { ApiError } from '../../../preload/errors'

/** The typed API over any transport: envelopes become values or thrown ApiErrors. */
export function createApi(raw: RawBridge): ParleyApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  raw.subscribe((name, payload) => {
    if (!isEventName(name)) return
    for (const listener of listeners.get(name) ?? []) listener(payload as never)
  })
  return {
    async invoke(method, ...input) {
      const envelope = await raw.invoke(method, input[0])
      if (!envelope.ok) throw new ApiError(envelope.error)
      return envelope.value as never
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
  }
}
