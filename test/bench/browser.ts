// In Chromium: call set-up through UCWA and the simulator against two bare RTCPeerConnections, with a
// profile of where the time goes; and the audio gap a participant hears while a call moves into a conference.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Page } from 'playwright-core'
import { launchClient, type Client } from '../e2e/harness'
import type { MediaUnit } from '../simulator/conference/unit'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { realtimeThreads, startCanary, type Canary } from './canary'
import { audioClock, audioClockUrl, framesOf, heardGaps, steadyVoice, trackConnections, type Marks } from './page-probes'
import type { Row } from './report'
import { setUpSteps } from './browser-rows'
import { moveRows, setUpRows, type Move, type Moves, type SetUpSamples } from './browser-rows'
import { startHogs } from './hogs'
import { median, round } from './stats'

const marksOf = (page: Page) => page.evaluate('window.__marks.splice(0)') as Promise<Marks>
/** each measurement starts on a quiet machine: the previous one's teardown (camera, encoders) is over */
const quiet = () => new Promise((r) => setTimeout(r, 750))

async function waitForState(page: Page, re: RegExp): Promise<void> {
  const end = Date.now() + 20_000
  let state: string | null
  while (!re.test((state = await page.getByTestId('call-state').textContent({ timeout: 20_000 }).catch(() => null)) ?? '')) {
    if (Date.now() > end) throw new Error(`call state never matched ${re} (last: ${state ?? 'no call view'})`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function signIn(page: Page, sip: string, password: string, url: string): Promise<void> {
  await page.getByLabel('Sign-in address').fill(sip)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByText('Advanced').click()
  await page.getByLabel('Discovery URL').fill(url)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByTestId('me').waitFor()
}

/** Click "Video call" and wait, in the page, for the first decoded remote frame; and when each step happened. */
export async function timedCall(caller: Page, callee: Page, name: string, cores: { callerCore: Marks; calleeCore: Marks }): Promise<{ ms: number; at: Record<string, number> }> {
  await Promise.all([marksOf(caller), marksOf(callee)])
  cores.callerCore.splice(0)
  cores.calleeCore.splice(0)
  const clickedAt = (await caller.evaluate('Date.now()')) as number
  const ms = (await caller.evaluate(`(async () => {
    const framesOf = ${framesOf}
    const t0 = performance.now()
    document.querySelector('button[aria-label="Video call ${name}"]').click()
    while (performance.now() - t0 < 15000) {
      for (const pc of window.__pcs) {
        // no frame is decoded before the connection is up: reading stats earlier only loads the machine
        if (pc.connectionState === 'connected' && (await framesOf(pc)) > 0) {
          window.__marks.push(['first-frame', Date.now()])
          return performance.now() - t0
        }
      }
      await new Promise((r) => setTimeout(r, 5))
    }
    return -1
  })()`)) as number
  if (ms < 0) {
    const what = async (p: Page) =>
      `${await p.getByTestId('call-state').textContent().catch(() => 'no call view')}; connections ${await p.evaluate('JSON.stringify(window.__pcs.map((pc) => [pc.signalingState, pc.connectionState]))')}`
    const recent = await callee.getByRole('region', { name: 'Recent calls' }).textContent().catch(() => '')
    throw new Error(`No remote frame 15 s after the click. Caller: ${await what(caller)}. Callee: ${await what(callee)}; recent calls: ${recent?.slice(0, 300)}`)
  }
  const marks = { caller: await marksOf(caller), callee: await marksOf(callee), ...cores }
  const at: Record<string, number> = {}
  for (const s of setUpSteps) {
    const hit = marks[s.at].find(([what, t]) => what === s.mark && t >= clickedAt)
    if (hit) at[s.label] = hit[1] - clickedAt
  }
  await caller.getByRole('button', { name: 'Hang up' }).click()
  await callee.getByTestId('call-view').waitFor({ state: 'detached' })
  await caller.getByTestId('call-view').waitFor({ state: 'detached' })
  return { ms, at }
}

/**
 * The physical limit in the same browser: two peer connections, SDP handed over directly (full gathering, as UCWA).
 * oneWay: only the offerer sends a camera, timed to the answerer's first frame (the old row); twoWay: both send, as
 * Parley's call does, timed to the offerer's first frame from the answerer (what the caller sees). Cameras open before t0.
 */
async function directCall(page: Page, way: 'oneWay' | 'twoWay'): Promise<number> {
  return (await page.evaluate(`(async () => {
    const framesOf = ${framesOf}
    const twoWay = ${way === 'twoWay'}
    const gathered = (pc) => new Promise((r) => (pc.iceGatheringState === 'complete' ? r() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r())))
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    const other = twoWay ? await navigator.mediaDevices.getUserMedia({ audio: true, video: true }) : null
    const t0 = performance.now()
    const a = new RTCPeerConnection({ iceServers: [] })
    const b = new RTCPeerConnection({ iceServers: [] })
    for (const t of stream.getTracks()) a.addTrack(t, stream)
    await a.setLocalDescription(await a.createOffer())
    await gathered(a)
    await b.setRemoteDescription(a.localDescription)
    if (other) for (const t of other.getTracks()) b.addTrack(t, other)
    await b.setLocalDescription(await b.createAnswer())
    await gathered(b)
    await a.setRemoteDescription(b.localDescription)
    const seer = twoWay ? a : b
    while (seer.connectionState !== 'connected' || (await framesOf(seer)) === 0) await new Promise((r) => setTimeout(r, 5))
    const ms = performance.now() - t0
    a.close()
    b.close()
    for (const s of [stream, other]) s?.getTracks().forEach((t) => t.stop())
    return ms
  })()`)) as number
}

/** The audio frames Bob hears over a window: the longest interval and the median one. */
async function audioWindow(bob: Page, during: () => Promise<void>): Promise<{ longest: number; typical: number; long: Array<[number, number]> }> {
  await bob.evaluate(`window.__audioClock.postMessage('start')`)
  await during()
  const { gaps, long } = (await bob.evaluate(heardGaps)) as { gaps: number[]; long: Array<[number, number]> }
  return { longest: Math.max(...gaps), typical: median(gaps), long }
}

import { MOVE_WINDOW_MS } from './browser-rows'

/**
 * One P2P call moved to a conference by adding Carol: Bob's audio gaps across the move, over as long a stretch
 * of the P2P call before it and of the conference after it; and how long the machine itself stalled meanwhile.
 */
export async function escalateOnce(alice: Page, bob: Page, carol: Page, canary: Canary, unit: MediaUnit): Promise<Move> {
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
  await bob.getByRole('button', { name: 'Accept with video' }).click()
  await waitForState(alice, /^Connected/)
  await new Promise((r) => setTimeout(r, 1000))
  const still = await audioWindow(bob, () => new Promise((r) => setTimeout(r, MOVE_WINDOW_MS)))
  let moveMs = 0
  // the pool and the three cores share this process's event loop; the conference unit (werift, pure JS) runs in a process of its own
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  let machineStall = 0
  let unitStall = 0
  const moving = await audioWindow(bob, async () => {
    unitStall = await unit.stalls(async () => {
      machineStall = await canary.window(async () => {
        const t0 = Date.now()
        await alice.getByRole('button', { name: 'Add people' }).click()
        await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
        await waitForState(alice, /^Conference/)
        moveMs = Date.now() - t0
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + MOVE_WINDOW_MS - Date.now()))) // the P2P connection closes once the conference carries audio
      })
    })
  })
  loop.disable()
  if (process.env.BENCH_DEBUG) console.error('[bench] long gaps during the move (start, ms):', JSON.stringify(moving.long), 'closes:', JSON.stringify((await marksOf(bob)).filter(([w]) => w === 'close')))
  const settled = await audioWindow(bob, () => new Promise((r) => setTimeout(r, MOVE_WINDOW_MS)))
  // after the windows: a synchronous /proc walk here would stall the pool and cores whose stalls this measures
  const realtime = realtimeThreads('chromium')
  for (const p of [alice, bob, carol]) await p.getByRole('button', { name: 'Hang up' }).click().catch(() => {})
  for (const p of [alice, bob, carol]) await p.getByTestId('call-view').waitFor({ state: 'detached' })
  await quiet()
  return { moveMs, longestGap: moving.longest, typicalGap: moving.typical, stillGap: still.longest, settledGap: settled.longest, poolStallMs: loop.max / 1e6, unitStall, machineStall, realtime }
}

