// Who keeps what in a V8 heap snapshot: paths from the root, growth between two snapshots of one process by owner,
// and what a set of classes owns together. The soak's tools for telling the app's memory from its neighbours'.
import type { FullSnapshot } from './heap-census'

/** Debugging aid: for each live object named `name`, its shortest chain of strong references from the snapshot's root (what keeps it alive). */
export function rootPaths(snap: FullSnapshot, name: string): string[] {
  const nf = snap.snapshot.meta.node_fields
  const [nodeTypes] = snap.snapshot.meta.node_types
  const nw = nf.length
  const [nName, nType] = ['name', 'type'].map((f) => nf.indexOf(f)) as [number, number]
  const parent = shortestParents(snap)
  const label = (n: number) => `${nodeTypes[snap.nodes[n + nType]!]}:${snap.strings[snap.nodes[n + nName]!]!.slice(0, 60)}`
  const paths: string[] = []
  for (let n = 0; n < snap.nodes.length; n += nw) {
    if (snap.strings[snap.nodes[n + nName]!] !== name) continue
    const chain = [label(n)]
    for (let at = n; parent.get(at)?.[0] !== undefined && parent.get(at)![0] >= 0; at = parent.get(at)![0]) chain.push(`<-${parent.get(at)![1]}- ${label(parent.get(at)![0])}`)
    if (!parent.has(n)) chain.push('(unreachable)')
    paths.push(chain.join(' '))
  }
  return paths
}

/** per node (its offset / node width): where its edges start in `snap.edges` */
function edgeStarts(snap: FullSnapshot): Int32Array {
  const nw = snap.snapshot.meta.node_fields.length
  const ew = snap.snapshot.meta.edge_fields.length
  const nEdges = snap.snapshot.meta.node_fields.indexOf('edge_count')
  const starts = new Int32Array(snap.nodes.length / nw + 1)
  for (let n = 0, e = 0; n < snap.nodes.length; n += nw) {
    starts[n / nw] = e
    e += snap.nodes[n + nEdges]! * ew
  }
  return starts
}

/** per object of `snap`: its shortest strong path's parent and the edge's name (the root's parent is -1) */
function shortestParents(snap: FullSnapshot): Map<number, [number, string]> {
  const nf = snap.snapshot.meta.node_fields
  const ef = snap.snapshot.meta.edge_fields
  const [edgeTypes] = snap.snapshot.meta.edge_types
  const [nw, ew] = [nf.length, ef.length]
  const nEdges = nf.indexOf('edge_count')
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [number, number, number]
  const firstEdge = edgeStarts(snap)
  const parent = new Map<number, [number, string]>([[0, [-1, '']]])
  const queue = [0]
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!
    for (let k = 0, e = firstEdge[n / nw]!; k < snap.nodes[n + nEdges]!; k++, e += ew) {
      const type = edgeTypes[snap.edges[e + eType]!]!
      const to = snap.edges[e + eTo]!
      if (type === 'weak' || type === 'shortcut' || parent.has(to)) continue
      parent.set(to, [n, type === 'element' || type === 'hidden' ? '[]' : snap.strings[snap.edges[e + eName]!]!.slice(0, 40)])
      queue.push(to)
    }
  }
  return parent
}

/**
 * Debugging aid: what grew from `before` to `after`, by owner. Both must be snapshots of one process by node:v8 (V8 keeps
 * an object's snapshot id for its life there; a CDP session's ids end with the session). The objects only `after` has
 * count up and those only `before` had count down, each for its owner: the first object on its shortest strong path from
 * the root that lives in both, named by its last `depth` steps in `after`. A bounded collection's turnover cancels out;
 * what is left is what its owner keeps more of. Rows: KiB and objects per `ops` operations done in between, most first.
 */
