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
    // what is missing and how to fix it, in plain words (this machine is Linux)
    expect(store.unavailableReason).toMatch(/^Parley found no keychain \(a Secret Service such as GNOME Keyring or KWallet\), so it cannot remember your sign-in\. Install GNOME Keyring/)
    expect(store.unavailableReason).toMatch(/Until then you sign in each time Parley starts\. \(Details: .+\)$/)
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
