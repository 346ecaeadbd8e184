// What a page's JS heap holds, counted by constructor: a heap snapshot through CDP, summed per node name, so two
// censuses taken N operations apart say which kind of object a leak keeps (`BENCH_HEAP_CENSUS=1` in the soak).
import type { Page } from 'playwright-core'

/** objects per "type:name" (V8 heap snapshot node type and constructor or closure name): count and self bytes */
export type Census = Map<string, { count: number; bytes: number }>

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}

/** A full heap snapshot of the page (after a GC), counted per node type and name. */
export async function heapCensus(page: Page): Promise<Census> {
  const cdp = await page.context().newCDPSession(page)
  const chunks: string[] = []
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => void chunks.push(e.chunk))
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  } finally {
    await cdp.detach()
  }
  const snap = JSON.parse(chunks.join('')) as Snapshot
  const fields = snap.snapshot.meta.node_fields
  const [types] = snap.snapshot.meta.node_types
  const width = fields.length
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number]
  const census: Census = new Map()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!
    if (type === 'hidden' || type === 'number') continue
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '(string)' : snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 80)
    const key = `${type}:${name}`
    const c = census.get(key) ?? { count: 0, bytes: 0 }
    c.count++
    c.bytes += snap.nodes[i + sizeAt]!
    census.set(key, c)
  }
  return census
}

/** The kinds of object whose count grew most from `before` to `after`, per operation done in between. */
export function censusGrowth(before: Census, after: Census, ops: number, top = 25): string[] {
  const rows = [...after].map(([key, a]) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 }
    return { key, count: a.count - b.count, bytes: a.bytes - b.bytes }
  })
  return rows
    .filter((r) => r.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top)
    .map((r) => `${(r.bytes / ops / 1024).toFixed(2).padStart(7)} KiB/op ${(r.count / ops).toFixed(1).padStart(6)} objects/op  ${r.key}`)
}

/** what a call could leave behind if something kept it: counted by name, whatever their size */
export const WATCHED = ['RTCPeerConnection', 'MediaStream', 'MediaStreamTrack', 'RTCRtpTransceiver', 'HTMLVideoElement', 'HTMLAudioElement', 'AudioContext', 'GainNode', 'OscillatorNode', 'Notification', 'Promise', 'VueComponent', 'EffectScope', 'ReactiveEffect', 'ComputedRefImpl']

/** each watched kind's count before → after (summed over node types) */
export function watchedCounts(before: Census, after: Census): string {
  const count = (c: Census, name: string) => [...c].filter(([k]) => k.slice(k.indexOf(':') + 1) === name).reduce((a, [, v]) => a + v.count, 0)
  return WATCHED.map((n) => `${n} ${count(before, n)} → ${count(after, n)}`).join(', ')
}
