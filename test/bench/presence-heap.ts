// The soak's presence part (soak.ts coreSoak) alone, with a census of what the process's heap gained (issue #24):
// `node --import tsx test/bench/presence-heap.ts [N=600] [--records]`. The simulator keeps no request records unless --records.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import type { Core } from '../../main/core/core'
import { startSimulator } from '../simulator/index'
import { signedInCores } from './signed-in-cores'
import { collect } from './growth'
import { censusGrowth, countSnapshot, objectBytes, readSnapshot, type Census } from './heap-census'

const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 600)
const dir = mkdtempSync(join(tmpdir(), 'parley-presence-heap-'))
// both snapshots written first and read after the run: a census held in between would be in the second one
const census = (file: string): Census => countSnapshot(readSnapshot(file))
const heapAfterGc = () => (collect(), process.memoryUsage().heapUsed)

const sim = await startSimulator({ records: process.argv.includes('--records') })
const [alice, bob] = (await signedInCores(sim, ['alice', 'bob'])) as [Core, Core]
await alice.dispatch('people.contacts', undefined) // Alice's core watches Bob's presence
const choices = ['Busy', 'Online', 'DoNotDisturb', 'Away'] as const
const heaps: Array<[number, number]> = []
const snapshots: string[] = []
const t0 = Date.now()
for (let i = 1; i <= n; i++) {
  const r = await bob.dispatch('presence.set', { availability: choices[i % choices.length]! })
  if (!r.ok) throw new Error(`presence change ${i} failed`)
  if (i === 100 || i === n / 2 || i === n) heaps.push([i, heapAfterGc()])
  if (i === n / 2 || i === n) snapshots.push(writeHeapSnapshot(join(dir, `${i}.heapsnapshot`)))
}
const seconds = (Date.now() - t0) / 1000
const [first, last] = [heaps[0]!, heaps.at(-1)!]
const [before, after] = snapshots.map(census) as [Census, Census]
const mib = (b: number) => (b / 2 ** 20).toFixed(2)
console.log(`${n} presence changes in ${seconds.toFixed(1)} s; heap after GC ${heaps.map(([i, h]) => `${mib(h)} MiB at ${i}`).join(', ')}`)
console.log(`heap growth ${((last[1] - first[1]) / (last[0] - first[0]) / 1024).toFixed(2)} KiB/op (${first[0]}→${last[0]}), compiled code included`)
console.log(`JS objects without compiled code: ${((objectBytes(after) - objectBytes(before)) / (n / 2) / 1024).toFixed(2)} KiB/op (${n / 2}→${n}); by kind:`)
console.log(censusGrowth(before, after, n / 2, 12).join('\n'))
await Promise.all([alice.close(), bob.close()])
await sim.close()
rmSync(dir, { recursive: true, force: true })
