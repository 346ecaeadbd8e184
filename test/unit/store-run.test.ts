// The stores' one request wrapper (renderer/src/stores/run.ts): the error shown is the last request's, in main's words.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../preload/errors'
import { run } from '../../renderer/src/stores/run'

describe("a store's request", () => {
  it('clears the error shown, and gives what the request answered', async () => {
    const store = { error: 'an earlier failure' as string | null }
    expect(await run(store, async () => 42)).toBe(42)
    expect(store.error).toBeNull()
  })

  it("a failure from main shows main's message; anything else the store's words; it never throws", async () => {
    const store = { error: null as string | null }
    const refused = new ApiError({ kind: 'ucwa', code: 'Forbidden', message: 'The pool refused the call.' })
    expect(await run(store, () => Promise.reject(refused))).toBeUndefined()
    expect(store.error).toBe('The pool refused the call.')
    expect(await run(store, () => Promise.reject(new TypeError('x is undefined')))).toBeUndefined()
    expect(store.error).toBe('That did not work.')
    await run(store, () => Promise.reject(new Error('boom')), 'The call could not start.')
    expect(store.error).toBe('The call could not start.')
  })
})
