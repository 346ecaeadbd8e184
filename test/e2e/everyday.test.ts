// Calls as people live them, outside the call engine: keyboard shortcuts, the call's layout on common screens, and
// the call history after a restart. Real renderer in Chromium (fake camera and microphone), real cores, the simulator.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoPoolOf } from '../../main/demo'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, screenshot, startPool, type Client, closeAfterAll, signInAs } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}
const historyDirs: Record<string, string> = {}

async function launch(name: string): Promise<Client> {
  const client = await launchClient({
    core: await testCore({ demo: demoPoolOf(sim), historyDir: historyDirs[name] }),
    beforeLoad: async (context) => {
      await context.grantPermissions(['camera', 'microphone'])
      // Chromium's fake devices cannot be unplugged: enumerateDevices hides the ones a test "unplugs", and
      // devicechange fires as the OS would fire it
      await context.addInitScript(() => {
        const md = navigator.mediaDevices
        const real = md.enumerateDevices.bind(md)
        const unplugged = new Set<string>()
        md.enumerateDevices = async () => (await real()).filter((d) => !unplugged.has(d.deviceId))
        ;(window as unknown as { __plug: (id: string, present: boolean) => void }).__plug = (id, present) => {
          if (present) unplugged.delete(id)
          else unplugged.add(id)
          md.dispatchEvent(new Event('devicechange'))
        }
      })
    },
  })
  clients[name] = client
  return client
}

const state = (page: Page) => page.getByTestId('call-state').textContent()
const frames = async (page: Page) => Number(await page.getByTestId('call-quality').getAttribute('data-frames'))
/** whether Bob's picture stopped: two readings of decoded frames 2.5 s apart are the same */
async function stalled(page: Page): Promise<boolean> {
  const first = await frames(page)
  await new Promise((r) => setTimeout(r, 2500))
  return (await frames(page)) === first
}
const key = (page: Page, letter: string) => page.keyboard.press(`Control+Shift+${letter}`)

/** each call control's box against the window, at the top of the page (no scrolling) */
const controlsOutside = (page: Page) =>
  page.evaluate(() => {
    window.scrollTo(0, 0)
    const out: string[] = []
    for (const b of document.querySelectorAll<HTMLElement>('[role=toolbar][aria-label="Call controls"] button')) {
      const r = b.getBoundingClientRect()
      if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth || r.height === 0) out.push(b.textContent!.trim())
    }
    return out
  })

/** how much of the remote picture (as drawn inside its element: object-fit contain) my preview covers, in px² */
const previewOverlap = (page: Page) =>
  page.evaluate(() => {
    const self = document.querySelector('.stage .self')!.getBoundingClientRect()
    const video = document.querySelector('[data-testid=remote-tile] video') as HTMLVideoElement
    const r = video.getBoundingClientRect()
    const scale = Math.min(r.width / video.videoWidth, r.height / video.videoHeight)
    const w = video.videoWidth * scale
    const h = video.videoHeight * scale
    const pic = { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, right: r.left + (r.width + w) / 2, bottom: r.top + (r.height + h) / 2 }
    return Math.max(0, Math.min(pic.right, self.right) - Math.max(pic.left, self.left)) * Math.max(0, Math.min(pic.bottom, self.bottom) - Math.max(pic.top, self.top))
  })

beforeAll(async () => {
  sim = await startPool()
  for (const name of ['alice', 'bob']) {
    historyDirs[name] = await mkdtemp(join(tmpdir(), `parley-${name}-data-`))
    await signInAs((await launch(name)).page, name, sim.url)
  }
}, 90_000)
closeAfterAll(clients, () => sim)

