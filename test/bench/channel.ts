// Event channel at scale: delivery latency from the simulator to the client's domain event with many
// applications, and how much memory one simulator process needs to hold parked P-GETs.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { startSimulator } from '../simulator/index'
import { token } from '../simulator/tests/helpers'
import type { Row } from './report'
import { percentile, round } from './stats'

const root = resolve(import.meta.dirname, '../..')

async function loopbackRoundTrips(n: number): Promise<number[]> {
  const server = createServer((_req, res) => res.end('{}'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const agent = new Agent({ keepAlive: true })
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await new Promise<void>((r) => request({ port, host: '127.0.0.1', agent }, (res) => res.resume().on('end', () => r())).end())
    times.push(performance.now() - t0)
  }
  agent.destroy()
  server.close()
  return times
}

async function latencyAt(apps: number): Promise<number[]> {
  const users = Array.from({ length: Math.ceil(apps / 100) }, (_, i) => ({ sip: `u${i}@bench.test`, name: `U${i}`, password: 'pw' }))
  const sim = await startSimulator({ users, pools: ['pool1'], config: { maxApplicationsPerUser: 100 } })
  const clients: UcwaClient[] = []
  const sent = new Map<string, number>()
  const latencies: number[] = []
  for (let i = 0; i < apps; i++) {
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
    c.on('events', (events) => {
      const now = performance.now()
      for (const e of events) {
        const at = sent.get(e.link.href)
        if (at !== undefined) latencies.push(now - at)
      }
    })
    await c.signIn({ sipAddress: users[Math.floor(i / 100)]!.sip, password: 'pw', remember: false, discoveryUrl: sim.url })
    clients.push(c)
  }
  await new Promise((r) => setTimeout(r, 7000)) // makeMeAvailable's medium events drain (5 s aggregation)
  const all = [...sim.control.world.apps.values()]
  // a fixed rate: 500 events/s spread over the applications, 4 s
  const total = 2000
  for (let n = 0; n < total; n++) {
    const app = all[n % all.length]!
    const href = `${app.href('/me/note')}?n=${n}`
    sent.set(href, performance.now())
    app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href } })
    if (n % 10 === 9) await new Promise((r) => setTimeout(r, 20))
  }
  await new Promise((r) => setTimeout(r, 1500))
  await Promise.all(clients.map((c) => c.shutdown()))
  await sim.close()
  return latencies
}

function rssOf(pid: number): number {
  const own = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  return own + children.reduce((s, c) => s + rssOf(Number(c)), 0)
}

/** RSS of one simulator process holding N parked P-GETs (the simulator in its own process). */
async function parked(counts: number[]): Promise<Array<{ n: number; rss: number }>> {
  const max = Math.max(...counts)
  const perUser = 1000
  const users = Array.from({ length: Math.ceil(max / perUser) }, (_, i) => ({ sip: `p${i}@bench.test`, name: `P${i}`, password: 'pw' }))
  const config = join(mkdtempSync(join(tmpdir(), 'parley-scale-')), 'sim.json')
  writeFileSync(config, JSON.stringify({ users, pools: ['pool1'], config: { maxApplicationsPerUser: perUser } }))
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['test/simulator/cli.ts', '--config', config, '--port', '0'], { cwd: root })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  while (!/Discovery URL: (\S+)/.test(out)) await new Promise((r) => setTimeout(r, 50))
  const origin = new URL(/Discovery URL: (\S+)/.exec(out)![1]!).origin
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity })
  const tokens = await Promise.all(users.map((u) => token(origin, u.sip, 'pw')))
  const results: Array<{ n: number; rss: number }> = [{ n: 0, rss: rssOf(child.pid!) }]
  const pending: Array<{ destroy(): void }> = []
  let open = 0
  for (const target of counts) {
    while (open < target) {
      const i = open++
      const tok = tokens[Math.floor(i / perUser)]!
      const app = await fetch(`${origin}/ucwa/oauth/v1/applications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ UserAgent: 'scale', EndpointId: `e${i}`, Culture: 'en-US' }),
      }).then((r) => r.json() as Promise<{ _links: { events: { href: string } } }>)
      const req = request(new URL(app._links.events.href + '&timeout=1800', origin), { agent, headers: { authorization: `Bearer ${tok}`, accept: 'application/json' } })
      req.on('error', () => {})
      req.end()
      pending.push(req)
    }
    await new Promise((r) => setTimeout(r, 1500))
    results.push({ n: target, rss: rssOf(child.pid!) })
  }
  for (const r of pending) r.destroy()
  agent.destroy()
  child.kill('SIGTERM')
  return results
}

export async function channelBench(): Promise<Row[]> {
  const baseline = await loopbackRoundTrips(500)
  const rows: Row[] = []
  for (const apps of [100, 1000]) {
    console.error(`[bench] channel: ${apps} applications`)
    const l = await latencyAt(apps)
    rows.push({
      suite: 'event channel',
      metric: `delivery latency, pool → client domain event, ${apps} applications (p50 / p99, ${l.length} events)`,
      value: `${round(percentile(l, 50))} / ${round(percentile(l, 99))}`,
      unit: 'ms',
      baseline: { label: 'a bare loopback HTTP round trip p50 / p99', value: `${round(percentile(baseline, 50), 2)} / ${round(percentile(baseline, 99), 2)}` },
      ...(apps === 1000 && { target: 'p99 ≤ 20 ms', met: percentile(l, 99) <= 20 }),
    })
  }
  const scale = await parked([1000, 5000, 12000])
  const mib = (b: number) => round(b / 1024 / 1024, 0)
  for (const s of scale.slice(1)) {
    rows.push({
      suite: 'simulator scale',
      metric: `RSS holding ${s.n} parked P-GETs`,
      value: mib(s.rss),
      unit: 'MiB',
      baseline: { label: 'the same process idle', value: mib(scale[0]!.rss) },
      ...(s.n === 12000 && { target: '< 1024 MiB', met: s.rss < 1024 * 1024 * 1024 }),
    })
  }
  return rows
}
