// Memory over a working day (issue #24): calls in a row between browser-mode clients (an escalation every tenth),
// presence changes, and event-channel reconnections; memory sampled after every tenth of the run.
// Default sizes run in a few minutes; `npm run bench -- soak --full` (or BENCH_FULL=1) runs 100 calls, 1,000 of the others.
import type { Page } from 'playwright-core'
import type { Core } from '../../main/core/core'
import { startSimulator } from '../simulator/index'
import { signedInCores } from './signed-in-cores'
import { autoAnswer, escalateOnce, threeClients, timedCall } from './browser'
import { startCanary } from './canary'
import { growthRow, pageHeap, processMemory, type Sample } from './growth'
import { soakCensus } from './soak-census'
import type { Marks } from './page-probes'
import type { Row } from './report'

const full = process.argv.includes('--full') || process.env.BENCH_FULL === '1'
const SIZES = full ? { calls: 100, presence: 1000, reconnects: 1000 } : { calls: Number(process.env.BENCH_SOAK_CALLS ?? 20), presence: 200, reconnects: 200 }
/** BENCH_HEAP_CENSUS=1 (always with --full): what each page and this process gained per call from the first sample at or past a third of the run to its end (JIT code settles before) */
const census = full || process.env.BENCH_HEAP_CENSUS === '1'
const every = (n: number) => Math.max(1, Math.round(n / 10))

/** The bench's own probes keep every connection and mark (page-probes.ts): dropped before sampling, so the heap is the app's. */
const forgetProbes = `window.__pcs = window.__pcs.filter((pc) => pc.connectionState !== 'closed'); window.__marks.splice(0); window.__heard.splice(0)`

async function callSoak(): Promise<Row[]> {
  // no records of requests for tests: about 2 KiB a call of them (call-heap.ts --records), nothing the calls read
  const sim = await startSimulator({ records: false })
  const clients = await threeClients(sim)
  const [alice, bob, carol] = clients.map((c) => c.page) as [Page, Page, Page]
  await bob.evaluate(autoAnswer)
  await carol.evaluate(autoAnswer)
  await carol.evaluate('window.__autoAnswer = false')
  const canary = startCanary()
  const cores = { callerCore: [] as Marks, calleeCore: [] as Marks }
  const heaps: Record<'alice' | 'bob' | 'process', Sample[]> = { alice: [], bob: [], process: [] }
  const rss: Sample[] = []
  const aborted: string[] = []
  const censuses = census ? soakCensus() : undefined
  const sample = async (ops: number) => {
    for (const p of [alice, bob, carol]) await p.evaluate(forgetProbes)
    if (censuses && ((censuses.points === 0 && ops >= SIZES.calls / 3) || ops === SIZES.calls)) await censuses.take(ops, alice, bob)
    heaps.alice.push({ ops, bytes: await pageHeap(alice) })
    heaps.bob.push({ ops, bytes: await pageHeap(bob) })
    const m = processMemory()
    heaps.process.push({ ops, bytes: m.heap })
    rss.push({ ops, bytes: m.rss })
  }
  for (let i = 1; i <= SIZES.calls; i++) {
    if (i % 10 === 0) {
      // Bob answers by hand in an escalation; Carol, added to the conference, at once
      await bob.evaluate('window.__autoAnswer = false')
      await carol.evaluate('window.__autoAnswer = true')
      await escalateOnce(alice, bob, carol, canary, sim.control.world.mediaUnit).catch(async (e: Error) => {
        // counted and reported, as the browser suite's moves: the memory run goes on with the next call
        aborted.push(`${i}: ${e.message}`)
        console.error(`[bench] soak: escalation at call ${i} aborted: ${e.message}`)
        for (const p of [alice, bob, carol]) await p.getByRole('button', { name: 'Hang up' }).click({ timeout: 5000 }).catch(() => {})
        for (const p of [alice, bob, carol]) await p.getByTestId('call-view').waitFor({ state: 'detached', timeout: 20_000 })
      })
      await carol.evaluate('window.__autoAnswer = false')
      await bob.evaluate('window.__autoAnswer = true')
    } else {
      await timedCall(alice, bob, 'Bob Brennan', cores)
      // clear the marks the core listeners gather: they are the bench's, not the product's
      cores.callerCore.splice(0)
      cores.calleeCore.splice(0)
    }
    if (i % every(SIZES.calls) === 0) {
      await sample(i)
      console.error(`[bench] soak: ${i}/${SIZES.calls} calls; renderer heaps ${(heaps.alice.at(-1)!.bytes / 2 ** 20).toFixed(1)} / ${(heaps.bob.at(-1)!.bytes / 2 ** 20).toFixed(1)} MiB`)
    }
  }
  canary.close()
  await Promise.all(clients.map((c) => c.close()))
  await sim.close()
  const suite = `soak: ${SIZES.calls} calls (an escalation every tenth)`
  return [
    { suite, metric: `escalations aborted (never reached Conference) of ${Math.floor(SIZES.calls / 10)}${aborted.length ? `: at calls ${aborted.join('; ')}` : ''}`, value: aborted.length, unit: '', target: '0', met: aborted.length === 0 },
    growthRow(suite, 'caller’s renderer JS heap (CDP Runtime.getHeapUsage)', heaps.alice, 10),
    growthRow(suite, 'callee’s renderer JS heap', heaps.bob, 10),
    ...(censuses?.report(suite) ?? []),
    growthRow(suite, 'the bench process’s JS heap (the pool and the three cores)', heaps.process, 10),
    // V8 still compiles this process's code (the pool's, three cores', Playwright's) through the first half of a 100-call run
    growthRow(suite, '  the same over the run’s second half', heaps.process.filter((s) => s.ops >= SIZES.calls / 2 - every(SIZES.calls)), 10),
    growthRow(suite, 'the bench process’s RSS (the pool and the three cores; noisy: freed heap is kept)', rss, null),
  ]
}

