// Call set-up through the media bridge, for `npm run bench -- bridge-setup`: the same calls in the sfb2015 and the webrtc
// dialect, alternating in one run on one pool (control.setMedia before each call), and the escalation gap in sfb2015
// against the same move in webrtc, alternating (BENCH_MOVES of each, browser.ts).
import { availableParallelism, loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { defaultUsers } from '../simulator/pool/directory'
import { startSimulator } from '../simulator/index'
import type { MediaDialect } from '../simulator/sfb/dialect'
import { autoAnswer, benchClient, MOVES, signIn, threeClients, timedCall, tryMove } from './browser'
import { moveRows, type Moves } from './browser-rows'
import { startCanary } from './canary'
import { framesOf, type Marks } from './page-probes'
import type { Row } from './report'
import { median, percentile, round } from './stats'

const CALLS = Number(process.env.BENCH_BRIDGE_CALLS ?? 10)
const quiet = () => new Promise((r) => setTimeout(r, 750))
const medP95 = (v: number[]) => `${round(median(v))} / ${round(percentile(v, 95))}`

/**
 * Click "Video call <name>" → the first remote frame decoded on the caller's page (ms), then hang up; for a far side
 * with no page (a bot). A call with no frame in 20 s is hung up too and returns null, its inbound figures logged.
 */
export async function timedBotCall(page: Page, name: string): Promise<number | null> {
  const ms = (await page.evaluate(`(async () => {
    const framesOf = ${framesOf}
    const t0 = performance.now()
    document.querySelector('button[aria-label="Video call ${name}"]').click()
    while (performance.now() - t0 < 20000) {
      for (const pc of window.__pcs) if (pc.connectionState === 'connected' && (await framesOf(pc)) > 0) return performance.now() - t0
      await new Promise((r) => setTimeout(r, 5))
    }
    return -1
  })()`)) as number
  if (ms < 0) {
    const inbound = await page.evaluate(`(async () => { const out = []; for (const pc of window.__pcs) (await pc.getStats()).forEach((s) => s.type === 'inbound-rtp' && out.push(s.kind + ': ' + s.packetsReceived + ' packets, ' + (s.framesDecoded ?? '-') + ' frames, ' + (s.keyFramesDecoded ?? '-') + ' key frames, ' + (s.pliCount ?? '-') + ' PLIs sent')); return out.join('; ') })()`)
    console.error(`[bench] no remote frame 20 s after calling ${name} (${await page.getByTestId('call-state').textContent().catch(() => 'no call view')}): ${String(inbound)}`)
  }
  await page.getByRole('button', { name: 'Hang up' }).click()
  await page.getByTestId('call-view').waitFor({ state: 'detached' })
  return ms < 0 ? null : ms
}

type Samples = Record<MediaDialect, number[]>

/** What the 1-minute load average was over the run: min–max of the samples taken before each call. */
const loadOf = (loads: number[]) => `load average ${round(Math.min(...loads), 1)}–${round(Math.max(...loads), 1)} on ${availableParallelism()} cores`

export async function bridgeSetupBench(): Promise<Row[]> {
  // webrtc; each call's dialect is set just before it (a call keeps the one it started in); Frank escalates in webrtc
  const sim = await startSimulator({ users: [...defaultUsers(), { sip: 'frank@contoso.test', name: 'Frank Fischer', password: 'frank-pass' }] })
  // as the app and browser mode run against an SfB pool: the media worker started, and spare pool legs gathered, at
  // sign-in, and escalations offered through the bridge (the conference unit speaks SfB: main/index.ts)
  const clients = await threeClients(sim, { warmMediaBridge: true, conferenceUnitDialect: 'sfb2015', steadyVoice: true })
  const [alice, bob, carol] = clients.map((c) => c.page) as [Page, Page, Page]
  const frank = await benchClient(sim, { warmMediaBridge: true, steadyVoice: true })
  await signIn(frank.page, 'frank@contoso.test', 'frank-pass', sim.url)
  await bob.evaluate(autoAnswer)
  const cores = { callerCore: [] as Marks, calleeCore: [] as Marks }
  const toBot: Samples = { sfb2015: [], webrtc: [] }
  const toParley: Samples = { sfb2015: [], webrtc: [] }
  const loads: number[] = []
  const noFrame: Samples = { sfb2015: [], webrtc: [] }
  for (let i = 0; i < CALLS; i++) {
    // the dialect that goes first alternates, so neither always finds a machine just quietened
    for (const media of (i % 2 ? ['webrtc', 'sfb2015'] : ['sfb2015', 'webrtc']) as MediaDialect[]) {
      sim.control.setMedia(media)
      await quiet()
      loads.push(loadavg()[0]!)
      const ms = await timedBotCall(alice, 'Echo Test Service')
      if (ms === null) noFrame[media].push(i)
      else toBot[media].push(ms)
      await quiet()
      toParley[media].push((await timedCall(alice, bob, 'Bob Brennan', cores)).ms)
      console.error(`[bench] bridge set-up ${i + 1}/${CALLS} ${media}: to the echo endpoint ${ms === null ? 'no frame' : `${round(ms)} ms`}, to Parley ${round(toParley[media].at(-1)!)} ms (load ${loads.at(-1)})`)
    }
  }
  const setUpLoad = loadOf(loads)

  // escalation: Alice and Bob (Parley both) move into the conference unit when Alice adds Carol, the pool in sfb2015;
  // alternating with the same move in webrtc (the browser suite's), made by Frank, whose Parley is set up for a pool
  // whose unit speaks WebRTC (as the app in the demo's webrtc mode): the escalating client alone decides the offer's dialect
  await bob.evaluate('window.__autoAnswer = false')
  await carol.evaluate(autoAnswer)
  const canary = startCanary()
  const moveLoads = [loadavg()[0]!]
  const sampling = setInterval(() => moveLoads.push(loadavg()[0]!), 2000)
  const byDialect: Record<MediaDialect, Moves> = { sfb2015: { done: [], aborted: 0 }, webrtc: { done: [], aborted: 0 } }
  try {
    for (let i = 0; i < MOVES; i++) {
      for (const media of (i % 2 ? ['webrtc', 'sfb2015'] : ['sfb2015', 'webrtc']) as MediaDialect[]) {
        sim.control.setMedia(media)
        const m = await tryMove(media === 'sfb2015' ? alice : frank.page, bob, carol, canary, sim.control.world.mediaUnit, media, i)
        if (m) byDialect[media].done.push(m)
        else byDialect[media].aborted++
      }
    }
  } finally {
    clearInterval(sampling)
  }
  canary.close()
  await Promise.all([...clients, frank].map((c) => c.close()))
  await sim.close()
  const load = loadOf(moveLoads)
  return [...bridgeSetupRows(toBot, toParley, setUpLoad, noFrame), ...moveRows(byDialect.sfb2015, canary, `in sfb2015, ${load}`), ...moveRows(byDialect.webrtc, canary, `in webrtc, alternating with the sfb2015 moves, ${load}`), escalationRatio(byDialect)]
}

/** The sfb2015 move's gap against the webrtc move's of the same run: what the bridge and the SfB unit add. */
export function escalationRatio(m: Record<MediaDialect, Moves>): Row {
  const gaps = (d: MediaDialect) => m[d].done.map((x) => x.longestGap)
  const ratio = gaps('sfb2015').length && gaps('webrtc').length ? round(median(gaps('sfb2015')) / median(gaps('webrtc')), 2) : 'none'
  return { suite: 'escalation, sfb2015 against webrtc', metric: 'ratio of the median longest gaps Bob hears while the call moves (sfb2015 / webrtc, the same run, alternating)', value: ratio, unit: '×' }
}

export function bridgeSetupRows(toBot: Samples, toParley: Samples, load: string, noFrame: Samples): Row[] {
  const suite = `set-up through the bridge (${load})`
  const ratio = (s: Samples) => round(median(s.sfb2015) / median(s.webrtc), 2)
  const n = toBot.sfb2015.length
  return [
    {
      suite,
      metric: `click Call → first remote frame, Parley → the echo endpoint as an SfB 2015 client, through the bridge (median / p95 of ${n})`,
      value: medP95(toBot.sfb2015),
      unit: 'ms',
      baseline: { label: 'the same call, the echo endpoint in the webrtc dialect (no bridge), alternating', value: medP95(toBot.webrtc) },
    },
    { suite, metric: '  ratio of medians (sfb2015 / webrtc)', value: ratio(toBot), unit: '×', target: '≤ 1.2', met: ratio(toBot) <= 1.2 },
    // the first call after sign-in is the one a cold media worker (thread, modules, sockets) would cost
    { suite, metric: '  the first call after sign-in alone (in the figures above)', value: toBot.sfb2015[0] === undefined ? 'none' : round(toBot.sfb2015[0]), unit: 'ms', baseline: { label: 'the first in webrtc, just after it', value: toBot.webrtc[0] === undefined ? 'none' : round(toBot.webrtc[0]) } },
    { suite, metric: `  calls to the echo endpoint with no remote frame within 20 s, of ${n + noFrame.sfb2015.length} (webrtc: ${noFrame.webrtc.length} of ${toBot.webrtc.length + noFrame.webrtc.length})`, value: noFrame.sfb2015.length, unit: '', target: '0', met: noFrame.sfb2015.length === 0 && noFrame.webrtc.length === 0 },
    {
      suite,
      metric: `click Call → first remote frame, Parley → Parley with the pool in sfb2015 (offer carries the bridge's SfB part; callee takes the WebRTC one) (median / p95 of ${n})`,
      value: medP95(toParley.sfb2015),
      unit: 'ms',
      baseline: { label: 'the same call with the pool in webrtc, alternating', value: medP95(toParley.webrtc) },
    },
    { suite, metric: '  ratio of medians (sfb2015 / webrtc)', value: ratio(toParley), unit: '×', target: '≤ 1.2', met: ratio(toParley) <= 1.2 },
  ]
}
