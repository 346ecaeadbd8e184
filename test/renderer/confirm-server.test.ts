// The sign-in view asks the person about a server outside their domain (RootURL.md step 6): Continue, Cancel, Remove.
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'
import { makeTestTls, type TestTls } from '../support/test-tls'

const POOL = 'pool1.fabrikam.test'
const ASK = `Parley was sent to ${POOL} to sign in as alice@contoso.test. Only continue if your company uses this server.`

let tls: TestTls
let sim: Simulator | undefined
let core: Core | undefined
let wrapper: VueWrapper | undefined
beforeAll(() => {
  tls = makeTestTls('contoso.test', 'fabrikam.test')
})
afterEach(async () => {
  wrapper?.unmount()
  await core?.close()
  await sim?.close()
})

async function signInPage(): Promise<VueWrapper> {
  sim = await startSimulator({ tls: { key: tls.key, cert: tls.cert }, poolHosts: { pool1: POOL } })
  core = await testCore({ ucwa: { connectTo: sim.connectTo, ca: tls.ca } })
  wrapper = await mountApp(core)
  await wrapper.get('input#sip').setValue('alice@contoso.test')
  await wrapper.get('input#password').setValue('alice-pass')
  return wrapper
}

async function submit(w: VueWrapper): Promise<void> {
  await w.get('form').trigger('submit')
  await expect.poll(async () => (await flushPromises(), w.find('[data-testid=confirm-server]').exists() || w.find('[data-testid=signin-error]').exists()), { timeout: 10_000 }).toBe(true)
}

const button = (w: VueWrapper, text: string) => w.findAll('[data-testid=confirm-server] button').find((b) => b.text() === text)!

describe('confirming the server (sign-in view)', () => {
  it('asks, and Cancel leaves the sign-in refused with the reason shown', async () => {
    const w = await signInPage()
    await submit(w)
    expect(w.get('[data-testid=confirm-server]').attributes('role')).toBe('alertdialog')
    expect(w.get('#confirm-server-text').text().replace(/\s+/g, ' ')).toBe(ASK)
    await button(w, 'Cancel').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=confirm-server]').exists()).toBe(false)
    expect(w.get('[data-testid=signin-error]').text()).toBe(`The server sent the sign-in to ${POOL}, which is not contoso.test. Parley did not follow it.`)
    expect(sim!.control.applications('alice@contoso.test')).toEqual([])
    expect(await core!.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: {} } })
  })

  it('Continue trusts the server and signs in; the server is listed under the sign-in form and can be removed', async () => {
    const w = await signInPage()
    await submit(w)
    await button(w, 'Continue').trigger('click')
    await expect.poll(async () => (await flushPromises(), core!.client.state), { timeout: 10_000 }).toBe('signed-in')
    expect(sim!.control.applications('alice@contoso.test')).toHaveLength(1)
    await core!.dispatch('session.signOut', undefined)
    await expect.poll(async () => (await flushPromises(), w.find('[data-testid=trusted-servers]').exists()), { timeout: 10_000 }).toBe(true)
    expect(w.get('[data-testid=trusted-servers] li').text()).toContain(`${POOL} for contoso.test`)
    await w.get(`[aria-label="Remove ${POOL}"]`).trigger('click')
    await flushPromises()
    expect(await core!.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: {} } })
    expect(w.find('[data-testid=trusted-servers]').exists()).toBe(false)
  })
})
