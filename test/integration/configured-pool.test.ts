// PARLEY_DISCOVERY_URL reaches sign-in: an address of a domain nothing discovers signs in at the configured pool.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'

let sim: Simulator | undefined
let core: Core | undefined
afterEach(async () => {
  await core?.close()
  await sim?.close()
})

describe('the configured discovery URL', () => {
  it('is where sign-in goes when the form names no discovery URL', async () => {
    sim = await startSimulator()
    core = await testCore({ discoveryUrl: sim.url })
    expect(await core.dispatch('app.getInfo', undefined)).toMatchObject({ ok: true, value: { discoveryUrl: sim.url, demo: null } })
    const r = await core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false })
    expect(r).toMatchObject({ ok: true, value: { state: 'signed-in', user: { name: 'Alice Ahlberg' } } })
  }, 30_000)

  it('a discovery URL in the form still wins over it', async () => {
    sim = await startSimulator()
    core = await testCore({ discoveryUrl: 'http://127.0.0.1:9/' })
    const r = await core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    expect(r).toMatchObject({ ok: true, value: { state: 'signed-in' } })
  }, 30_000)
})
