// Conference benchmarks (issue 4): escalation set-up time against a direct werift connection, and how
// many concurrent 3-party conferences one simulator process forwards before it drops packets.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { TestPeer } from '../simulator/conference/test-peer'
import { startSimulator } from '../simulator/index'
import type { Simulator } from '../simulator/index'
import { escalate, joinConference, p2pCall } from '../simulator/tests/flows'
import { signIn } from '../simulator/tests/helpers'
import type { Row } from './report'
import { median, percentile, round } from './stats'

const root = resolve(import.meta.dirname, '../..')

async function firstPacket(peer: TestPeer, from: string): Promise<void> {
  while (peer.count(from, 'audio') === 0) await new Promise((r) => setTimeout(r, 2))
}

/** Baseline: two werift peers, SDP handed over directly, until the first packet arrives. */
async function directSetup(): Promise<number> {
  const a = new TestPeer('a')
  const b = new TestPeer('b')
  const t0 = performance.now()
  const offer = await a.offer(0)
  await a.accept(await b.answer(offer))
  await a.connected()
  b.startSending()
  await firstPacket(a, 'b')
  const ms = performance.now() - t0
  await Promise.all([a.close(), b.close()])
  return ms
}

async function escalationSetup(sim: Simulator, i: number): Promise<{ total: number; answer: number }> {
  const alice = await signIn(sim, `a${i}@bench.test`)
  const bob = await signIn(sim, `b${i}@bench.test`)
  const p2p = await p2pCall(alice, bob)
  const t0 = performance.now()
  const { a, b, answerMs } = await escalate(alice, bob, p2p, { tags: ['alice', 'bob'] })
  b.startSending()
  await firstPacket(a, 'bob')
  const total = performance.now() - t0
  await Promise.all([p2p.a, p2p.b, a, b].map((p) => p.close()))
  return { total, answer: answerMs }
}

function users(n: number): Array<{ sip: string; name: string; password: string }> {
  return ['a', 'b', 'c'].flatMap((p) => Array.from({ length: n }, (_, i) => ({ sip: `${p}${i}@bench.test`, name: `${p.toUpperCase()} ${i}`, password: 'pw' })))
}

async function simulatorProcess(n: number): Promise<{ url: string; stop(): void; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'))
  const config = join(dir, 'sim.json')
  writeFileSync(config, JSON.stringify({ users: users(n), pools: ['pool1'] }))
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['test/simulator/cli.ts', '--config', config, '--port', '0'], { cwd: root })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  while (!/Discovery URL: (\S+)/.test(out)) await new Promise((r) => setTimeout(r, 50))
  return { url: /Discovery URL: (\S+)/.exec(out)![1]!, stop: () => child.kill('SIGTERM'), pid: child.pid! }
}

/** CPU seconds used so far by a process and its children (tsx runs the simulator in a child node). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    const own = (Number(fields[11]) + Number(fields[12])) / 100
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    return own + children.reduce((sum, c) => sum + cpuSeconds(Number(c)), 0)
  } catch {
    return 0
  }
}

/** N 3-party conferences at once, every member sending 50 audio + 50 video packets/s; packets lost end to end. */
async function lossAt(sim: Simulator, count: number, offset: number, pid: number): Promise<{ loss: number; cpu: number; peers: TestPeer[] }> {
  const peers: TestPeer[] = []
  const groups: TestPeer[][] = []
  for (let i = offset; i < offset + count; i++) {
    const [alice, bob, carol] = await Promise.all(['a', 'b', 'c'].map((p) => signIn(sim, `${p}${i}@bench.test`)))
    const p2p = await p2pCall(alice!, bob!)
    const carolMark = carol!.events.length
    const esc = await escalate(alice!, bob!, p2p, { invite: `c${i}@bench.test`, tags: [`a${i}`, `b${i}`] })
    const c = await joinConference(carol!, `c${i}`, carolMark)
    await Promise.all([p2p.a.close(), p2p.b.close()])
    groups.push([esc.a, esc.b, c])
    peers.push(esc.a, esc.b, c)
  }
  await new Promise((r) => setTimeout(r, 500))
  for (const p of peers) p.startSending()
  await new Promise((r) => setTimeout(r, 1000)) // warm-up: key frames, first RTCP
  const total = (p: TestPeer, from: string) => (p.received.get(from)?.audio ?? 0) + (p.received.get(from)?.video ?? 0)
  const before = new Map(peers.map((p) => [p, { sent: p.sent.audio + p.sent.video, got: new Map(peers.map((q) => [q.tag, total(p, q.tag)])) }]))
  const cpu0 = cpuSeconds(pid)
  await new Promise((r) => setTimeout(r, 4000))
  const cpu = (cpuSeconds(pid) - cpu0) / 4
  for (const p of peers) p.stopSending()
  await new Promise((r) => setTimeout(r, 500)) // packets still in flight
  let expected = 0
  let got = 0
  for (const group of groups) {
    for (const receiver of group) {
      for (const sender of group) {
        if (sender === receiver) continue
        expected += sender.sent.audio + sender.sent.video - before.get(sender)!.sent
        got += total(receiver, sender.tag) - before.get(receiver)!.got.get(sender.tag)!
      }
    }
  }
  return { loss: Math.max(0, 1 - got / expected), cpu, peers }
}

export async function conferenceBench(): Promise<Row[]> {
  const rows: Row[] = []
  const runs = 10
  const sim = await startSimulator({ users: users(runs), pools: ['pool1'] })
  const direct: number[] = []
  const escalations: number[] = []
  const answers: number[] = []
  for (let i = 0; i < runs; i++) {
    direct.push(await directSetup())
    const e = await escalationSetup(sim, i)
    escalations.push(e.total)
    answers.push(e.answer)
  }
  await sim.close()
  rows.push(
    { suite: 'conference', metric: `escalateAudioVideo POST → media through the unit, median of ${runs}`, value: round(median(escalations)), unit: 'ms', baseline: { label: 'werift↔werift direct, first packet', value: round(median(direct)) } },
    { suite: 'conference', metric: 'same, p95', value: round(percentile(escalations, 95)), unit: 'ms', baseline: { label: 'direct p95', value: round(percentile(direct, 95)) } },
    { suite: 'conference', metric: 'POST → conference answer on the event channel, median', value: round(median(answers)), unit: 'ms' },
  )

  // capacity: the simulator in its own process; the participants here
  const ladderSizes = [1, 4, 8, 16, 24, 32]
  const max = ladderSizes.reduce((a, b) => a + b, 0) // fresh users for every step
  const proc = await simulatorProcess(max)
  const remote = { url: proc.url, users: users(max), pools: [{ id: 'pool1', origin: new URL(proc.url).origin }] } as unknown as Simulator
  let capacity = 0
  let offset = 0
  const ladder: Array<{ conferences: number; loss: number; cpu: number }> = []
  for (const n of ladderSizes) {
    const { loss, cpu, peers } = await lossAt(remote, n, offset, proc.pid)
    offset += n
    ladder.push({ conferences: n, loss: round(loss * 100, 2), cpu: Math.round(cpu * 100) })
    await Promise.all(peers.map((p) => p.close()))
    if (loss > 0.01) break
    capacity = n
  }
  proc.stop()
  rows.push({
    suite: 'conference',
    metric: 'concurrent 3-party conferences forwarded with < 1 % loss (ladder 1,4,8,16,24,32)',
    value: capacity,
    unit: 'conferences',
    baseline: { label: `loss and simulator CPU by size: ${ladder.map((l) => `${l.conferences}→${l.loss}% loss, ${l.cpu}% CPU`).join('; ')}`, value: '' },
  })
  return rows
}
