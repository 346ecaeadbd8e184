// One way for a store to run a request of the person's: its last error cleared first, and set to what went wrong if it fails.
import { ApiError } from '../../../preload/errors'

/** What the store shows the person: the last request's error, or null. */
export interface ErrorShown {
  error: string | null
}

/**
 * Runs `fn` for `store`: `store.error` is cleared, then set to the ApiError's message (a main-side failure's words) or
 * `failed` for anything else. Returns fn's result, or undefined when it failed (never throws).
 */
export async function run<T>(store: ErrorShown, fn: () => Promise<T>, failed = 'That did not work.'): Promise<T | undefined> {
  store.error = null
  try {
    return await fn()
  } catch (e) {
    store.error = e instanceof ApiError ? e.message : failed
    return undefined
  }
}
