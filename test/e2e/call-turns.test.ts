// Calls at the turns people take (issue #22, the call engine): call waiting with switch and hang-up of either, the
// camera turned off in a two-person call, and more. Real renderer in Chromium (fake camera and microphone), real
// cores, the simulator as the pool; three clients, each its own browser and core.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoPoolOf } from '../../main/demo'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, screenshot, type Client, closeAfterAll, signInAs } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}
const names: Record<string, string> = { alice: 'Alice Ahlberg', bob: 'Bob Brennan', carol: 'Carol Castillo' }

const page = (name: string) => clients[name]!.page
const state = (p: Page) => p.getByTestId('call-state').textContent()
const title = (p: Page) => p.locator('#call-title').textContent()
const stat = async (p: Page, name: string) => Number(await p.getByTestId('call-quality').getAttribute(`data-${name}`))
/** whether a stat of the call in front stopped moving: two readings 2.5 s apart are the same */
async function stalled(p: Page, name: string): Promise<boolean> {
  const first = await stat(p, name)
  await new Promise((r) => setTimeout(r, 2500))
  return (await stat(p, name)) === first
}
const slow = { timeout: 20_000 }
/** the readyState of every camera track the page opened, oldest first */
const cameras = (p: Page) => p.evaluate(() => (window as unknown as { __cams: MediaStreamTrack[] }).__cams.map((t) => t.readyState))
const tile = (p: Page) => p.getByTestId('remote-tile')
const participant = (p: Page, uri: string) => p.locator(`[data-testid="participant"][data-uri="${uri}"]`)

/** `from` video-calls `to`, who answers with `button`; both connected */
async function call(from: string, to: string, button = 'Accept with video'): Promise<void> {
  await page(from).getByRole('button', { name: `Video call ${names[to]}` }).click()
  await expect.poll(() => page(to).getByTestId('incoming-call').textContent(), slow).toContain(`${names[from]} is calling`)
  await page(to).getByRole('button', { name: button }).click()
  await expect.poll(() => title(page(to)), slow).toBe(names[from])
  for (const p of [page(from), page(to)]) await expect.poll(() => state(p), slow).toMatch(/^Connected/)
}

beforeAll(async () => {
  sim = await startSimulator()
  for (const name of ['alice', 'bob', 'carol']) {
    clients[name] = await launchClient({
      core: await testCore({ demo: demoPoolOf(sim) }),
      beforeLoad: async (context) => {
        await context.grantPermissions(['camera', 'microphone'])
        // every camera track the page opens, to see whether camera off releases the device
        await context.addInitScript(() => {
          const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
          const cams: MediaStreamTrack[] = ((window as unknown as { __cams: MediaStreamTrack[] }).__cams = [])
          navigator.mediaDevices.getUserMedia = async (c) => {
            const stream = await gum(c)
            cams.push(...stream.getVideoTracks())
            return stream
          }
        })
      },
    })
    await signInAs(clients[name].page, name, sim.url)
  }
}, 90_000)
closeAfterAll(clients, () => sim)

