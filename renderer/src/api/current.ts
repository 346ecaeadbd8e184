import type { ParleyApi } from '../../../preload/api-types'

let current: ParleyApi | null = null

/** Stores reach main only through this; tests set a fake. */
export function setApi(api: ParleyApi): void {
  current = api
}

export function api(): ParleyApi {
  if (!current) throw new Error('Parley API not connected')
  return current
}
