// The meeting client as people use it: real renderer in Chromium (fake camera and microphone), real core,
// the simulator as the pool. Two and three clients, each its own browser and core.
import type { Page } from 'playwright-core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { demoPoolOf } from '../../main/demo'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { focused, launchClient, screenshot, startPool, type Client, closeAfterAll, endCalls } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}

async function signIn(page: Page, sip: string, password: string): Promise<void> {
  await page.getByLabel('Sign-in address').fill(sip)
  await page.getByLabel('Password', { exact: true }).fill(password)
  if (!(await page.getByLabel('Discovery URL').isVisible())) await page.getByText('Advanced').click()
  await page.getByLabel('Discovery URL').fill(sim.url)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

/** how bright a video's current picture is: the mean of each pixel's brightest channel, 0–255 (the fake camera's green is ~128, black 0) */
const brightness = (video: ReturnType<Page['locator']>) =>
  video.evaluate((v) => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 24 })
    const g = canvas.getContext('2d')!
    g.drawImage(v as HTMLVideoElement, 0, 0, 32, 24)
    const d = g.getImageData(0, 0, 32, 24).data
    let sum = 0
    for (let i = 0; i < d.length; i += 4) sum += Math.max(d[i]!, d[i + 1]!, d[i + 2]!)
    return sum / (d.length / 4)
  })
const stat = async (page: Page, name: string) => Number(await page.getByTestId('call-quality').getAttribute(`data-${name}`))
const state = (page: Page) => page.getByTestId('call-state').textContent()
/** whether a stat stopped moving: two readings 2.5 s apart are the same */
async function stalled(page: Page, name: string): Promise<boolean> {
  const first = await stat(page, name)
  await new Promise((r) => setTimeout(r, 2500))
  return (await stat(page, name)) === first
}

beforeAll(async () => {
  // link-only events, as real pools send most of them: the integration suites run every call flow both ways,
  // this slow suite runs once, in the mode that asks the most of the client (each resource read from its link)
  sim = await startPool({ events: 'link-only' })
  for (const name of ['alice', 'bob', 'carol']) {
    clients[name] = await launchClient({
      // the pool's unit speaks sfb2015, as the app configures itself for its demo pool (main/browser.ts): escalations go through the bridge
      core: await testCore({ demo: demoPoolOf(sim), conferenceUnitDialect: 'sfb2015' }),
      // record Web Notifications (browser mode's incoming-call alert) as the page makes them
      beforeLoad: async (context) => {
        // granting replaces the origin's permissions: camera and microphone stay granted with it
        await context.grantPermissions(['notifications', 'camera', 'microphone'])
        await context.addInitScript(() => {
          // count camera/microphone openings: nothing may open before the person accepts
          const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
          ;(window as unknown as { __gum: number }).__gum = 0
          navigator.mediaDevices.getUserMedia = (c) => ((window as unknown as { __gum: number }).__gum++, gum(c))
          const Real = window.Notification
          const log: Array<{ title: string; body?: string; closed: boolean }> = []
          ;(window as unknown as { __notes: typeof log }).__notes = log
          window.Notification = class extends Real {
            constructor(title: string, o?: NotificationOptions) {
              super(title, o)
              const entry = { title, body: o?.body, closed: false }
              log.push(entry)
              const close = this.close.bind(this)
              this.close = () => {
                entry.closed = true
                close()
              }
            }
          } as typeof Notification
        })
      },
    })
  }
}, 60_000)
closeAfterAll(clients, () => sim)
// a failed test leaves no call in the way of the tests after it (a passing one may leave its call to the next: the escalation takes the P2P call)
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await endCalls(Object.values(clients).map((c) => c.page))
}, 30_000)