const CALLS = Number(process.env.BENCH_CALLS ?? 20)
const ACCEPT_AFTER_MS = Number(process.env.BENCH_ACCEPT_AFTER_MS ?? 0)
export const MOVES = Number(process.env.BENCH_MOVES ?? 5)

/** CALLS calls through Parley, each beside the direct baselines (one-way and two-way) taken just before it. */
async function setUpSamples(alice: Page, bob: Page, cores: { callerCore: Marks; calleeCore: Marks }, load: string): Promise<SetUpSamples> {
  const out: SetUpSamples = { ucwa: [], oneWay: [], twoWay: [], profile: [] }
  for (let i = 0; i < CALLS; i++) {
    await quiet()
    out.oneWay.push(await directCall(bob, 'oneWay'))
    await quiet()
    out.twoWay.push(await directCall(bob, 'twoWay'))
    await quiet()
    const call = await timedCall(alice, bob, 'Bob Brennan', cores)
    out.ucwa.push(call.ms)
    out.profile.push(call.at)
    console.error(`[bench] call set-up (${load}) ${i + 1}/${CALLS}: ${round(call.ms)} ms (direct two-way ${round(out.twoWay.at(-1)!)} ms, one-way ${round(out.oneWay.at(-1)!)} ms)`)
  }
  return out
}

