import { describe, expect, it } from 'vitest'
import { createDispatcher, type Handlers } from '../../main/core/dispatcher'
import { ApiError } from '../../preload/errors'
import { testCore } from '../support/core'

describe('contract dispatch', () => {
  it('answers a valid call with its value', async () => {
    const core = await testCore()
    const res = await core.dispatch('app.getInfo', undefined)
    expect(res).toMatchObject({ ok: true, value: { name: 'Parley', version: '9.8.7-test', keychain: { available: false } } })
    await core.close()
  })

  it('rejects a wrong payload with a typed validation error naming the field, and changes nothing', async () => {
    const core = await testCore()
    const res = await core.dispatch('settings.update', { theme: 'purple' })
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error).toMatchObject({ kind: 'validation', code: 'ValidationFailed' })
    expect(res.error.issues?.[0]?.path).toBe('theme')
    const after = await core.dispatch('settings.get', undefined)
    expect(after).toMatchObject({ ok: true, value: { theme: 'system' } })
    await core.close()
  })

  it('rejects unknown keys, wrong types and unknown methods', async () => {
    const core = await testCore()
    expect(await core.dispatch('settings.update', { theme: 'dark', evil: true })).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect(await core.dispatch('settings.update', 'dark')).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect(await core.dispatch('app.getInfo', { extra: 1 })).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect(await core.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { kind: 'unknown-method' } })
    expect(await core.dispatch(42, {})).toMatchObject({ ok: false, error: { kind: 'unknown-method' } })
    await core.close()
  })

  it('turns handler failures into typed errors without leaking their text', async () => {
    const logged: unknown[] = []
    const boom = (): never => {
      throw new Error('secret internals')
    }
    const typed = (): never => {
      throw new ApiError({ kind: 'ucwa', code: 'Conflict', subcode: 'AlreadyExists', status: 409, message: 'Already exists' })
    }
    const dispatch = createDispatcher(
      { 'app.getInfo': boom, 'settings.get': typed, 'settings.update': boom } as unknown as Handlers,
      (_m, e) => logged.push(e),
    )
    const internal = await dispatch('app.getInfo', undefined)
    expect(internal).toEqual({ ok: false, error: { kind: 'internal', code: 'InternalError', message: 'app.getInfo failed' } })
    expect(logged).toHaveLength(1)
    expect(await dispatch('settings.get', undefined)).toEqual({
      ok: false,
      error: { kind: 'ucwa', code: 'Conflict', subcode: 'AlreadyExists', status: 409, message: 'Already exists' },
    })
  })
})
