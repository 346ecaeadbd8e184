// Real keytar against a real Secret Service: test/run.sh starts a D-Bus session with an unlocked gnome-keyring.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openTokenStore } from '../../main/credentials/open-token-store'
import { tokenAccount } from '../../main/credentials/token-store'

const service = `Parley test ${randomUUID()}`

describe('keychain token store (keytar + gnome-keyring)', () => {
  it('opens the system keychain', async () => {
    const store = await openTokenStore({ service })
    expect(store.unavailableReason).toBeUndefined()
    expect(store.kind).toBe('keychain')
  })

  it('stores, reads back across a new store instance, and deletes a token', async () => {
    const account = tokenAccount('Alice@Contoso.com', 'https://pool1.contoso.test:4443/ucwa')
    expect(account).toBe('alice@contoso.com@https://pool1.contoso.test:4443')
    const token = { accessToken: `cwt=${randomUUID()}`, tokenType: 'Bearer', expiresAt: Date.now() + 8 * 3600_000 }
    await (await openTokenStore({ service })).set(account, token)
    const reopened = await openTokenStore({ service }) // as after an app restart
    expect(await reopened.get(account)).toEqual(token)
    expect(await reopened.get(tokenAccount('bob@contoso.com', 'https://pool1.contoso.test:4443'))).toBeNull()
    expect(await reopened.delete(account)).toBe(true)
    expect(await reopened.get(account)).toBeNull()
  })

  it('the keytar build from npm ci is the one loaded', async () => {
    const { createRequire } = await import('node:module')
    const resolved = createRequire(import.meta.url).resolve('keytar')
    const { existsSync } = await import('node:fs')
    expect(existsSync(resolved.replace(/lib[/\\]keytar\.js$/, 'build/Release/keytar.node'))).toBe(true)
  })
})