describe('calls at the turns people take, in Chromium', () => {
  it('call waiting: a second call rings with Hold and accept; answering holds the first on both sides; switch; hang up either', async () => {
    const [alice, bob, carol] = [page('alice'), page('bob'), page('carol')]
    await call('alice', 'bob')
    await expect.poll(() => stat(bob, 'frames'), slow).toBeGreaterThan(10)

    // Carol calls Bob during his call with Alice: it rings, saying what answering does
    await carol.getByRole('button', { name: 'Video call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').textContent(), slow).toContain('Carol Castillo is calling')
    expect(await bob.getByTestId('call-waiting-note').textContent()).toBe('Answering puts your call with Alice Ahlberg on hold.')
    expect(await bob.getByTestId('incoming-call').getByRole('button').allTextContents()).toEqual(['Hold and accept with video', 'Hold and accept audio only', 'Decline'])
    expect(await state(bob)).toMatch(/^Connected/) // nothing happens to Alice's call until Bob answers
    await screenshot(bob, 'call-waiting-ringing')

    await bob.getByRole('button', { name: 'Hold and accept with video' }).click()
    // Bob's window shows Carol's call in front; Alice's is listed on hold; Alice is told, and hears and sees nothing
    await expect.poll(() => title(bob), slow).toBe('Carol Castillo')
    for (const p of [bob, carol]) await expect.poll(() => state(p), slow).toMatch(/^Connected/)
    await expect.poll(() => alice.getByTestId('hold-banner').textContent(), slow).toBe('Bob Brennan put the call on hold. You cannot hear each other.')
    const listed = () => bob.getByTestId('waiting-call').evaluateAll((li) => li.map((e) => `${e.querySelector('strong')!.textContent}: ${e.querySelector('[data-testid=waiting-call-state]')!.textContent!.replace(/ · \d+:\d\d$/, '')}`))
    await expect.poll(listed, slow).toEqual(['Alice Ahlberg: On hold', 'Carol Castillo: In front'])
    expect(await bob.getByTestId('waiting-call-state').first().textContent()).toMatch(/^On hold · \d+:\d\d$/) // with its timer
    await expect.poll(() => stalled(alice, 'audio-bytes'), slow).toBe(true)
    await expect.poll(() => stalled(alice, 'frames'), slow).toBe(true)
    await expect.poll(() => stat(bob, 'frames'), slow).toBeGreaterThan(10) // Carol's picture, on the call in front
    await expect.poll(() => bob.getByLabel('Video of Carol Castillo').evaluate((v) => (v as HTMLVideoElement).videoWidth), slow).toBeGreaterThan(0)
    await screenshot(bob, 'call-waiting-two-calls')
    await screenshot(alice, 'call-waiting-held-far-end')

    // back to Alice: Carol is held, Alice hears and sees Bob again
    await bob.getByRole('button', { name: 'Switch to the call with Alice Ahlberg' }).click()
    await expect.poll(() => title(bob), slow).toBe('Alice Ahlberg')
    await expect.poll(() => carol.getByTestId('hold-banner').textContent(), slow).toBe('Bob Brennan put the call on hold. You cannot hear each other.')
    await expect.poll(() => alice.getByTestId('hold-banner').count(), slow).toBe(0)
    await expect.poll(listed, slow).toEqual(['Alice Ahlberg: In front', 'Carol Castillo: On hold'])
    await expect.poll(() => stalled(alice, 'frames'), slow).toBe(false)
    await expect.poll(() => stalled(alice, 'audio-bytes'), slow).toBe(false)
    await expect.poll(() => stalled(carol, 'audio-bytes'), slow).toBe(true)

    // Bob hangs up the held call (Carol's): Alice's goes on, and the list goes with the second call
    await bob.getByRole('button', { name: 'Hang up the call with Carol Castillo' }).click()
    await expect.poll(() => carol.getByTestId('call-view').count(), slow).toBe(0)
    await expect.poll(() => bob.getByTestId('call-switcher').count(), slow).toBe(0)
    expect(await title(bob)).toBe('Alice Ahlberg')
    expect(await state(bob)).toMatch(/^Connected/)
    await expect.poll(() => stalled(alice, 'frames'), slow).toBe(false)

    // Carol again; this time Bob hangs up the call in front (hers): Alice's stays, on hold, until Bob resumes it
    await call('carol', 'bob', 'Hold and accept audio only')
    await expect.poll(() => alice.getByTestId('hold-banner').count(), slow).toBe(1)
    await expect.poll(() => cameras(bob), slow).not.toContain('live') // an audio call in front: Bob's camera is released
    await bob.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    await expect.poll(() => carol.getByTestId('call-view').count(), slow).toBe(0)
    await expect.poll(() => title(bob), slow).toBe('Alice Ahlberg')
    await expect.poll(() => state(bob), slow).toMatch(/^On hold/)
    await screenshot(bob, 'call-waiting-after-hang-up')
    await bob.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => alice.getByTestId('hold-banner').count(), slow).toBe(0)
    await expect.poll(() => stalled(bob, 'frames'), slow).toBe(false)
    await expect.poll(() => stalled(alice, 'audio-bytes'), slow).toBe(false)
    // his camera stayed off (he chose an audio call meanwhile): Alice sees his photo until he turns it on again
    await expect.poll(() => tile(alice).getAttribute('data-camera-off'), slow).toBe('true')
    await bob.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Camera on' }).click()
    await expect.poll(() => tile(alice).getAttribute('data-camera-off'), slow).toBe('false')
    await expect.poll(() => stalled(alice, 'frames'), slow).toBe(false)
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
  }, 180_000)

  it('camera off in a two-person call releases the camera and the far end shows the person within a second; on again shows video; far-end mute shows', async () => {
    const [alice, bob] = [page('alice'), page('bob')]
    await call('alice', 'bob')
    await expect.poll(() => stat(bob, 'frames'), slow).toBeGreaterThan(10)
    await expect.poll(() => bob.getByLabel('Video of Alice Ahlberg').evaluate((v) => (v as HTMLVideoElement).videoWidth), slow).toBeGreaterThan(0)
    expect(await cameras(alice)).toContain('live')

    // Alice turns her camera off: the track ends (the camera light goes off), Bob sees her picture and "camera off"
    await alice.getByRole('button', { name: 'Camera off' }).click()
    const off = Date.now()
    await expect.poll(() => tile(bob).getAttribute('data-camera-off'), slow).toBe('true')
    const shownAfter = Date.now() - off
    expect(await tile(bob).textContent()).toBe('Alice Ahlberg · camera off')
    expect(await bob.getByLabel('Video of Alice Ahlberg').count()).toBe(0) // no frozen last frame
    await expect.poll(() => cameras(alice), slow).not.toContain('live')
    expect(await alice.getByRole('button', { name: 'Camera on' }).count()).toBe(1)
    await screenshot(bob, 'camera-off-far-end')
    expect(shownAfter, `Bob saw "camera off" after ${shownAfter} ms`).toBeLessThan(1000)

    // on again: a new camera track, and Bob sees video again
    const opened = (await cameras(alice)).length
    await alice.getByRole('button', { name: 'Camera on' }).click()
    await expect.poll(async () => (await cameras(alice)).slice(opened), slow).toEqual(['live'])
    await expect.poll(() => bob.getByLabel('Video of Alice Ahlberg').evaluate((v) => (v as HTMLVideoElement).videoWidth), slow).toBeGreaterThan(0)
    expect(await tile(bob).getAttribute('data-camera-off')).toBe('false')
    await expect.poll(() => stalled(bob, 'frames'), slow).toBe(false)

    // far-end mute: Bob's window says Alice is muted while she is, and not before or after
    const aliceAtBob = participant(bob, 'sip:alice@contoso.test')
    await new Promise((r) => setTimeout(r, 3000))
    expect(await aliceAtBob.getAttribute('data-audio')).not.toBe('muted')
    await alice.getByRole('button', { name: 'Mute' }).click()
    await expect.poll(() => aliceAtBob.getAttribute('data-audio'), slow).toBe('muted')
    expect(await aliceAtBob.textContent()).toContain('Alice Ahlberg (muted)')
    expect(await tile(bob).locator('figcaption').textContent()).toBe('Alice Ahlberg · muted')
    await screenshot(bob, 'far-end-muted')
    await alice.getByRole('button', { name: 'Unmute' }).click()
    await expect.poll(() => aliceAtBob.getAttribute('data-audio'), slow).not.toBe('muted')
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
    expect(await cameras(alice)).not.toContain('live')
  }, 120_000)

  it('adding someone never blacks out the call: "calling…" in the roster; a declined invitation names the person and leaves the call as it was', async () => {
    const [alice, bob, carol] = [page('alice'), page('bob'), page('carol')]
    await call('alice', 'bob')
    await expect.poll(() => alice.getByLabel('Video of Bob Brennan').evaluate((v) => (v as HTMLVideoElement).videoWidth), slow).toBeGreaterThan(0)
    // from now on, every 50 ms: how many remote pictures Alice's window shows
    await alice.evaluate(() => {
      const samples: number[] = ((window as unknown as { __pictures: number[] }).__pictures = [])
      // any picture on the stage, the one handed over included (a person sees it until the new one draws)
      setInterval(() => samples.push([...document.querySelectorAll<HTMLVideoElement>('.stage .tile-frame video')].filter((v) => v.videoWidth > 0).length), 50)
    })
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
    const invitee = alice.getByTestId('invitee')
    await expect.poll(() => invitee.textContent(), slow).toBe('Carol Castillo · calling…')
    await expect.poll(() => carol.getByTestId('incoming-call').textContent(), slow).toContain('Alice Ahlberg is calling')
    expect(await invitee.textContent()).toBe('Carol Castillo · calling…')
    await screenshot(alice, 'add-people-calling')
    await carol.getByRole('button', { name: 'Decline' }).click()

    await expect.poll(() => alice.getByTestId('call-notice').textContent(), slow).toBe('Carol Castillo declined the invitation.')
    expect(await invitee.count()).toBe(0)
    await expect.poll(() => state(alice), slow).toMatch(/^Connected/)
    expect(await title(alice)).toBe('Bob Brennan')
    expect(await alice.getByRole('button', { name: 'Hold', disabled: true }).count()).toBe(0) // no greyed Hold
    await expect.poll(() => stalled(alice, 'frames'), slow).toBe(false)
    await expect.poll(() => alice.getByLabel('Video of Bob Brennan').evaluate((v) => (v as HTMLVideoElement).videoWidth), slow).toBeGreaterThan(0)
    await screenshot(alice, 'add-people-declined')
    const pictures = await alice.evaluate(() => (window as unknown as { __pictures: number[] }).__pictures)
    expect(pictures.length).toBeGreaterThan(20)
    // the picture moves from the P2P connection to the conference's: never a moment without one
    const longestGap = Math.max(0, ...(pictures.join('').match(/0+/g) ?? []).map((run) => run.length))
    expect(longestGap, `readings with no picture of Bob: ${pictures.join('')}`).toBe(0)

    // Alice hangs up: the conference of two ends for Bob too
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
  }, 120_000)

  it('leaving leaves: the person who hangs up a conference takes their tile at once; the last two stay connected', async () => {
    const [alice, bob, carol] = [page('alice'), page('bob'), page('carol')]
    await call('alice', 'bob')
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
    await expect.poll(() => carol.getByTestId('incoming-call').textContent(), slow).toContain('Alice Ahlberg is calling')
    await carol.getByRole('button', { name: 'Accept with video' }).click()
    const names = (p: Page) => tile(p).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())
    await expect.poll(() => names(alice), slow).toEqual(['Bob Brennan', 'Carol Castillo'])
    await expect.poll(() => names(bob), slow).toEqual(['Alice Ahlberg', 'Carol Castillo'])

    // in a conference too, camera off releases the camera (the others see Carol's photo) and on again shows her
    const carolAt = (p: Page) => p.locator('[data-testid=remote-tile][data-name="Carol Castillo"]')
    await carol.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Camera off' }).click()
    await expect.poll(() => carolAt(alice).getAttribute('data-camera-off'), slow).toBe('true')
    await expect.poll(() => cameras(carol), slow).not.toContain('live')
    await carol.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Camera on' }).click()
    await expect.poll(() => carolAt(alice).getAttribute('data-camera-off'), slow).toBe('false')
    await expect.poll(() => cameras(carol), slow).toContain('live')
    // a new frame of hers is drawn (not the last one from before)
    const newFrame = () => carolAt(alice).locator('video').evaluate((v) => new Promise<boolean>((resolve) => ((v as HTMLVideoElement).requestVideoFrameCallback(() => resolve(true)), setTimeout(() => resolve(false), 2000))))
    await expect.poll(newFrame, slow).toBe(true)

    await carol.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    const left = Date.now()
    for (const [p, other] of [[alice, 'Bob Brennan'], [bob, 'Alice Ahlberg']] as const) {
      await expect.poll(() => names(p), slow).toEqual([other])
      expect(await p.locator('[data-testid=participant]').evaluateAll((li) => li.map((e) => e.getAttribute('data-uri')))).toHaveLength(1)
    }
    const goneAfter = Date.now() - left
    await screenshot(alice, 'conference-after-leaving')
    // the two who stay are still together: connected, each seeing and hearing the other
    for (const p of [alice, bob]) {
      expect(await p.getByTestId('call-view').count()).toBe(1)
      expect(await state(p)).toMatch(/^Connected/)
      await expect.poll(() => stalled(p, 'frames'), slow).toBe(false)
      await expect.poll(() => stalled(p, 'audio-bytes'), slow).toBe(false)
    }
    // Chromium forgets a contributing source 10 s after its last packet: Carol's slot must not come back unnamed then
    await new Promise((r) => setTimeout(r, Math.max(0, 11_000 - (Date.now() - left))))
    expect(await names(alice)).toEqual(['Bob Brennan']) // no frozen or duplicated tile came back
    expect(await names(bob)).toEqual(['Alice Ahlberg'])
    expect(goneAfter, `Carol's tile went after ${goneAfter} ms`).toBeLessThan(2000)
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
  }, 120_000)

  it('a reload mid-call ends the call clearly on both sides: no ghost "Connected"', async () => {
    const [alice, bob] = [page('alice'), page('bob')]
    await call('alice', 'bob')
    await expect.poll(() => stat(bob, 'frames'), slow).toBeGreaterThan(10)
    await alice.reload()
    await alice.getByTestId('me').waitFor({ timeout: 20_000 }) // still signed in: the core kept the session
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
    await expect.poll(() => alice.getByTestId('call-history').locator('li').first().textContent(), slow).toContain('The call ended because Parley’s window was reloaded.')
    await expect.poll(() => bob.getByTestId('call-history').locator('li').first().textContent(), slow).toContain('The call ended.') // as when she hangs up
    await screenshot(alice, 'reload-mid-call')
    // and the next call works as any other
    await call('bob', 'alice')
    await expect.poll(() => stat(alice, 'frames'), slow).toBeGreaterThan(10)
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
  }, 120_000)

  it('an incoming call says video or audio, and who is in a conference; outgoing shows the callee; audio calls show people; call back makes the same kind', async () => {
    const [alice, bob, carol] = [page('alice'), page('bob'), page('carol')]
    const kind = (p: Page) => p.getByTestId('incoming-kind').textContent()
    const avatarShown = (p: Page, name: string) => p.locator(`[data-testid=remote-tile][data-name="${name}"] .tile-off [data-testid=avatar-photo]`).isVisible()

    // an audio call: Bob is told so; while it rings Alice sees Bob's picture, not a black box
    await alice.getByRole('button', { name: 'Audio call Bob Brennan' }).click()
    await expect.poll(() => kind(bob), slow).toBe('Audio call')
    await expect.poll(() => avatarShown(alice, 'Bob Brennan'), slow).toBe(true)
    expect(await state(alice)).toMatch(/^(Calling…|Ringing)/)
    await screenshot(alice, 'outgoing-ringing')
    await bob.getByRole('button', { name: 'Accept audio only' }).click()
    for (const p of [alice, bob]) await expect.poll(() => state(p), slow).toMatch(/^Connected/)
    // audio only: each sees the other person, and hears them
    await expect.poll(() => avatarShown(alice, 'Bob Brennan'), slow).toBe(true)
    await expect.poll(() => avatarShown(bob, 'Alice Ahlberg'), slow).toBe(true)
    expect(await tile(bob).locator('figcaption').textContent()).toBe('Alice Ahlberg')
    await expect.poll(() => stalled(bob, 'audio-bytes'), slow).toBe(false)
    await screenshot(bob, 'audio-call')
    await bob.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)

    // call back from the history: an audio call again
    await alice.getByRole('button', { name: 'Call back Bob Brennan' }).first().click()
    await expect.poll(() => kind(bob), slow).toBe('Audio call')
    await bob.getByRole('button', { name: 'Decline' }).click()
    await expect.poll(() => alice.getByTestId('call-view').count(), slow).toBe(0)

    // a video call: Bob is told so, and calling back makes a video call
    await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
    await expect.poll(() => kind(bob), slow).toBe('Video call')
    await screenshot(bob, 'incoming-video-call')
    await bob.getByRole('button', { name: 'Decline' }).click()
    await expect.poll(() => alice.getByTestId('call-view').count(), slow).toBe(0)
    await alice.getByRole('button', { name: 'Video call back Bob Brennan' }).first().click()
    await expect.poll(() => kind(bob), slow).toBe('Video call')
    await bob.getByRole('button', { name: 'Accept with video' }).click()
    for (const p of [alice, bob]) await expect.poll(() => state(p), slow).toMatch(/^Connected/)

    // an invitation into a conference names who is in it
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
    await expect.poll(() => kind(carol), slow).toBe('Video call · a conference with Alice Ahlberg and Bob Brennan')
    await screenshot(carol, 'incoming-conference')
    await carol.getByRole('button', { name: 'Decline' }).click()
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob, carol]) await expect.poll(() => p.getByTestId('call-view').count(), slow).toBe(0)
  }, 150_000)
})
