// Memory over a run of repeated operations: samples taken after a forced GC, and growth per operation after warm-up.
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import type { Page } from 'playwright-core'
import type { Row } from './report'
import { round } from './stats'

setFlagsFromString('--expose-gc')
/** a full GC in this process (the flag set above makes `gc` visible to a new context) */
export const collect = runInNewContext('gc') as () => void

export interface Sample {
  /** operations done when sampled */
  ops: number
  bytes: number
}

/** This process's heap after GC and RSS (the pool and the cores run here). */
export function processMemory(): { heap: number; rss: number } {
  collect()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}

/** A page's JS heap after a full GC, through CDP (HeapProfiler.collectGarbage, Runtime.getHeapUsage). */
export async function pageHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    return usedSize
  } finally {
    await cdp.detach()
  }
}

/** Least-squares slope in bytes per operation over the samples after the first (warm-up). */
export function growthPerOp(samples: Sample[]): number {
  const s = samples.slice(1)
  if (s.length < 2) return NaN
  const mx = s.reduce((a, p) => a + p.ops, 0) / s.length
  const my = s.reduce((a, p) => a + p.bytes, 0) / s.length
  const num = s.reduce((a, p) => a + (p.ops - mx) * (p.bytes - my), 0)
  const den = s.reduce((a, p) => a + (p.ops - mx) ** 2, 0)
  return num / den
}

/** One row: growth per op after warm-up against a budget in KiB per op, the samples (MiB) beside it. */
export function growthRow(suite: string, what: string, samples: Sample[], budgetKiB: number | null): Row {
  const perOp = growthPerOp(samples) / 1024
  const trail = samples.map((p) => round(p.bytes / 1024 / 1024, 1)).join(' → ')
  return {
    suite,
    metric: `${what}: growth per operation after the first sample (least squares); samples after GC, MiB: ${trail}`,
    value: round(perOp, 2),
    unit: 'KiB/op',
    ...(budgetKiB === null ? {} : { target: `≤ ${budgetKiB} KiB/op`, met: perOp <= budgetKiB }),
  }
}
