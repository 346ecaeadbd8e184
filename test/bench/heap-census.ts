// What a page's JS heap holds, counted by constructor: a heap snapshot through CDP, summed per node name, so two
// censuses taken N operations apart say which kind of object a leak keeps (`BENCH_HEAP_CENSUS=1` in the soak).
import { createWriteStream, readFileSync } from 'node:fs'
import { finished } from 'node:stream/promises'
import type { Page } from 'playwright-core'

/** objects per "type:name" (V8 heap snapshot node type and constructor or closure name): count and self bytes */
export type Census = Map<string, { count: number; bytes: number }>

export interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}

/** The page's heap (after a GC) as V8's heap snapshot JSON, taken through CDP's HeapProfiler, handed over in chunks. */
async function takePageSnapshot(page: Page, chunk: (text: string) => void): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunk(e.chunk))
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  } finally {
    await cdp.detach().catch(() => {}) // a crashed page has no session left to detach
  }
}

/** The page's heap snapshot JSON, parsed. */
async function heapSnapshot<T extends Snapshot>(page: Page): Promise<T> {
  const chunks: string[] = []
  await takePageSnapshot(page, (c) => void chunks.push(c))
  return JSON.parse(chunks.join('')) as T
}

/** The page's heap (after a GC) as V8's heap snapshot JSON in `file`, read after a run so no census is held during it; rejects when writing fails. */
export async function writePageSnapshot(page: Page, file: string): Promise<string> {
  const out = createWriteStream(file)
  try {
    await takePageSnapshot(page, (c) => void out.write(c))
  } finally {
    out.end()
    await finished(out)
  }
  return file
}

/** A heap snapshot file (writePageSnapshot, node:v8 writeHeapSnapshot) read whole. */
export const readSnapshot = (file: string): FullSnapshot => JSON.parse(readFileSync(file, 'utf8')) as FullSnapshot

/** A full heap snapshot of the page (after a GC), counted per node type and name. */
export async function heapCensus(page: Page): Promise<Census> {
  return countSnapshot(await heapSnapshot<Snapshot>(page))
}

/** A heap snapshot (V8's JSON, from a page or node:v8 writeHeapSnapshot) counted per node type and name. */
export function countSnapshot(snap: Snapshot): Census {
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

/** what a call could leave behind if something kept it: counted by constructor name, whatever their size */
export const WATCHED = ['RTCPeerConnection', 'RTCRtpTransceiver', 'MediaStream', 'MediaStreamTrack', 'HTMLVideoElement', 'HTMLAudioElement', 'AudioContext', 'OscillatorNode', 'GainNode', 'Notification'] as const

/** how many objects of each watched kind the census holds (summed over node types) */
export function censusCounts(census: Census): Record<(typeof WATCHED)[number], number> {
  const count = (name: string) => [...census].filter(([k]) => k.slice(k.indexOf(':') + 1) === name).reduce((a, [, v]) => a + v.count, 0)
  return Object.fromEntries(WATCHED.map((n) => [n, count(n)])) as Record<(typeof WATCHED)[number], number>
}

/** each watched kind's count before → after */
export function watchedCounts(before: Census, after: Census): string {
  const [b, a] = [censusCounts(before), censusCounts(after)]
  return WATCHED.map((n) => `${n} ${b[n]} → ${a[n]}`).join(', ')
}

/** bytes of the census's JavaScript objects, without compiled code (V8 still optimizing) and Blink's native objects */
export function objectBytes(census: Census): number {
  let bytes = 0
  for (const [key, c] of census) if (!key.startsWith('code:') && !key.startsWith('native:') && !key.startsWith('synthetic:')) bytes += c.bytes
  return bytes
}

export interface FullSnapshot extends Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } }
  edges: number[]
}

/** Debugging aid: for each live object named `name`, the chain of what keeps it (first strong retainer, `depth` steps up). */
export async function retainerChains(page: Page, name: string, depth = 10): Promise<string[]> {
  const snap = await heapSnapshot<FullSnapshot>(page)
  const nf = snap.snapshot.meta.node_fields
  const ef = snap.snapshot.meta.edge_fields
  const [nodeTypes] = snap.snapshot.meta.node_types
  const [edgeTypes] = snap.snapshot.meta.edge_types
  const nw = nf.length
  const ew = ef.length
  const [nName, nEdges, nType] = ['name', 'edge_count', 'type'].map((f) => nf.indexOf(f)) as [number, number, number]
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [number, number, number]
  const retainedBy = new Map<number, Array<[number, string]>>()
  for (let n = 0, e = 0; n < snap.nodes.length; n += nw) {
    for (let k = 0; k < snap.nodes[n + nEdges]!; k++, e += ew) {
      const type = edgeTypes[snap.edges[e + eType]!]!
      if (type === 'weak' || type === 'shortcut') continue
      const label = type === 'element' || type === 'hidden' ? `[${snap.edges[e + eName]}]` : snap.strings[snap.edges[e + eName]!]!
      const to = snap.edges[e + eTo]!
      const list = retainedBy.get(to) ?? []
      list.push([n, `${type}:${label}`])
      retainedBy.set(to, list)
    }
  }
  const label = (n: number) => `${nodeTypes[snap.nodes[n + nType]!]}:${snap.strings[snap.nodes[n + nName]!]!.slice(0, 60)}`
  const chains: string[] = []
  for (let n = 0; n < snap.nodes.length; n += nw) {
    if (snap.strings[snap.nodes[n + nName]!] !== name) continue
    const chain = [label(n)]
    const seen = new Set([n])
    let at = n
    for (let d = 0; d < depth; d++) {
      const up = (retainedBy.get(at) ?? []).find(([from]) => !seen.has(from))
      if (!up) break
      chain.push(`<-${up[1]}- ${label(up[0])}`)
      seen.add(up[0])
      at = up[0]
    }
    chains.push(chain.join(' '))
  }
  return chains
}