export function growthByOwner(before: FullSnapshot, after: FullSnapshot, ops: number, depth = 4, top = 20): string[] {
  const fields = (s: FullSnapshot) => {
    const f = s.snapshot.meta.node_fields
    return { w: f.length, id: f.indexOf('id'), size: f.indexOf('self_size'), name: f.indexOf('name'), type: f.indexOf('type') }
  }
  const idsOf = (s: FullSnapshot) => {
    const { w, id } = fields(s)
    const ids = new Map<number, number>() // snapshot id → node offset
    for (let n = 0; n < s.nodes.length; n += w) ids.set(s.nodes[n + id]!, n)
    return ids
  }
  const [inBefore, inAfter] = [idsOf(before), idsOf(after)]
  const net = new Map<number, { bytes: number; count: number }>() // owner's id → what it gained
  const tally = (snap: FullSnapshot, survivors: Map<number, number>, sign: 1 | -1) => {
    const { w, id, size } = fields(snap)
    const parent = shortestParents(snap)
    const ownerOf = new Map<number, number>() // node offset → its owner's id (a growing chain is climbed once)
    for (let n = 0; n < snap.nodes.length; n += w) {
      if (survivors.has(snap.nodes[n + id]!) || !parent.has(n)) continue
      const path: number[] = []
      let at = n
      while (!survivors.has(snap.nodes[at + id]!) && !ownerOf.has(at) && parent.get(at)![0] >= 0) {
        path.push(at)
        at = parent.get(at)![0]
      }
      const owner = ownerOf.get(at) ?? snap.nodes[at + id]!
      for (const p of path) ownerOf.set(p, owner)
      const o = net.get(owner) ?? { bytes: 0, count: 0 }
      o.bytes += sign * snap.nodes[n + size]!
      o.count += sign
      net.set(owner, o)
    }
  }
  tally(after, inBefore, 1)
  tally(before, inAfter, -1)
  const { type, name } = fields(after)
  const [nodeTypes] = after.snapshot.meta.node_types
  const label = (n: number) => `${nodeTypes[after.nodes[n + type]!]}:${after.strings[after.nodes[n + name]!]!.slice(0, 40)}`
  const parent = shortestParents(after)
  const path = (owner: number) => {
    const steps: string[] = []
    let at = inAfter.get(owner)
    for (let d = 0; d < depth && at !== undefined && (parent.get(at)?.[0] ?? -1) >= 0; d++, at = parent.get(at)![0]) steps.push(label(at), `.${parent.get(at)![1]}`)
    return steps.reverse().join(' ') || `(root or unreachable) @${owner}`
  }
  return [...net]
    .filter(([, o]) => o.bytes > 0)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, top)
    .map(([owner, o]) => `${(o.bytes / ops / 1024).toFixed(2).padStart(8)} KiB/op ${(o.count / ops).toFixed(1).padStart(7)} objects/op under  ${path(owner)}`)
}

/** Debugging aid: rootPaths of the objects named `name`, each distinct path once with how many objects take it, most first. */
export function distinctRootPaths(snap: FullSnapshot, name: string): string[] {
  const distinct = new Map<string, number>()
  for (const p of rootPaths(snap, name)) distinct.set(p, (distinct.get(p) ?? 0) + 1)
  return [...distinct].sort((a, b) => b[1] - a[1]).map(([p, k]) => `${k}× ${p}`)
}

/**
 * The JS objects (no compiled code) that instances of `classes` own together: reachable from one of them, and not from
 * the root without passing one (their joint retained set, over strong edges). Node offsets into `snap.nodes`.
 */
export function ownedNodes(snap: FullSnapshot, classes: ReadonlySet<string>): number[] {
  const nf = snap.snapshot.meta.node_fields
  const ef = snap.snapshot.meta.edge_fields
  const [nodeTypes] = snap.snapshot.meta.node_types
  const [edgeTypes] = snap.snapshot.meta.edge_types
  const [nw, ew] = [nf.length, ef.length]
  const [nName, nEdges, nType] = ['name', 'edge_count', 'type'].map((f) => nf.indexOf(f)) as [number, number, number]
  const [eType, eTo] = ['type', 'to_node'].map((f) => ef.indexOf(f)) as [number, number]
  const firstEdge = edgeStarts(snap)
  const isOwner = (n: number) => nodeTypes[snap.nodes[n + nType]!] === 'object' && classes.has(snap.strings[snap.nodes[n + nName]!]!)
  const walk = (from: number[], seen: Uint8Array, enter: (n: number) => boolean) => {
    const queue = from.filter((n) => !seen[n / nw] && (seen[n / nw] = 1))
    for (let q = 0; q < queue.length; q++) {
      const n = queue[q]!
      for (let k = 0, e = firstEdge[n / nw]!; k < snap.nodes[n + nEdges]!; k++, e += ew) {
        const to = snap.edges[e + eTo]!
        const type = edgeTypes[snap.edges[e + eType]!]!
        if (type === 'weak' || type === 'shortcut' || seen[to / nw] || !enter(to)) continue
        seen[to / nw] = 1
        queue.push(to)
      }
    }
    return queue
  }
  const seen = new Uint8Array(snap.nodes.length / nw)
  walk([0], seen, (n) => !isOwner(n))
  const owners: number[] = []
  for (let n = 0; n < snap.nodes.length; n += nw) if (isOwner(n)) owners.push(n)
  return walk(owners, seen, () => true).filter((n) => !['code', 'native', 'synthetic', 'hidden'].includes(nodeTypes[snap.nodes[n + nType]!]!))
}

/** Self bytes of ownedNodes(snap, classes). */
export function ownedBytes(snap: FullSnapshot, classes: ReadonlySet<string>): number {
  const nf = snap.snapshot.meta.node_fields
  const size = nf.indexOf('self_size')
  return ownedNodes(snap, classes).reduce((a, n) => a + snap.nodes[n + size]!, 0)
}