describe('everyday calls in Chromium', () => {
  it('keyboard shortcuts: hang up a ringing call, accept, mute, camera, hang up; the list is in Settings', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    await alice.getByText('Settings').click()
    expect(await alice.getByTestId('keyboard-shortcuts').locator('tr').allTextContents()).toEqual([
      'Ctrl+Shift+MMute or unmute',
      'Ctrl+Shift+OCamera on or off',
      'Ctrl+Shift+HHang up',
      'Ctrl+Shift+AAccept with video',
      'Ctrl+Shift+SAccept with audio only',
      'Ctrl+Shift+DDecline',
    ])
    await alice.getByText('Settings').click()

    // Alice calls and thinks better of it: Ctrl+Shift+H while it rings. Bob missed it.
    await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').textContent(), { timeout: 15_000 }).toContain('Alice Ahlberg is calling')
    await key(alice, 'H')
    await expect.poll(() => bob.getByTestId('incoming-call').count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => bob.getByTestId('missed-badge').textContent(), { timeout: 10_000 }).toBe('1 missed')

    // again; Bob accepts with video from the keyboard
    await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').textContent(), { timeout: 15_000 }).toContain('Alice Ahlberg is calling')
    await key(bob, 'A')
    for (const p of [alice, bob]) await expect.poll(() => state(p), { timeout: 20_000 }).toMatch(/^Connected/)
    await expect.poll(() => frames(bob), { timeout: 15_000 }).toBeGreaterThan(10)

    // mute and unmute, camera off and on: the buttons say so
    const controls = alice.getByRole('toolbar', { name: 'Call controls' })
    await key(alice, 'M')
    await expect.poll(() => controls.getByRole('button', { name: 'Unmute' }).count()).toBe(1)
    await key(alice, 'M')
    await expect.poll(() => controls.getByRole('button', { name: 'Mute' }).count()).toBe(1)
    await key(alice, 'O')
    await expect.poll(() => controls.getByRole('button', { name: 'Camera on' }).count(), { timeout: 15_000 }).toBe(1)
    // the camera left the call (a renegotiation): Bob's picture stops; only then is the camera turned on again
    await expect.poll(() => stalled(bob), { timeout: 15_000 }).toBe(true)
    await key(alice, 'O')
    await expect.poll(() => controls.getByRole('button', { name: 'Camera off' }).count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => stalled(bob), { timeout: 15_000 }).toBe(false)
    // a shortcut with no call to act on does nothing: Bob declines nothing
    await key(bob, 'D')
    expect(await state(bob)).toMatch(/^Connected/)
  }, 120_000)

  it('layout: every call control in view at 1366×768 and 1280×800; at 1920×1080 the video uses the window', async () => {
    const bob = clients.bob!.page
    for (const [width, height] of [
      [1366, 768],
      [1280, 800],
      [1920, 1080],
    ] as const) {
      await bob.setViewportSize({ width, height })
      await new Promise((r) => setTimeout(r, 500))
      await bob.screenshot({ path: join(import.meta.dirname, `../../test-results/call-${width}x${height}.png`) })
      expect(await controlsOutside(bob), `${width}×${height}`).toEqual([])
    }
    // 1920×1080: the stage (Alice's picture) takes most of the window, my preview does not cover her
    const box = await bob.locator('.stage').boundingBox()
    expect(box!.width).toBeGreaterThan(1920 * 0.6)
    expect(box!.height).toBeGreaterThan(1080 * 0.6)
    expect(await previewOverlap(bob)).toBe(0)

    // full screen: the button, or a double-click on the picture; a double-click there leaves it again
    const fullscreen = () => bob.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)
    await bob.getByRole('button', { name: 'Full screen' }).click()
    await expect.poll(fullscreen).toBe('stage')
    await bob.screenshot({ path: join(import.meta.dirname, '../../test-results/call-fullscreen.png') })
    expect(await previewOverlap(bob)).toBe(0)
    await bob.getByTestId('stage').dblclick()
    await expect.poll(fullscreen).toBeNull()
    await bob.getByTestId('stage').dblclick()
    await expect.poll(fullscreen).toBe('stage')
    await bob.getByTestId('stage').dblclick()
    await expect.poll(fullscreen).toBeNull()
    await bob.setViewportSize({ width: 1100, height: 760 })

    // on hold: plain on the picture for both sides
    const alice = clients.alice!.page
    await bob.getByRole('button', { name: 'Hold' }).click()
    await expect.poll(() => bob.getByTestId('hold-banner').textContent(), { timeout: 10_000 }).toBe('On hold. Resume to talk again.')
    await expect.poll(() => alice.getByTestId('hold-banner').textContent(), { timeout: 10_000 }).toBe('Bob Brennan put the call on hold. You cannot hear each other.')
    await screenshot(alice, 'on-hold-far-end')
    await bob.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => alice.getByTestId('hold-banner').count(), { timeout: 10_000 }).toBe(0)
  }, 60_000)

  it('devices: an unplugged choice falls back to the default without losing the choice, and comes back when plugged in', async () => {
    const alice = clients.alice!.page
    const plug = (id: string, present: boolean) => alice.evaluate(([i, p]) => (window as unknown as { __plug: (id: string, present: boolean) => void }).__plug(i as string, p as boolean), [id, present])
    const chosen = async (what: string) => ((await clients.alice!.core.dispatch('settings.get', undefined)) as { value: Record<string, string> }).value[what]

    // in the call, Devices opens over the stage, in view, above the controls
    await alice.getByRole('button', { name: 'Devices' }).click()
    const panel = alice.getByRole('dialog', { name: 'Devices for this call' })
    const box = (await panel.boundingBox())!
    const stage = (await alice.getByTestId('stage').boundingBox())!
    const viewport = alice.viewportSize()!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
    expect(box.y).toBeGreaterThanOrEqual(stage.y) // over the stage, where the person is looking
    const inCallMic = await alice.locator('select#call-microphone option').evaluateAll((os) => os.map((o) => ({ id: (o as HTMLOptionElement).value, label: o.textContent!.trim() })).find((m) => m.id && m.id !== 'default' && !m.label.includes('Default'))!)
    await alice.locator('select#call-microphone').selectOption(inCallMic.id)
    await expect.poll(() => alice.getByTestId('mic-in-use').textContent()).toBe(`Microphone in use: ${inCallMic.label}`)
    await screenshot(alice, 'call-devices')
    await alice.getByRole('button', { name: 'Devices' }).click()
    await expect.poll(() => panel.count()).toBe(0)
    await clients.alice!.core.dispatch('settings.update', { microphoneId: '' })

    await alice.getByText('Settings').click()
    expect(await alice.getByTestId('camera-status').textContent()).toBe('Camera and microphone are in use by your call.')
    expect(await alice.getByRole('button', { name: 'Test camera and microphone' }).isDisabled()).toBe(true)

    // the microphone: choose one that is not the default, then unplug it mid-call
    const inUse = () => alice.getByTestId('mic-in-use').textContent()
    const mics = await alice.locator('select#microphone option').evaluateAll((os) => os.map((o) => ({ id: (o as HTMLOptionElement).value, label: o.textContent!.trim() })))
    const mic = mics.find((m) => m.id && m.id !== 'default' && !m.label.includes('Default'))!
    await alice.locator('select#microphone').selectOption(mic.id)
    await expect.poll(inUse).toBe(`Microphone in use: ${mic.label}`)
    await plug(mic.id, false)
    await expect.poll(inUse).not.toBe(`Microphone in use: ${mic.label}`)
    expect(await alice.locator('select#microphone').inputValue()).toBe(mic.id)
    expect(await alice.locator(`select#microphone option[value="${mic.id}"]`).textContent()).toBe(`${mic.label} (not connected)`)
    expect(await chosen('microphoneId')).toBe(mic.id)
    // the other side still hears Alice meanwhile
    const bytes = Number(await clients.bob!.page.getByTestId('call-quality').getAttribute('data-audio-bytes'))
    await expect.poll(async () => Number(await clients.bob!.page.getByTestId('call-quality').getAttribute('data-audio-bytes')), { timeout: 5_000 }).toBeGreaterThan(bytes)

    // the speaker: a saved one that is absent reads "(not connected)"; sound goes to the default meanwhile
    const sinks = () => alice.locator('audio').evaluateAll((els) => els.map((e) => (e as HTMLAudioElement).sinkId))
    const speaker = await alice.locator('select#speaker option').evaluateAll((os) => os.map((o) => ({ id: (o as HTMLOptionElement).value, label: o.textContent!.trim() })).find((o) => o.id && o.id !== 'default')!)
    await alice.locator('select#speaker').selectOption(speaker.id)
    await expect.poll(sinks).toEqual([speaker.id])
    await plug(speaker.id, false)
    await expect.poll(sinks).toEqual([''])
    expect(await alice.locator(`select#speaker option[value="${speaker.id}"]`).textContent()).toBe(`${speaker.label} (not connected)`)
    expect(await alice.locator('select#speaker').inputValue()).toBe(speaker.id)
    await screenshot(alice, 'devices-unplugged')

    // plugged in again: Parley goes back to them
    await plug(mic.id, true)
    await plug(speaker.id, true)
    await expect.poll(inUse).toBe(`Microphone in use: ${mic.label}`)
    await expect.poll(sinks).toEqual([speaker.id])
    expect(await alice.locator(`select#speaker option[value="${speaker.id}"]`).textContent()).toBe(speaker.label)
    await alice.locator('select#microphone').selectOption('')
    await alice.locator('select#speaker').selectOption('')
    await alice.getByText('Settings').click()
  }, 60_000)

  it('call history after a restart: Bob’s missed and answered calls, a new core on the same data folder', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    await new Promise((r) => setTimeout(r, 1_100)) // a call of at least a second
    await key(bob, 'H')
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => bob.getByTestId('call-history').locator('li').count(), { timeout: 10_000 }).toBe(2)

    // Bob's app restarts
    await clients.bob!.close()
    const again = await launch('bob')
    await signInAs(again.page, 'bob', sim.url)
    const history = again.page.getByTestId('call-history')
    await expect.poll(() => history.locator('li').count(), { timeout: 10_000 }).toBe(2)
    const rows = await history.locator('li').allTextContents()
    expect(rows[0]).toMatch(/Incoming call from Alice Ahlberg\s*You ended the call\. · \d\d:\d\d( [AP]M)? · \d+:\d\d/)
    expect(rows[1]).toMatch(/Incoming call from Alice Ahlberg\s*Missed call · \d\d:\d\d( [AP]M)?/)
    expect(await again.page.getByTestId('missed-badge').textContent()).toBe('1 missed')
    expect(await again.page.title()).toBe('(1) Parley')
    await screenshot(again.page, 'history-after-restart')
    await again.page.getByRole('button', { name: 'Mark as seen' }).click()
    await expect.poll(() => again.page.getByTestId('missed-badge').count()).toBe(0)
    // Alice's side: two outgoing calls
    const aliceRows = await alice.getByTestId('call-history').locator('li').allTextContents()
    expect(aliceRows, JSON.stringify(aliceRows)).toHaveLength(2)
    expect(aliceRows[0]).toMatch(/^↗Outgoing call to Bob Brennan\s*You ended the call|Bob Brennan ended the call|The call ended/)
    expect(aliceRows[1]).toMatch(/^↗Outgoing call to Bob Brennan\s*You ended the call\./)
  }, 90_000)
})
