// Escalation in Chromium against the simulator in sfb2015: Alice and Bob (Parley, their call on the WebRTC part) add
// Carol; the conference unit speaks only the SfB dialect, so each one's conference leg goes through its core's media
// bridge, which asks the unit for every member's video (VSR) and gives each source its own section in the page.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoPoolOf } from '../../main/demo'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, type Client } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}

const stat = async (page: Page, name: string) => Number(await page.getByTestId('call-quality').getAttribute(`data-${name}`))
/** every RTCPeerConnection the page makes, on window.__pcs (an init script: a string, run before the app) */
const recordPeerConnections = `window.__pcs = []; const Real = window.RTCPeerConnection; window.RTCPeerConnection = function (c) { const pc = new Real(c); window.__pcs.push(pc); return pc }; window.RTCPeerConnection.prototype = Real.prototype`
/** the audio codec each connected connection of the page sends with (outbound-rtp → codec mimeType) */
const sentAudioCodecs = (page: Page) =>
  page.evaluate(`(async () => { const out = []; for (const pc of window.__pcs) { if (pc.connectionState !== 'connected') continue; const r = await pc.getStats(); r.forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'audio' && s.codecId) out.push(r.get(s.codecId)?.mimeType) }) } return out.sort().join(' ') })()`) as Promise<string>
const state = (page: Page) => page.getByTestId('call-state').textContent()
/** the call is a conference (one still of two, Carol ringing, reads "Connected" since the call-kinds merge, #22: CallView's label) */
const conference = (page: Page) => page.getByTestId('call-view').getAttribute('data-state')

beforeAll(async () => {
  sim = await startSimulator({ media: 'sfb2015' })
  for (const name of ['alice', 'bob', 'carol']) {
    clients[name] = await launchClient({ core: await testCore({ demo: demoPoolOf(sim), conferenceUnitDialect: 'sfb2015' }), beforeLoad: async (context) => {
      await context.grantPermissions(['camera', 'microphone'])
      await context.addInitScript(recordPeerConnections)
    } })
    const page = clients[name]!.page
    await page.getByLabel('Sign-in address').fill(`${name}@contoso.test`)
    await page.getByLabel('Password', { exact: true }).fill(`${name}-pass`)
    if (!(await page.getByLabel('Discovery URL').isVisible())) await page.getByText('Advanced').click()
    await page.getByLabel('Discovery URL').fill(sim.url)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }
}, 90_000)
afterAll(async () => {
  for (const c of Object.values(clients)) await c.close()
  await sim?.close()
})

it('Alice calls Bob (both Parley) and adds Carol: the move keeps Bob’s picture going, and in the conference each page decodes the two others’ video and hears audio', async () => {
  const [alice, bob, carol] = [clients.alice!.page, clients.bob!.page, clients.carol!.page]
  for (const p of [alice, bob, carol]) await expect.poll(() => p.getByTestId('me').textContent(), { timeout: 15_000 }).toMatch(/\w/)
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
  await bob.getByRole('button', { name: 'Accept with video' }).click()
  for (const p of [alice, bob]) await expect.poll(() => state(p), { timeout: 30_000 }).toMatch(/^Connected/)
  await expect.poll(() => stat(bob, 'frames'), { timeout: 30_000 }).toBeGreaterThan(10)

  // Bob's decoded frames sampled through the move: the count never stalls for a second (the P2P picture stays until the conference's comes)
  const samples: number[] = []
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      samples.push(await stat(bob, 'frames').catch(() => NaN))
      await new Promise((r) => setTimeout(r, 250))
    }
  })()
  await alice.getByRole('button', { name: 'Add people' }).click()
  await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
  await expect.poll(() => carol.getByTestId('incoming-call').textContent(), { timeout: 30_000 }).toContain('Alice Ahlberg is calling')
  for (const p of [alice, bob]) await expect.poll(() => conference(p), { timeout: 30_000 }).toBe('conference')
  await carol.getByRole('button', { name: 'Accept with video' }).click()
  await expect.poll(() => state(carol), { timeout: 30_000 }).toMatch(/^Conference/)
  // every page decodes two remote pictures (one inbound-rtp video per other member) and hears audio
  for (const p of [alice, bob, carol]) await expect.poll(() => stat(p, 'video-tracks'), { timeout: 40_000 }).toBeGreaterThanOrEqual(2)
  for (const p of [alice, bob, carol]) await expect.poll(() => stat(p, 'audio-level'), { timeout: 30_000 }).toBeGreaterThan(0.01)
  // the unit answered PCMU first (the codec it mixes): each member's Chromium sends what the unit's answer put first (RFC 3264 6.1), not its own first choice (G.722)
  for (const p of [alice, bob, carol]) await expect.poll(() => sentAudioCodecs(p), { timeout: 15_000 }).toBe('audio/PCMU')
  sampling = false
  await sampler
  // no window of 4 samples (~1 s) in which Bob's frame count stood still while the call moved
  const stalls = samples.slice(4).filter((n, i) => n === samples[i])
  expect(stalls, `Bob's frames: ${samples.join(' ')}`).toEqual([])
  for (const p of [carol, bob, alice]) await p.getByRole('button', { name: 'Hang up' }).click().catch(() => undefined)
}, 240_000)
