// In Chromium: call set-up through UCWA and the simulator against two bare RTCPeerConnections, and the
// audio gap a participant hears while a call moves into a conference.
import type { Page } from 'playwright-core'
import { launchClient, type Client } from '../e2e/harness'
import { startSimulator } from '../simulator/index'
import { testCore } from '../support/core'
import type { Row } from './report'
import { median, percentile, round } from './stats'

// Scripts for the page are plain strings: tsx's transform adds helpers that do not exist in the page.

/** Every RTCPeerConnection the page makes, so the bench can read packets across the P2P and conference ones. */
const trackConnections = `
  window.__pcs = []
  const Real = window.RTCPeerConnection
  window.RTCPeerConnection = function (config) { const pc = new Real(config); window.__pcs.push(pc); return pc }
  window.RTCPeerConnection.prototype = Real.prototype
`

const framesOf = `async (pc) => { let f = 0; (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') f += s.framesDecoded || 0 }); return f }`

async function waitForState(page: Page, re: RegExp): Promise<void> {
  const end = Date.now() + 20_000
  while (!re.test((await page.getByTestId('call-state').textContent({ timeout: 20_000 }).catch(() => '')) ?? '')) {
    if (Date.now() > end) throw new Error(`call state never matched ${re}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function signIn(page: Page, sip: string, password: string, url: string): Promise<void> {
  await page.getByLabel('Sign-in address').fill(sip)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByText('Advanced').click()
  await page.getByLabel('Discovery URL').fill(url)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByTestId('me').waitFor()
}

/** Click "Video call" and wait, in the page, for the first decoded remote frame. */
async function timedCall(caller: Page, callee: Page, name: string): Promise<number> {
  const ms = await caller.evaluate(`(async () => {
    const framesOf = ${framesOf}
    const t0 = performance.now()
    document.querySelector('button[aria-label="Video call ${name}"]').click()
    for (;;) {
      for (const pc of window.__pcs) {
        if (pc.connectionState !== 'closed' && (await framesOf(pc)) > 0) return performance.now() - t0
      }
      await new Promise((r) => setTimeout(r, 5))
    }
  })()`) as number
  await caller.getByRole('button', { name: 'Hang up' }).click()
  await callee.getByTestId('call-view').waitFor({ state: 'detached' })
  await caller.getByTestId('call-view').waitFor({ state: 'detached' })
  return ms
}

/** The physical limit in the same browser: two peer connections, SDP handed over directly (full gathering, as UCWA). */
async function directCall(page: Page): Promise<number> {
  return (await page.evaluate(`(async () => {
    const framesOf = ${framesOf}
    const gathered = (pc) => new Promise((r) => (pc.iceGatheringState === 'complete' ? r() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r())))
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    const t0 = performance.now()
    const a = new RTCPeerConnection({ iceServers: [] })
    const b = new RTCPeerConnection({ iceServers: [] })
    for (const t of stream.getTracks()) a.addTrack(t, stream)
    await a.setLocalDescription(await a.createOffer())
    await gathered(a)
    await b.setRemoteDescription(a.localDescription)
    await b.setLocalDescription(await b.createAnswer())
    await gathered(b)
    await a.setRemoteDescription(b.localDescription)
    while ((await framesOf(b)) === 0) await new Promise((r) => setTimeout(r, 5))
    const ms = performance.now() - t0
    a.close()
    b.close()
    stream.getTracks().forEach((t) => t.stop())
    return ms
  })()`)) as number
}

export async function browserBench(): Promise<Row[]> {
  const sim = await startSimulator()
  const clients: Client[] = []
  for (let i = 0; i < 3; i++) clients.push(await launchClient({ core: await testCore({ demo: { discoveryUrl: sim.url, users: [] } }), beforeLoad: async (c) => void (await c.addInitScript({ content: trackConnections })) }))
  const [alice, bob, carol] = clients.map((c) => c.page) as [Page, Page, Page]
  await signIn(alice, 'alice@contoso.test', 'alice-pass', sim.url)
  await signIn(bob, 'bob@contoso.test', 'bob-pass', sim.url)
  await signIn(carol, 'carol@contoso.test', 'carol-pass', sim.url)
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).waitFor()

  // Bob answers the instant the incoming call shows (a person's reaction time is not the system's)
  const autoAnswer = `new MutationObserver(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Accept with video')
    if (b && window.__autoAnswer) b.click()
  }).observe(document.body, { childList: true, subtree: true }); window.__autoAnswer = true`
  await bob.evaluate(autoAnswer)
  const ucwa: number[] = []
  const direct: number[] = []
  for (let i = 0; i < 20; i++) {
    direct.push(await directCall(bob))
    ucwa.push(await timedCall(alice, bob, 'Bob Brennan'))
  }

  // escalation: Alice and Bob talk, Alice adds Carol; Bob's audio packets are sampled every 10 ms across both connections
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
  await waitForState(alice, /^Connected/)
  await new Promise((r) => setTimeout(r, 2000))
  const sampling = bob.evaluate(`(async () => {
    const arrivals = []
    let last = -1
    const end = performance.now() + 9000
    while (performance.now() < end) {
      let packets = 0
      for (const pc of window.__pcs) {
        if (pc.connectionState === 'closed') continue
        ;(await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') packets += s.packetsReceived || 0 })
      }
      if (packets !== last) arrivals.push(performance.now())
      last = packets
      await new Promise((r) => setTimeout(r, 10))
    }
    return arrivals
  })()`) as Promise<number[]>
  await bob.evaluate('window.__autoAnswer = false')
  const t0 = Date.now()
  await alice.getByRole('button', { name: 'Add people' }).click()
  await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
  await carol.evaluate(autoAnswer)
  await waitForState(alice, /^Conference/)
  const moveMs = Date.now() - t0
  const arrivals = await sampling
  const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!)
  const longestGap = Math.max(...gaps)
  const typicalGap = median(gaps)

  await Promise.all(clients.map((c) => c.close()))
  await sim.close()
  const ratio = median(ucwa) / median(direct)
  return [
    { suite: 'call set-up', metric: 'click Call → first remote frame decoded, through UCWA and the simulator (median / p95 of 20)', value: `${round(median(ucwa))} / ${round(percentile(ucwa, 95))}`, unit: 'ms', baseline: { label: 'two RTCPeerConnections in the same Chromium, SDP handed over directly', value: `${round(median(direct))} / ${round(percentile(direct, 95))}` } },
    { suite: 'call set-up', metric: 'ratio of medians', value: round(ratio, 2), unit: '×', target: '≤ 1.3', met: ratio <= 1.3 },
    { suite: 'escalation', metric: 'Add participant → Conference on the caller’s screen (Carol answering at once; includes two clicks by the test)', value: moveMs, unit: 'ms' },
    { suite: 'escalation', metric: 'longest gap in audio packets at Bob while the call moves', value: round(longestGap), unit: 'ms', baseline: { label: 'median interval between readings', value: round(typicalGap) }, target: '≤ 150 ms', met: longestGap <= 150 },
  ]
}
