// No Secret Service (a Linux desktop without one): the app says so and keeps the token in memory only.
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openTokenStore } from '../../main/credentials/open-token-store'
import { testCore } from '../support/core'

// set before keytar loads in this worker: libsecret connects to this bus and fails
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/parley-no-bus'

describe('keychain unavailable', () => {
  it('falls back to memory with a reason the user can read, writing no file', async () => {
    const home = await mkdtemp(join(tmpdir(), 'parley-home-'))
    process.env.HOME = home
    const store = await openTokenStore({ service: 'Parley unavailable test' })
    expect(store.kind).toBe('memory')
    expect(store.unavailableReason).toMatch(/system keychain is not available/)
    await store.set('a@https://pool.test', { accessToken: 'cwt=secret', tokenType: 'Bearer', expiresAt: 1 })
    expect(await store.get('a@https://pool.test')).toMatchObject({ accessToken: 'cwt=secret' })
    expect(await readdir(home)).toEqual([])

    const core = await testCore({ tokenStore: store })
    expect(await core.dispatch('app.getInfo', undefined)).toMatchObject({
      ok: true,
      value: { keychain: { available: false, reason: store.unavailableReason } },
    })
    await core.close()
  })
})
