// The soak's attribution of growth (test/bench/heap-owners.ts growthByOwner, ownedBytes): a bounded collection's turnover is not
// growth; what its owner keeps more of is, under that owner's name. A wrong answer here sends a leak hunt elsewhere.
import { describe, expect, it } from 'vitest'
import type { FullSnapshot } from '../bench/heap-census'
import { growthByOwner, ownedBytes } from '../bench/heap-owners'
import { parleyClasses } from '../bench/soak-census'

type Node = { name: string; id: number; size: number; edges: Array<[string, number]> }

/** a V8 heap snapshot (node:v8 writeHeapSnapshot's JSON) of these nodes; the first is the root, edges name the node's index */
function snapshot(nodes: Node[]): FullSnapshot {
  const strings: string[] = []
  const str = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1)
  const fields = ['type', 'name', 'id', 'self_size', 'edge_count']
  return {
    snapshot: { meta: { node_fields: fields, node_types: [['object']], edge_fields: ['type', 'name_or_index', 'to_node'], edge_types: [['property', 'weak']] } },
    nodes: nodes.flatMap((n) => [0, str(n.name), n.id, n.size, n.edges.length]),
    edges: nodes.flatMap((n) => n.edges.flatMap(([name, to]) => [0, str(name), to * fields.length])),
    strings,
  }
}

describe('growthByOwner', () => {
  const root = (edges: Array<[string, number]>): Node => ({ name: '(root)', id: 1, size: 0, edges })
  const entry = (id: number, size = 100): Node => ({ name: 'Entry', id, size, edges: [] })

  it('counts what a list keeps more of under the list, and a bounded map’s turnover as nothing', () => {
    const before = snapshot([root([['kept', 1], ['log', 2]]), { name: 'Map', id: 2, size: 50, edges: [['a', 3], ['b', 4]] }, { name: 'Array', id: 3, size: 50, edges: [['0', 5]] }, entry(10), entry(11), entry(20)])
    const after = snapshot([
      root([['kept', 1], ['log', 2]]),
      { name: 'Map', id: 2, size: 50, edges: [['b', 3], ['c', 4]] },
      { name: 'Array', id: 3, size: 50, edges: [['0', 5], ['1', 6], ['2', 7]] },
      entry(11),
      entry(12),
      entry(20),
      entry(21),
      entry(22),
    ])
    const rows = growthByOwner(before, after, 2)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/^ +0\.10 KiB\/op +1\.0 objects\/op under .*\.log object:Array$/)
  })

  it('counts an entry that lives in both snapshots as nothing, wherever it moved', () => {
    const before = snapshot([root([['kept', 1]]), { name: 'Map', id: 2, size: 50, edges: [['a', 2], ['b', 3]] }, entry(10), entry(11)])
    const after = snapshot([root([['kept', 1]]), { name: 'Map', id: 2, size: 50, edges: [['c', 2], ['d', 3]] }, entry(11), entry(10)])
    expect(growthByOwner(before, after, 1)).toEqual([])
  })

  it('names the owner that lives in both snapshots when the new objects hang from new objects', () => {
    const before = snapshot([root([['registry', 1]]), { name: 'Registry', id: 2, size: 50, edges: [] }])
    const after = snapshot([root([['registry', 1]]), { name: 'Registry', id: 2, size: 50, edges: [['call', 2]] }, { name: 'Call', id: 30, size: 200, edges: [['sdp', 3]] }, entry(31, 824)])
    expect(growthByOwner(before, after, 1)).toEqual([expect.stringMatching(/^ +1\.00 KiB\/op +2\.0 objects\/op under .*\.registry object:Registry$/)])
  })
})

describe('ownedBytes', () => {
  it('counts what only the named classes reach, not what the rest of the process also holds', () => {
    const snap = snapshot([
      { name: '(root)', id: 1, size: 0, edges: [['core', 1], ['pool', 4]] },
      { name: 'CallEngine', id: 2, size: 40, edges: [['history', 2], ['shared', 3]] },
      { name: 'Array', id: 3, size: 300, edges: [] }, // only the engine's
      { name: 'Agent', id: 4, size: 5000, edges: [] }, // the engine's and the pool's
      { name: 'Pool', id: 5, size: 70, edges: [['agent', 3]] },
    ])
    expect(ownedBytes(snap, new Set(['CallEngine']))).toBe(340)
    expect(ownedBytes(snap, new Set(['Pool']))).toBe(70)
    expect(ownedBytes(snap, new Set(['Nothing']))).toBe(0)
  })
})

describe('parleyClasses', () => {
  it('names the main process’s classes, not those the simulator or Playwright in the same process also declare', () => {
    const classes = parleyClasses()
    for (const c of ['CallEngine', 'UcwaClient', 'BridgingAgent', 'CallHistoryStore', 'SessionTimers']) expect(classes).toContain(c)
    expect(classes).not.toContain('Messaging') // the simulator's too
    expect(classes).not.toContain('Route') // Playwright's too (main/media-bridge/relay.ts declares one)
  })
})