/**
 * One escalation (escalateOnce), logged as move `i` of MOVES with what stalled meanwhile; null when it never reached
 * Conference (an aborted move, #24: logged with the state the call was left in, and its calls hung up).
 */
export async function tryMove(caller: Page, bob: Page, carol: Page, canary: Canary, unit: MediaUnit, load: string, i: number): Promise<Move | null> {
  let m: Move
  try {
    m = await escalateOnce(caller, bob, carol, canary, unit)
  } catch (e) {
    // the call's notice says why (e.g. the unit's refusal of the offer: "the server requires encryption keys (SDES)…")
    const notice = await caller.getByTestId('call-notice').textContent({ timeout: 1000 }).catch(() => null)
    // what each side was left showing: the callee Carol's card or call, the caller's call view (who is in it)
    const shown = async (p: Page) => (await p.getByTestId('call-view').getAttribute('data-state', { timeout: 1000 }).catch(() => 'no call view')) + (await p.getByTestId('incoming-call').isVisible().catch(() => false) ? ', an incoming call showing' : '')
    console.error(`[bench] escalation (${load}) ${i + 1}/${MOVES} aborted: ${(e as Error).message}${notice ? `; the caller's notice: ${notice}` : ''}; caller: ${await shown(caller)}; Bob: ${await shown(bob)}; Carol: ${await shown(carol)}`)
    for (const p of [caller, bob, carol]) await p.getByRole('button', { name: 'Hang up' }).click({ timeout: 5000 }).catch(() => {})
    await quiet()
    return null
  }
  // each move's gap beside what stalled meanwhile: the machine (canary), the unit, the pool's process
  console.error(`[bench] escalation (${load}) ${i + 1}/${MOVES}: gap ${round(m.longestGap)} ms (still P2P ${round(m.stillGap)} ms, settled conference ${round(m.settledGap)} ms; stalls: machine ${round(m.machineStall)}, unit ${round(m.unitStall)}, pool ${round(m.poolStallMs)} ms)`)
  return m
}

/** MOVES escalations; a move that never reaches the conference is counted as aborted. */
async function moves(alice: Page, bob: Page, carol: Page, canary: Canary, unit: MediaUnit, load: string): Promise<Moves> {
  const out: Moves = { done: [], aborted: 0 }
  for (let i = 0; i < MOVES; i++) {
    const m = await tryMove(alice, bob, carol, canary, unit, load, i)
    if (m) out.done.push(m)
    else out.aborted++
  }
  return out
}

/** Alice, Bob and Carol, each a browser-mode client (Chromium + a core in this process), signed in to the simulator. */
/** `steadyVoice`: the microphone carries a steady tone (page-probes.ts), so no codec's silence suppression looks like a gap */
type ClientOptions = { warmMediaBridge?: boolean; conferenceUnitDialect?: 'sfb2015'; steadyVoice?: boolean }

export async function threeClients(sim: Simulator, options: ClientOptions = {}): Promise<Client[]> {
  const clients: Client[] = []
  for (let i = 0; i < 3; i++) clients.push(await benchClient(sim, options))
  const [alice, bob, carol] = clients.map((c) => c.page) as [Page, Page, Page]
  await signIn(alice, 'alice@contoso.test', 'alice-pass', sim.url)
  await signIn(bob, 'bob@contoso.test', 'bob-pass', sim.url)
  await signIn(carol, 'carol@contoso.test', 'carol-pass', sim.url)
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).waitFor()
  return clients
}

