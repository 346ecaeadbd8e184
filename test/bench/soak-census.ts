// The soak's heap census (BENCH_HEAP_CENSUS=1): heap snapshots of both pages and of this process at two points of the
// call run, written to files and read only after it, so no census is in the heap it counts; then what grew, by kind
// and (this process) by owner. BENCH_HEAP_RETAINERS=Name adds what keeps this process's objects of that constructor;
// BENCH_HEAP_KEEP=1 keeps the snapshot files.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { writeHeapSnapshot } from 'node:v8'
import type { Page } from 'playwright-core'
import { censusGrowth, countSnapshot, objectBytes, readSnapshot, watchedCounts, writePageSnapshot, type Census } from './heap-census'
import { distinctRootPaths, growthByOwner, ownedBytes } from './heap-owners'
import type { Row } from './report'
import { round } from './stats'

/** one census point: the snapshot files of the caller's page, the callee's page and this process after `ops` calls */
interface Point {
  ops: number
  alice: string
  bob: string
  process: string
}

export interface SoakCensus {
  /** snapshots after `ops` calls (this process first: the pages' snapshots pass through it as chunks) */
  take(ops: number, alice: Page, bob: Page): Promise<void>
  /** how many points were taken */
  readonly points: number
  /** the rows for the two points (none unless both were taken, or when reading them fails: logged, files kept), with what grew logged on stderr; the files are removed */
  report(suite: string): Row[]
}

export function soakCensus(): SoakCensus {
  const dir = mkdtempSync(join(tmpdir(), 'parley-soak-'))
  const points: Point[] = []
  return {
    get points() {
      return points.length
    },
    async take(ops, alice, bob) {
      const file = (who: string) => join(dir, `${who}-${ops}.heapsnapshot`)
      const own = writeHeapSnapshot(file('process'))
      points.push({ ops, process: own, alice: await writePageSnapshot(alice, file('alice')), bob: await writePageSnapshot(bob, file('bob')) })
    },
    report(suite) {
      let keep = process.env.BENCH_HEAP_KEEP === '1'
      try {
        return points.length === 2 ? rows(suite, points[0]!, points[1]!) : []
      } catch (e) {
        // the run's other rows still count; the snapshots stay for a look
        console.error(`[bench] soak: the heap census failed: ${(e as Error).stack ?? String(e)}`)
        keep = true
        return []
      } finally {
        if (keep) console.error(`[bench] soak: heap snapshots kept in ${dir}`)
        else rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** the classes of Parley's main process (main/), less names the simulator or Playwright (in this process too) also declare */
export function parleyClasses(): Set<string> {
  const declaredIn = (text: string) => [...text.matchAll(/^\s*(?:export )?(?:abstract )?class (\w+)|(\w+) = class\b/gm)].map((m) => (m[1] ?? m[2])!)
  const declared = (dir: string) =>
    new Set(
      (readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => declaredIn(readFileSync(join(dir, f), 'utf8'))),
    )
  const root = fileURLToPath(new URL('../..', import.meta.url))
  // the bundle holds Playwright's client and server classes (not an export: found beside its package.json)
  const playwright = join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'lib/coreBundle.js')
  const others = new Set([...declared(join(root, 'test/simulator')), ...declaredIn(readFileSync(playwright, 'utf8'))])
  return new Set([...declared(join(root, 'main'))].filter((c) => !others.has(c)))
}

const perOp = (before: Census, after: Census, ops: number) => round((objectBytes(after) - objectBytes(before)) / ops / 1024, 2)

const rows = (suite: string, a: Point, b: Point): Row[] => [...pageRows(suite, a, b), ...processRows(suite, a, b)]

/** per page: JS objects gained per call, and the watched kinds' counts (a call's media left behind) */
function pageRows(suite: string, a: Point, b: Point): Row[] {
  const ops = b.ops - a.ops
  const out: Row[] = []
  for (const who of ['alice', 'bob'] as const) {
    const [before, after] = [countSnapshot(readSnapshot(a[who])), countSnapshot(readSnapshot(b[who]))]
    console.error(`[bench] soak: ${who}'s heap, calls ${a.ops} → ${b.ops}, growth by kind:\n${censusGrowth(before, after, ops).join('\n')}\n  counted: ${watchedCounts(before, after)}`)
    out.push({
      suite,
      metric: `${who === 'alice' ? 'caller' : 'callee'}’s JS objects without compiled code (heap snapshots at calls ${a.ops} and ${b.ops}; each call adds a call-history entry, ≤ 200 kept by design); ${watchedCounts(before, after)}`,
      value: perOp(before, after, ops),
      unit: 'KiB/op',
    })
  }
  return out
}

/** this process: what grew by kind and by owner (logged), the cores' own objects apart from the pool's and Playwright's */
function processRows(suite: string, a: Point, b: Point): Row[] {
  const ops = b.ops - a.ops
  const out: Row[] = []
  const [before, after] = [readSnapshot(a.process), readSnapshot(b.process)]
  const [cb, ca] = [countSnapshot(before), countSnapshot(after)]
  console.error(`[bench] soak: this process's heap, calls ${a.ops} → ${b.ops}, growth by kind:\n${censusGrowth(cb, ca, ops).join('\n')}`)
  console.error(`[bench] soak: this process's heap, calls ${a.ops} → ${b.ops}, growth by owner:\n${growthByOwner(before, after, ops).join('\n')}`)
  const retainers = process.env.BENCH_HEAP_RETAINERS
  if (retainers) console.error(`[bench] soak: what keeps this process's ${retainers} objects, distinct paths:\n${distinctRootPaths(after, retainers).join('\n')}`)
  // the cores' objects, and of them what the call histories alone hold (bounded by design), so the rest's growth stands
  // alone (history objects something else also references stay in the rest)
  const classes = parleyClasses()
  const histories = new Set(['CallHistoryStore'])
  const owned = (snap: typeof before) => ({ all: ownedBytes(snap, classes), history: ownedBytes(snap, histories) })
  const [ob, oa] = [owned(before), owned(after)]
  const kibPerOp = (from: number, to: number) => (to - from) / ops / 1024
  const restPerOp = kibPerOp(ob.all - ob.history, oa.all - oa.history)
  const mib = (b: number) => round(b / 2 ** 20, 2)
  out.push({
    suite,
    metric: `the three cores’ own JS objects besides their call histories (what instances of main/’s ${classes.size} classes keep and nothing else holds: not the pool, Playwright or V8’s code; ${mib(ob.all - ob.history)} → ${mib(oa.all - oa.history)} MiB at calls ${a.ops} and ${b.ops})`,
    value: round(restPerOp, 2),
    unit: 'KiB/op',
    target: '≤ 0.5 KiB/op',
    met: restPerOp <= 0.5,
  })
  out.push({ suite, metric: `  their call histories (≤ 200 entries each by design; a two-party call adds one to two cores; ${mib(ob.history)} → ${mib(oa.history)} MiB)`, value: round(kibPerOp(ob.history, oa.history), 2), unit: 'KiB/op' })
  out.push({ suite, metric: `the bench process’s JS objects without compiled code (the pool, three cores and Playwright’s client; heap snapshots at calls ${a.ops} and ${b.ops})`, value: perOp(cb, ca, ops), unit: 'KiB/op' })
  return out
}