describe('meeting client in Chromium', () => {
  it('sign-in: clear messages for a wrong password and a missing one, then the home view', async () => {
    const { page } = clients.alice!
    await screenshot(page, 'sign-in')
    expect(await lowContrast(page)).toEqual([])
    await signIn(page, 'alice@contoso.test', 'wrong')
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe('The sign-in address or password is not right.')
    await page.getByLabel('Password', { exact: true }).fill('')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe('Enter your password')
    await signIn(page, 'alice@contoso.test', 'alice-pass')
    await expect.poll(() => page.getByTestId('me').textContent()).toBe('Alice Ahlberg')
    await signIn(clients.bob!.page, 'bob@contoso.test', 'bob-pass')
    await signIn(clients.carol!.page, 'carol@contoso.test', 'carol-pass')
    await expect.poll(() => clients.carol!.page.getByTestId('me').textContent()).toBe('Carol Castillo')
    await expect.poll(() => page.getByTestId('contact-sip:bob@contoso.test').getByRole('img').getAttribute('aria-label'), { timeout: 10_000 }).toBe('Online')
    // photos from the pool, shown through the core (the page has no token); decoded under the CSP
    const drawn = (img: ReturnType<Page['getByTestId']>) => img.first().evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)
    await expect.poll(() => drawn(page.getByTestId('contact-sip:bob@contoso.test').getByTestId('avatar-photo'))).toBeGreaterThan(0)
    await expect.poll(() => drawn(page.locator('header').getByTestId('avatar-photo'))).toBeGreaterThan(0)
    await screenshot(page, 'home')
    // presence set in the header is what the others see
    await clients.carol!.page.locator('select#presence').selectOption('DoNotDisturb')
    await expect.poll(() => page.getByTestId('contact-sip:carol@contoso.test').getByRole('img').getAttribute('aria-label'), { timeout: 10_000 }).toBe('DoNotDisturb')
    await clients.carol!.page.locator('select#presence').selectOption('Online')
  })

  it('P2P video call: both sides decode video and receive audio; mute is heard as silence', async () => {
    const alice = clients.alice!.page
    const bob = clients.bob!.page
    await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
    // the first call of the run: its invitation is read from its link (link-only events) on a loaded machine
    await expect.poll(() => bob.getByTestId('incoming-call').textContent(), { timeout: 5000 }).toContain('Alice Ahlberg is calling')
    await screenshot(bob, 'incoming-call')
    // focus goes to the call (announced), one Tab from Accept; no key pressed before answers anything
    await expect.poll(() => bob.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('incoming-call')
    await bob.keyboard.press('Tab')
    expect(await focused(bob)).toEqual({ name: 'Accept with video', outlined: true })
    // Bob's client answers provisionally while it rings (the connection is made early), without his camera
    await expect.poll(() => alice.getByTestId('call-view').getAttribute('data-state')).toBe('early-media')
    await expect.poll(() => alice.getByTestId('call-quality').textContent(), { timeout: 10_000 }).toMatch(/RTT \d+ ms/) // connected already
    const opened = () => bob.evaluate(() => (window as unknown as { __gum: number }).__gum)
    expect(await opened()).toBe(0)
    await bob.getByRole('button', { name: 'Accept with video' }).dblclick() // a double click answers once
    await expect.poll(opened).toBeGreaterThan(0)
    for (const p of [alice, bob]) await expect.poll(() => state(p), { timeout: 15_000 }).toMatch(/^Connected/)
    for (const p of [alice, bob]) {
      await expect.poll(() => stat(p, 'frames'), { timeout: 15_000 }).toBeGreaterThan(10)
      const bytes = await stat(p, 'audio-bytes')
      await expect.poll(() => stat(p, 'audio-bytes'), { timeout: 5000 }).toBeGreaterThan(bytes)
    }
    await expect.poll(() => stat(bob, 'audio-level'), { timeout: 10_000 }).toBeGreaterThan(0.01)
    // each sees the other's picture (not only decodes it), and hears the other through one audio element
    for (const [p, other] of [[alice, 'Bob Brennan'], [bob, 'Alice Ahlberg']] as const) {
      await expect.poll(() => p.getByLabel(`Video of ${other}`).evaluate((v) => (v as HTMLVideoElement).videoWidth), { timeout: 5000 }).toBeGreaterThan(0)
      expect(await p.locator('audio').count()).toBe(1)
    }
    // the caller sees the name the pool knows, not the address typed
    await expect.poll(() => alice.locator('#call-title').textContent()).toBe('Bob Brennan')
    await screenshot(alice, 'call-p2p')
    // Bob's screen shows Alice speaking while her (fake) microphone beeps, and not once she mutes
    const aliceOnBob = bob.locator('[data-testid="participant"][data-uri="sip:alice@contoso.test"]')
    await expect.poll(() => aliceOnBob.getAttribute('data-speaking'), { timeout: 10_000 }).toBe('true')
    await alice.getByRole('button', { name: 'Mute' }).click()
    await expect.poll(() => stat(bob, 'audio-level'), { timeout: 10_000 }).toBeLessThan(0.001)
    await expect.poll(() => aliceOnBob.getAttribute('data-speaking'), { timeout: 5000 }).toBe('false')
    await alice.getByRole('button', { name: 'Unmute' }).click()

    // switch microphone mid-call: the new device is used, the call goes on, the other side still hears
    await alice.getByText('Settings').click()
    const before = await alice.getByTestId('mic-in-use').textContent()
    const options = await alice.locator('select#microphone option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
    expect(options.length).toBeGreaterThanOrEqual(2)
    await alice.locator('select#microphone').selectOption(options[1]!)
    await expect.poll(() => alice.getByTestId('mic-in-use').textContent()).not.toBe(before)
    const bytes = await stat(bob, 'audio-bytes')
    await expect.poll(() => stat(bob, 'audio-bytes'), { timeout: 5000 }).toBeGreaterThan(bytes)
    await expect.poll(() => stat(bob, 'audio-level'), { timeout: 10_000 }).toBeGreaterThan(0.01)
    expect(await state(alice)).toMatch(/^Connected/)
    // choose a speaker mid-call: Bob's voice plays on it
    const speakers = await alice.locator('select#speaker option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v && v !== 'default'))
    expect(speakers.length).toBeGreaterThanOrEqual(1)
    await alice.locator('select#speaker').selectOption(speakers[0]!)
    const sinks = () => alice.locator('audio').evaluateAll((els) => els.map((e) => (e as HTMLAudioElement).sinkId))
    await expect.poll(sinks).toEqual([speakers[0]])
    // and the settings' test sound plays there too
    const label = await alice.locator(`select#speaker option[value="${speakers[0]}"]`).textContent()
    await alice.getByRole('button', { name: 'Play a test sound' }).click()
    await expect.poll(() => alice.getByTestId('speaker-test').textContent()).toBe(`Played on ${label}`)
    await alice.locator('select#speaker').selectOption('')
    await expect.poll(sinks).toEqual([''])
    await alice.getByText('Settings').click()

    // hold: audio stops both ways and Bob is told; resume brings it back
    await alice.getByRole('button', { name: 'Hold' }).click()
    await expect.poll(() => state(alice)).toMatch(/^On hold/)
    await expect.poll(() => state(bob)).toMatch(/^Alice Ahlberg put the call on hold/)
    await expect.poll(() => stalled(bob, 'audio-bytes'), { timeout: 15_000 }).toBe(true)
    await alice.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => state(bob)).toMatch(/^Connected/)
    await expect.poll(() => stalled(bob, 'audio-bytes'), { timeout: 15_000 }).toBe(false)

    // camera off in a two-person call leaves the call: Bob's picture stops; camera on brings it back
    await alice.getByRole('button', { name: 'Camera off' }).click()
    await expect.poll(() => stalled(bob, 'frames'), { timeout: 15_000 }).toBe(true)
    await alice.getByRole('button', { name: 'Camera on' }).click()
    await expect.poll(() => stalled(bob, 'frames'), { timeout: 15_000 }).toBe(false)
  }, 120_000)

  it('escalation: Alice adds Carol; all three are in the conference, each decoding the two others', async () => {
    const [alice, bob, carol] = [clients.alice!.page, clients.bob!.page, clients.carol!.page]
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
    await expect.poll(() => carol.getByTestId('incoming-call').textContent(), { timeout: 15_000 }).toContain('Alice Ahlberg is calling')
    await carol.getByRole('button', { name: 'Accept with video' }).click()
    for (const p of [alice, bob, carol]) await expect.poll(() => state(p), { timeout: 20_000 }).toMatch(/^Conference/)
    for (const p of [alice, bob, carol]) await expect.poll(() => stat(p, 'video-tracks'), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
    await expect.poll(() => alice.getByRole('complementary', { name: 'Participants' }).textContent()).toContain('Carol Castillo')
    await expect.poll(() => alice.locator('#call-title').textContent()).toBe('Bob Brennan and Carol Castillo')
    // the picker offers only people not in the call yet
    await alice.getByRole('button', { name: 'Add people' }).click()
    await expect.poll(() => alice.getByRole('dialog', { name: 'Add people' }).getByRole('button').allTextContents()).toEqual(['Add Dave Dubois', 'Add Echo Test Service', 'Add Erin Ellis'])
    await alice.getByRole('button', { name: 'Add people' }).click()
    // the roster of the one who joined last lists the two already there
    await expect.poll(() => carol.getByTestId('participant').evaluateAll((li) => li.map((e) => e.getAttribute('data-uri')).sort())).toEqual(['sip:alice@contoso.test', 'sip:bob@contoso.test'])
    // Bob mutes and turns his camera off: both others' rosters say so
    await bob.getByRole('button', { name: 'Mute' }).click()
    await bob.getByRole('button', { name: 'Camera off' }).click()
    const bobIn = (p: Page) => p.locator('[data-testid="participant"][data-uri="sip:bob@contoso.test"]')
    for (const p of [alice, carol]) {
      await expect.poll(() => bobIn(p).getAttribute('data-audio'), { timeout: 10_000 }).toBe('muted')
      await expect.poll(() => bobIn(p).getAttribute('data-video'), { timeout: 10_000 }).toBe('muted')
    }
    expect(await bobIn(alice).textContent()).toContain('(muted, camera off)')
    // Carol is heard and shown speaking (her voice's CSRC names her); Bob, muted on the server, is not
    const carolIn = (p: Page) => p.locator('[data-testid="participant"][data-uri="sip:carol@contoso.test"]')
    await expect.poll(() => carolIn(alice).getAttribute('data-speaking'), { timeout: 10_000 }).toBe('true')
    await expect.poll(() => bobIn(alice).getAttribute('data-speaking'), { timeout: 5000 }).toBe('false')
    expect(await alice.locator('[data-testid="remote-tile"].speaking').getAttribute('data-name')).toBe('Carol Castillo')
    // each picture is named by whose it is (the CSRC the conference stamps on it, matched to the roster's videoSourceId):
    // the tile named Bob shows his photo with his camera off (released: it sends nothing) and says so; Carol's keeps her picture
    const names = (p: Page) => p.getByTestId('remote-tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())
    await expect.poll(() => names(alice), { timeout: 10_000 }).toEqual(['Bob Brennan', 'Carol Castillo'])
    await expect.poll(() => names(bob), { timeout: 10_000 }).toEqual(['Alice Ahlberg', 'Carol Castillo'])
    await expect.poll(() => names(carol), { timeout: 10_000 }).toEqual(['Alice Ahlberg', 'Bob Brennan'])
    const tile = (p: Page, name: string) => p.locator(`[data-testid="remote-tile"][data-name="${name}"]`)
    await expect.poll(() => tile(alice, 'Bob Brennan').locator('.tile-off [data-testid=avatar-photo]').isVisible(), { timeout: 10_000 }).toBe(true)
    expect(await brightness(tile(alice, 'Carol Castillo').locator('video'))).toBeGreaterThan(60)
    expect(await tile(alice, 'Bob Brennan').textContent()).toBe('Bob Brennan · camera off')
    await screenshot(alice, 'call-conference')
    expect(await lowContrast(alice)).toEqual([]) // names on pictures, roster, quality line
    await bob.getByRole('button', { name: 'Unmute' }).click()
    await expect.poll(() => bobIn(carol).getAttribute('data-audio'), { timeout: 10_000 }).toBe('on')
    // Carol and Bob leave; Alice, the last one in, sees the conference end by itself
    for (const p of [carol, bob]) await p.getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob, carol]) await expect.poll(() => p.getByTestId('call-view').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => alice.getByRole('region', { name: 'Recent calls' }).textContent()).toContain('The conference has finished.')
  }, 90_000)

  it('browser mode: an incoming call raises a Web Notification, closed when the caller gives up; a sip: link asks first', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    const notes = () => bob.evaluate(() => (window as unknown as { __notes: Array<{ title: string; body?: string; closed: boolean }> }).__notes)
    const before = (await notes()).length
    await alice.getByRole('button', { name: 'Audio call Bob Brennan' }).click()
    await expect.poll(async () => (await notes()).slice(before)).toEqual([{ title: 'Alice Ahlberg is calling', body: 'alice@contoso.test', closed: false }])
    await alice.getByRole('button', { name: 'Hang up' }).click()
    await expect.poll(async () => (await notes()).slice(before)[0]?.closed, { timeout: 10_000 }).toBe(true)

    // a sip: link (from the OS, through main) is confirmed by the person before anything is dialled
    clients.alice!.core.events.emit('deeplink.call', { to: 'sip:echo@contoso.test' })
    await expect.poll(() => alice.getByTestId('link-confirm').textContent()).toContain('Call echo@contoso.test?')
    await alice.getByRole('button', { name: 'Cancel' }).click()
    expect(await alice.getByTestId('link-confirm').count()).toBe(0)
    clients.alice!.core.events.emit('deeplink.call', { to: 'sip:echo@contoso.test' })
    await alice.getByRole('button', { name: 'Call', exact: true }).click()
    // the echo contact answers and sends Alice's own video back
    await expect.poll(() => state(alice), { timeout: 15_000 }).toMatch(/^Connected/)
    await expect.poll(() => stat(alice, 'frames'), { timeout: 15_000 }).toBeGreaterThan(10)
    await alice.getByRole('button', { name: 'Hang up' }).click()
  }, 60_000)

  it('decline and cancel end the call on both sides with the reason in recent calls', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    await alice.getByRole('button', { name: 'Audio call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').count()).toBe(1)
    await bob.getByRole('button', { name: 'Decline' }).click()
    await expect.poll(() => alice.getByRole('region', { name: 'Recent calls' }).textContent(), { timeout: 10_000 }).toContain('The call was declined.')
    await alice.getByRole('button', { name: 'Audio call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').count()).toBe(1)
    await alice.getByRole('button', { name: 'Hang up' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').count(), { timeout: 10_000 }).toBe(0)
    // to the callee a call the caller gave up on is a missed call
    await expect.poll(() => bob.getByRole('region', { name: 'Recent calls' }).locator('li').first().textContent()).toMatch(/Alice Ahlberg\s*Missed call/)
    // Bob calls back from his recent calls; Alice declines this time
    await bob.getByRole('button', { name: 'Call back Alice Ahlberg' }).first().click()
    await expect.poll(() => alice.getByTestId('incoming-call').textContent()).toContain('Bob Brennan is calling')
    await alice.getByRole('button', { name: 'Decline' }).click()
    await expect.poll(() => bob.getByTestId('call-view').count(), { timeout: 10_000 }).toBe(0)
    // the declined call is listed under Alice's name (the pool's), not the address
    await expect.poll(() => bob.getByRole('region', { name: 'Recent calls' }).locator('li').first().textContent()).toMatch(/Alice Ahlberg.*The call was declined/)
    await screenshot(bob, 'home-recent-calls')
  }, 60_000)

  // (sign-in and the conference view are checked in the light theme above)
  it('light and dark themes: every text on the home view and its settings reads at WCAG AA contrast (4.5:1) against what is behind it', async () => {
    const bob = clients.bob!.page
    await bob.getByText('Settings').click()
    for (const theme of ['light', 'dark'] as const) {
      await bob.locator('select#theme').selectOption(theme)
      await expect.poll(() => bob.evaluate(() => document.documentElement.dataset.theme)).toBe(theme)
      expect(await lowContrast(bob), theme).toEqual([])
      await screenshot(bob, `home-${theme}`)
    }
    await bob.locator('select#theme').selectOption('system')
    await bob.getByText('Settings').click()
  })
})

/** texts whose colour against their (composited) background is under 4.5:1, with the ratio */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number]
    const parse = (c: string): Rgba => {
      const n = c.match(/[\d.]+/g)!.map(Number)
      return [n[0]!, n[1]!, n[2]!, n[3] ?? 1]
    }
    const over = (top: Rgba, below: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + below[i]! * (1 - top[3])).concat(1) as Rgba
    /** what is painted behind an element: its own and its ancestors' backgrounds, composited */
    const backdrop = (el: Element | null): Rgba => {
      if (!el) return [255, 255, 255, 1]
      const bg = parse(getComputedStyle(el).backgroundColor)
      return bg[3] === 1 ? bg : over(bg, backdrop(el.parentElement))
    }
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
      return (hi! + 0.05) / (lo! + 0.05)
    }
    const low: string[] = []
    for (const el of document.querySelectorAll('body *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent!.trim()).join(' ').trim()
      const box = el.getBoundingClientRect()
      if (!text || box.width === 0 || el.closest('.visually-hidden, .skip, [disabled]')) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden') continue
      const back = backdrop(el)
      const r = ratio(over(parse(style.color), back), back)
      if (r < 4.5) low.push(`${el.tagName.toLowerCase()} "${text.slice(0, 40)}": ${r.toFixed(2)}`)
    }
    return low
  })
}
