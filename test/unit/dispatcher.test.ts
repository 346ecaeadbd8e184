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

describe('the discovery URL the page may send', () => {
  const signIn = (discoveryUrl: string) => ({ sipAddress: 'alice@contoso.test', password: 'pw', remember: false, discoveryUrl })

  it('is https, or http to this machine only: any other scheme or host is refused before main connects anywhere', async () => {
    const { createServer } = await import('node:net')
    let connections = 0
    const server = createServer((s) => (connections++, s.destroy()))
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const port = (server.address() as { port: number }).port
    const core = await testCore()
    for (const url of [`ftp://127.0.0.1:${port}/`, `file:///etc/passwd`, `gopher://127.0.0.1:${port}/`, `ws://127.0.0.1:${port}/`, 'http://lyncdiscover.contoso.test/', 'http://10.1.2.3:22/', 'javascript:alert(1)']) {
      const res = await core.dispatch('session.signIn', signIn(url))
      expect(res, url).toMatchObject({ ok: false, error: { kind: 'validation', issues: [{ path: 'discoveryUrl' }] } })
    }
    expect(connections).toBe(0)
    // http to a loopback address is a local pool (the simulator): it is tried
    const local = await core.dispatch('session.signIn', signIn(`http://127.0.0.1:${port}/`))
    expect(local).toMatchObject({ ok: false, error: { kind: 'ucwa' } })
    expect(connections).toBeGreaterThan(0)
    await core.close()
    server.close()
  })
})