/** Bob changes his presence N times while Alice's core watches him; then Alice's event channel is cut N times. */
async function coreSoak(): Promise<Row[]> {
  // the pool's records of requests and secrets (20,000 kept for tests) would grow here with every request the cores make
  const sim = await startSimulator({ records: false })
  const [alice, bob] = (await signedInCores(sim, ['alice', 'bob'])) as [Core, Core]
  await alice.dispatch('people.contacts', undefined) // Alice's core subscribes to her contacts' presence, Bob's included
  const heap: Sample[] = []
  const rss: Sample[] = []
  const sample = (ops: number) => {
    const m = processMemory()
    heap.push({ ops, bytes: m.heap })
    rss.push({ ops, bytes: m.rss })
  }
  const choices = ['Busy', 'Online', 'DoNotDisturb', 'Away'] as const
  for (let i = 1; i <= SIZES.presence; i++) {
    const r = await bob.dispatch('presence.set', { availability: choices[i % choices.length]! })
    if (!r.ok) throw new Error(`presence change ${i} failed`)
    if (i % every(SIZES.presence) === 0) {
      sample(i)
      console.error(`[bench] soak: ${i}/${SIZES.presence} presence changes`)
    }
  }
  const presenceRows = [growthRow(`soak: ${SIZES.presence} presence changes`, 'JS heap of the process running the pool and two cores', heap.splice(0), 2), growthRow(`soak: ${SIZES.presence} presence changes`, '  its RSS', rss.splice(0), null)]
  const appId = () => sim.control.applications('alice@contoso.test').at(-1)!.id
  for (let i = 1; i <= SIZES.reconnects; i++) {
    const before = sim.control.faults.fired.drop
    sim.control.fault({ kind: 'drop', resource: 'events' })
    const app = sim.control.world.apps.get(appId())!
    // an event to carry: the next P-GET answers at once and the drop hits it
    app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href: app.href('/me/note') } })
    for (const end = Date.now() + 20_000; sim.control.faults.fired.drop === before; await new Promise((r) => setTimeout(r, 2))) {
      if (Date.now() > end) throw new Error(`reconnection ${i}: the drop never fired`)
    }
    if (i % every(SIZES.reconnects) === 0) {
      sample(i)
      console.error(`[bench] soak: ${i}/${SIZES.reconnects} event-channel reconnections`)
    }
  }
  await Promise.all([alice.close(), bob.close()])
  await sim.close()
  return [
    ...presenceRows,
    growthRow(`soak: ${SIZES.reconnects} event-channel reconnections`, 'JS heap of the process running the pool and two cores', heap, 2),
    growthRow(`soak: ${SIZES.reconnects} event-channel reconnections`, '  its RSS', rss, null),
  ]
}

export async function soakBench(): Promise<Row[]> {
  // tsx turns Node's source maps on; the app runs without them. With them, Node parses a module's map the first time a
  // stack trace (Playwright takes one per call it makes) passes through it: ~3.5 KiB per call the soak would count.
  // BENCH_SOURCE_MAPS=1 keeps them, for reading a failure's stack.
  const sourceMaps = process.sourceMapsEnabled
  if (process.env.BENCH_SOURCE_MAPS !== '1') process.setSourceMapsEnabled(false)
  const only = process.env.BENCH_SOAK // 'core' or 'calls': one half, while chasing a leak
  try {
    return [...(only === 'calls' ? [] : await coreSoak()), ...(only === 'core' ? [] : await callSoak())]
  } finally {
    process.setSourceMapsEnabled(sourceMaps) // for the suites after it
  }
}
