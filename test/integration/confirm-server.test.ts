// RootURL.md's domain check shown to the person, through the core: the pool lives on another domain than the sign-in address.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { makeTestTls, type TestTls } from '../support/test-tls'

const POOL = 'pool1.fabrikam.test'
const ALICE = { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false }

let tls: TestTls
let sim: Simulator
let core: Core
beforeAll(() => {
  tls = makeTestTls('contoso.test', 'fabrikam.test')
})
afterEach(async () => {
  await core?.close()
  await sim?.close()
})

async function setUp(): Promise<void> {
  // lyncdiscover(internal).contoso.test answer with a user link on pool1.fabrikam.test
  sim = await startSimulator({ tls: { key: tls.key, cert: tls.cert }, poolHosts: { pool1: POOL } })
  core = await testCore({ ucwa: { connectTo: sim.connectTo, ca: tls.ca } })
}

describe('confirming a server outside the sign-in domain', () => {
  it('the refusal says which server to confirm, and nothing secret went there', async () => {
    await setUp()
    const res = await core.dispatch('session.signIn', ALICE)
    expect(res).toMatchObject({ ok: false, error: { code: 'Forbidden', subcode: 'DomainMismatch' } })
    const info = await core.dispatch('session.get', undefined)
    expect(info).toMatchObject({ ok: true, value: { state: 'signed-out', error: { subcode: 'DomainMismatch', confirm: { host: POOL, domain: 'contoso.test', sipAddress: 'alice@contoso.test' } } } })
    expect(sim.control.secretsSeen()).toEqual([])
  })

  it('Continue trusts that host for the domain (kept in settings) and signs in; removing it refuses again', async () => {
    await setUp()
    await core.dispatch('session.signIn', ALICE)
    const changed: unknown[] = []
    core.events.subscribe((name, payload) => name === 'settings.changed' && changed.push((payload as { trustedServers: unknown }).trustedServers))
    const res = await core.dispatch('session.signIn', { ...ALICE, trustServer: POOL })
    expect(res).toMatchObject({ ok: true, value: { state: 'signed-in', user: { name: 'Alice Ahlberg' }, error: null } })
    expect(core.client.poolOrigin).toBe(`https://${POOL}:${sim.pools[0]!.port}`)
    expect(changed).toEqual([{ 'contoso.test': [POOL] }])
    expect(await core.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: { 'contoso.test': [POOL] } } })

    // trusted from now on, without asking
    await core.dispatch('session.signOut', undefined)
    expect(await core.dispatch('session.signIn', ALICE)).toMatchObject({ ok: true, value: { state: 'signed-in' } })

    // removed: asked again
    await core.dispatch('session.signOut', undefined)
    await core.dispatch('settings.update', { trustedServers: {} })
    expect(await core.dispatch('session.signIn', ALICE)).toMatchObject({ ok: false, error: { subcode: 'DomainMismatch' } })
  })

  it('a renewal of the token goes through the confirmed server again without asking', async () => {
    await setUp()
    const keep = { ...ALICE, remember: true }
    await core.dispatch('session.signIn', keep)
    expect(await core.dispatch('session.signIn', { ...keep, trustServer: POOL })).toMatchObject({ ok: true, value: { state: 'signed-in' } })
    const before = sim.control.secretsSeen().filter((s) => s.passwordOf).length
    expect(sim.control.expireTokens('alice@contoso.test')).toBeGreaterThan(0)
    expect(await core.dispatch('people.search', { query: 'bob' })).toMatchObject({ ok: true, value: [{ name: 'Bob Brennan' }] })
    expect(sim.control.secretsSeen().filter((s) => s.passwordOf)).toHaveLength(before + 1) // one new grant, at the confirmed pool
    expect(core.client.state).toBe('signed-in')
  })

  it('the page cannot make main trust a server it was not asked about', async () => {
    await setUp()
    const unasked = await core.dispatch('session.signIn', { ...ALICE, trustServer: POOL })
    expect(unasked).toMatchObject({ ok: false, error: { code: 'BadRequest', subcode: 'ParameterValidationFailure', message: expect.stringContaining(POOL) } })
    await core.dispatch('session.signIn', ALICE)
    const other = await core.dispatch('session.signIn', { ...ALICE, trustServer: 'evil.example.test' })
    expect(other).toMatchObject({ ok: false, error: { code: 'BadRequest' } })
    // nor through the settings: they only take servers away
    const added = await core.dispatch('settings.update', { trustedServers: { 'contoso.test': [POOL] } })
    expect(added).toMatchObject({ ok: false, error: { code: 'BadRequest', subcode: 'ParameterValidationFailure', message: expect.stringContaining(POOL) } })
    expect(await core.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: {} } })
    expect(await core.dispatch('session.signIn', ALICE)).toMatchObject({ ok: false, error: { subcode: 'DomainMismatch' } })
    expect(sim.control.secretsSeen()).toEqual([])
  })

  it('Cancel (no Continue) leaves it refused: the next sign-in is refused again', async () => {
    await setUp()
    await core.dispatch('session.signIn', ALICE)
    expect(await core.dispatch('session.signIn', ALICE)).toMatchObject({ ok: false, error: { subcode: 'DomainMismatch' } })
    expect(sim.control.applications('alice@contoso.test')).toEqual([])
  })
})
