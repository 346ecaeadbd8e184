// The vertical slice: real renderer in Chromium, real core in Node, joined by the contract over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoPool, type RunningDemo } from '../../main/demo'
import { testCore } from '../support/core'
import { focused, launchClient, screenshot, tabTo, type Client } from './harness'

let client: Client
let demo: RunningDemo
beforeAll(async () => {
  demo = await startDemoPool()
  client = await launchClient({ core: await testCore({ demo: demo.info }) })
})
afterAll(async () => {
  await client?.close()
  await demo?.close()
})

describe('browser mode slice', () => {
  it('shows the version that main reports and a clock pushed from main', async () => {
    const { page } = client
    await expect.poll(() => page.getByTestId('version').textContent()).toContain('Version 9.8.7-test · browser')
    const first = await page.getByTestId('clock').textContent()
    await expect.poll(() => page.getByTestId('clock').textContent(), { timeout: 5000 }).not.toBe(first)
  })

  it('with no server configured, shows the embedded demo pool and its accounts, which sign in for real', async () => {
    const { page } = client
    const table = page.getByTestId('demo-pool')
    await expect.poll(() => table.textContent()).toContain('alice@contoso.test')
    const rows = await table.locator('tbody tr').allTextContents()
    expect(rows).toHaveLength(4)
    const alice = demo.info.users.find((u) => u.sip === 'alice@contoso.test')!
    const root = await (await fetch(demo.info.discoveryUrl, { headers: { Accept: 'application/json' } })).json()
    expect(root._links.user.href).toContain('/oauth/user')
    const form = new URLSearchParams({ grant_type: 'password', username: alice.sip, password: alice.password })
    const tokenResponse = await fetch(new URL('/WebTicket/oauthtoken', demo.info.discoveryUrl), { method: 'POST', body: form })
    expect(tokenResponse.status).toBe(200)
  })

  it('gets a live camera track from getUserMedia and shows it', async () => {
    const { page } = client
    await page.getByText('Settings').click()
    await page.getByRole('button', { name: 'Test camera and microphone' }).click()
    await expect.poll(() => page.getByTestId('camera-status').textContent()).toMatch(/^Camera live: /)
    const video = await page.evaluate(async () => {
      const el = document.querySelector('video')!
      await new Promise((r) => (el.readyState >= 2 ? r(null) : el.addEventListener('loadeddata', r, { once: true })))
      const track = (el.srcObject as MediaStream).getVideoTracks()[0]!
      return { state: track.readyState, width: el.videoWidth, height: el.videoHeight }
    })
    expect(video).toEqual({ state: 'live', width: 640, height: 480 })
    await screenshot(page, 'slice-camera')
  })

  it('a wrong payload from the page gets main’s typed validation error', async () => {
    const { page } = client
    // a value the contract does not allow, sent through the real store, client and socket
    await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('select#theme')!
      select.add(new Option('Neon', 'neon'))
      select.value = 'neon'
      select.dispatchEvent(new Event('change'))
    })
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Invalid input for settings.update')
    expect(await client.core.dispatch('settings.get', undefined)).toMatchObject({ ok: true, value: { theme: 'system' } })
  })

  it('the page has no Node and no bridge but the API socket', async () => {
    const globals = await client.page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      bridge: typeof (globalThis as Record<string, unknown>).parleyBridge,
    }))
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: 'undefined' })
  })

  it('keyboard only: skip link, sign-in, a video call and hanging up, with Tab, typing and Enter, focus always visible', async () => {
    const { page } = client
    await page.reload()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ name: 'Skip to content', outlined: true })
    await tabTo(page, 'Sign-in address')
    await page.keyboard.type('bob@contoso.test')
    await tabTo(page, 'Password')
    await page.keyboard.type('bob-pass')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('me').textContent(), { timeout: 10_000 }).toBe('Bob Brennan')
    await tabTo(page, 'Video call Erin Ellis') // Erin answers every call
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('call-state').textContent(), { timeout: 15_000 }).toMatch(/^Connected/)
    await tabTo(page, 'Hang up')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('call-view').count(), { timeout: 10_000 }).toBe(0)
    await tabTo(page, 'Sign out')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByLabel('Sign-in address').count()).toBe(1)
  })
})
