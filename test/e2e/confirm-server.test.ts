// RootURL.md's domain check in the real renderer (Chromium): a pool on another domain is shown to the person to confirm.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { makeTestTls, type TestTls } from '../support/test-tls'
import { focused, launchClient, screenshot, type Client } from './harness'

const POOL = 'pool1.fabrikam.test'

let tls: TestTls
let sim: Simulator | undefined
let client: Client | undefined
beforeAll(() => {
  tls = makeTestTls('contoso.test', 'fabrikam.test')
})
afterEach(async () => {
  await client?.close()
  await sim?.close()
})

async function signInPage(): Promise<Client> {
  // lyncdiscoverinternal.contoso.test answers, but the user's pool is https://pool1.fabrikam.test
  sim = await startSimulator({ tls: { key: tls.key, cert: tls.cert }, poolHosts: { pool1: POOL } })
  client = await launchClient({ core: await testCore({ ucwa: { connectTo: sim.connectTo, ca: tls.ca } }) })
  const { page } = client
  await page.getByLabel('Sign-in address').fill('alice@contoso.test')
  await page.getByLabel('Password').fill('alice-pass')
  await page.getByLabel('Password').press('Enter') // by keyboard: the question's focus must show
  return client
}

describe('confirming a server outside the sign-in domain (Chromium)', () => {
  it('shows the server and the address; Continue signs in through it', async () => {
    const { page } = await signInPage()
    const dialog = page.getByRole('alertdialog')
    await expect.poll(() => dialog.textContent(), { timeout: 20_000 }).toContain('Only continue if your company uses this server.')
    expect((await dialog.locator('p').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      `Parley was sent to ${POOL} to sign in as alice@contoso.test. Only continue if your company uses this server.`,
    )
    expect(sim!.control.secretsSeen()).toEqual([]) // asked before anything secret went there
    await expect.poll(() => focused(page)).toEqual({ name: 'Cancel', outlined: true }) // the safe answer has the focus
    await screenshot(page, 'confirm-server')
    await dialog.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(() => client!.core.client.state, { timeout: 20_000 }).toBe('signed-in')
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0)
    expect(sim!.control.applications('alice@contoso.test')).toMatchObject([{ pool: 'pool1', available: true }])
    expect(await client!.core.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: { 'contoso.test': [POOL] } } })
    await screenshot(page, 'confirm-server-continued')
  })

  it('Cancel leaves it refused, with the reason shown', async () => {
    const { page } = await signInPage()
    const dialog = page.getByRole('alertdialog')
    await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(1)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe(`The server sent the sign-in to ${POOL}, which is not contoso.test. Parley did not follow it.`)
    expect(await page.getByRole('alertdialog').count()).toBe(0)
    expect(client!.core.client.state).toBe('signed-out')
    expect(sim!.control.applications('alice@contoso.test')).toEqual([])
    expect(await client!.core.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { trustedServers: {} } })
    await screenshot(page, 'confirm-server-cancelled')
  })
})