/** One browser-mode client with the bench's probes (page-probes.ts), not signed in yet. */
export async function benchClient(sim: Simulator, options: ClientOptions = {}): Promise<Client> {
  const core = await testCore({ demo: { discoveryUrl: sim.url, users: [] }, warmMediaBridge: options.warmMediaBridge, conferenceUnitDialect: options.conferenceUnitDialect })
  const beforeLoad = async (c: Client['context']) => {
    await c.route(`**${audioClockUrl}`, (r) => r.fulfill({ contentType: 'text/javascript', body: audioClock }))
    if (options.steadyVoice) await c.addInitScript({ content: steadyVoice }) // before trackConnections: its getUserMedia marks wrap this one
    await c.addInitScript({ content: trackConnections })
  }
  return launchClient({ core, beforeLoad })
}

/**
 * In a page: click Accept with video the instant the incoming call shows while window.__autoAnswer (a person's reaction
 * time is not the system's), or BENCH_ACCEPT_AFTER_MS later (a person who looks first: the provisional answer's case).
 */
export const autoAnswer = `new MutationObserver(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Accept with video')
    if (!b || !window.__autoAnswer || b.__clicking) return
    b.__clicking = true
    const click = () => { window.__marks.push(['accept', Date.now()]); b.click() }
    if (window.__acceptAfterMs) setTimeout(click, window.__acceptAfterMs); else click()
  }).observe(document.body, { childList: true, subtree: true }); window.__autoAnswer = true; window.__acceptAfterMs = ${ACCEPT_AFTER_MS}`

export async function browserBench(): Promise<Row[]> {
  const sim = await startSimulator()
  const clients = await threeClients(sim)
  const [alice, bob, carol] = clients.map((c) => c.page) as [Page, Page, Page]
  await bob.evaluate(autoAnswer)
  // the main processes' side of the profile: when each core saw the call change state
  const cores = { callerCore: [] as Marks, calleeCore: [] as Marks }
  clients[0]!.core.calls.onChange((c) => void cores.callerCore.push([c.state, Date.now()]))
  clients[1]!.core.calls.onChange((c) => void cores.calleeCore.push([c.state, Date.now()]))
  const idle = await setUpSamples(alice, bob, cores, 'idle')
  const hogs = startHogs()
  const loaded = await setUpSamples(alice, bob, cores, `${hogs.count} CPU hogs`).finally(() => hogs.stop())

  // escalation: Bob's audio frames are timed as they arrive, and count when his page plays their track
  await bob.evaluate('window.__autoAnswer = false')
  await carol.evaluate(autoAnswer)
  const canary = startCanary()
  const unit = sim.control.world.mediaUnit
  const idleMoves = await moves(alice, bob, carol, canary, unit, 'idle')
  const moveHogs = startHogs()
  const loadedMoves = await moves(alice, bob, carol, canary, unit, `${moveHogs.count} CPU hogs`).finally(() => moveHogs.stop())

  canary.close()
  await Promise.all(clients.map((c) => c.close()))
  await sim.close()
  return [...setUpRows(idle, 'idle'), ...setUpRows(loaded, `with ${hogs.count} CPU hogs (stress-ng --cpu 1, each in a session of its own)`), ...moveRows(idleMoves, canary, 'idle'), ...moveRows(loadedMoves, canary, `with ${moveHogs.count} CPU hogs`)]
}
