// The soak's two-party calls (soak.ts callSoak) without Chromium, with a census of what the process's heap gained (issue #24):
// `node --import tsx test/bench/call-heap.ts [N=40] [--records] [--retainers=Name]`. Two cores with werift renderer stand-ins call each other N
// times against the simulator (webrtc dialect); the simulator keeps no request records unless --records.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import type { Core } from '../../main/core/core'
import type { CallSnapshot } from '../../preload/contract'
import { startSimulator } from '../simulator/index'
import { testCore } from '../support/core'
import { coreRenderer, type CoreRenderer } from '../integration/media-bridge/core-renderer'
import { collect } from './growth'
import { censusGrowth, countSnapshot, objectBytes, readSnapshot, type Census } from './heap-census'
import { distinctRootPaths } from './heap-owners'

const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 40)
const dir = mkdtempSync(join(tmpdir(), 'parley-call-heap-'))
// both snapshots written first and read after the run: a census held in between would be in the second one
const census = (file: string): Census => countSnapshot(readSnapshot(file))
const heapAfterGc = () => (collect(), process.memoryUsage().heapUsed)

const sim = await startSimulator({ port: 0, records: process.argv.includes('--records') })
const fast = { channel: { backoff: { baseMs: 5, capMs: 50 } } }
const [alice, bob] = await Promise.all([testCore({ ucwa: fast }), testCore({ ucwa: fast })])
const renderers = new Map<Core, CoreRenderer>([alice, bob].map((c) => [c, coreRenderer(c, { video: false })]))
for (const [core, sip] of [
  [alice, 'alice@contoso.test'],
  [bob, 'bob@contoso.test'],
] as const) {
  const r = await core.dispatch('session.signIn', { sipAddress: sip, password: `${sip.split('@')[0]}-pass`, remember: false, discoveryUrl: sim.url })
  if (!r.ok) throw new Error(`${sip} could not sign in`)
}

const calls = async (core: Core) => {
  const r = await core.dispatch('calls.list', undefined)
  if (!r.ok) throw new Error('calls.list failed')
  return (r.value as CallSnapshot[]).filter((c) => c.state !== 'ended')
}
async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (await check()) return
  throw new Error(`timed out: ${what}`)
}
async function oneCall(i: number) {
  const started = await alice.dispatch('calls.start', { to: 'bob@contoso.test' })
  if (!started.ok) throw new Error(`call ${i}: calls.start failed`)
  const callId = (started.value as CallSnapshot).id
  let bobCall: CallSnapshot | undefined
  await until(`call ${i} rings`, async () => Boolean((bobCall = (await calls(bob)).find((c) => c.state === 'ringing'))))
  if (!(await bob.dispatch('calls.accept', { callId: bobCall!.id })).ok) throw new Error(`call ${i}: accept failed`)
  await until(`call ${i} connects`, async () => (await calls(alice)).some((c) => c.id === callId && c.state === 'connected'))
  if (!(await alice.dispatch('calls.hangUp', { callId })).ok) throw new Error(`call ${i}: hang-up failed`)
  await until(`call ${i} ends`, async () => (await calls(alice)).length === 0 && (await calls(bob)).length === 0)
  // the stand-in's own log of SDPs is the bench's, not the product's
  for (const r of renderers.values()) for (const list of [r.seen, r.made, r.rolledBack]) list.splice(0)
}

const heaps: Array<[number, number]> = []
const snapshots: string[] = []
const t0 = Date.now()
for (let i = 1; i <= n; i++) {
  await oneCall(i)
  if (i === n / 2 || i === n) {
    // a stand-in's werift peer closed mid-handshake is kept by its DTLS flight's retransmissions, 33 s at most (werift flight.ts)
    await new Promise((r) => setTimeout(r, 35_000))
    heaps.push([i, heapAfterGc()])
    snapshots.push(writeHeapSnapshot(join(dir, `${i}.heapsnapshot`)))
  }
}
const seconds = (Date.now() - t0) / 1000 - 70
const [first, last] = [heaps[0]!, heaps.at(-1)!]
const [before, after] = snapshots.map(census) as [Census, Census]
const mib = (b: number) => (b / 2 ** 20).toFixed(2)
console.log(`${n} calls in ${seconds.toFixed(1)} s (70 s of settling not counted); heap after GC ${heaps.map(([i, h]) => `${mib(h)} MiB at ${i}`).join(', ')}`)
console.log(`heap growth ${((last[1] - first[1]) / (last[0] - first[0]) / 1024).toFixed(2)} KiB/call (${first[0]}→${last[0]}), compiled code included`)
console.log(`JS objects without compiled code: ${((objectBytes(after) - objectBytes(before)) / (n / 2) / 1024).toFixed(2)} KiB/call (${n / 2}→${n}); by kind:`)
console.log(censusGrowth(before, after, n / 2, 25).join('\n'))
// --retainers=Name: what keeps the objects of that constructor in the last snapshot: their distinct paths from the root
const retained = process.argv.find((a) => a.startsWith('--retainers='))?.slice('--retainers='.length)
if (retained) {
  const paths = distinctRootPaths(readSnapshot(snapshots.at(-1)!), retained)
  console.log(`${retained}, distinct paths from the root:\n${paths.join('\n')}`)
}
await Promise.all([...renderers.values()].map((r) => r.close()))
await Promise.all([alice.close(), bob.close()])
await sim.close()
if (process.argv.includes('--keep')) console.log(`snapshots kept: ${snapshots.join(' ')}`)
else rmSync(dir, { recursive: true, force: true })
