// Footprint: the renderer bundle (gzip) and the main-process core's memory idle and in a call.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createCore } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { startSimulator } from '../simulator/index'
import { weriftRenderer } from '../support/werift-renderer'
import type { Row } from './report'
import { round } from './stats'

const mb = (n: number) => round(n / 1024 / 1024, 1)

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]))
}

export async function footprintBench(): Promise<Row[]> {
  const out = resolve(import.meta.dirname, '../../out/renderer')
  const assets = files(out).filter((f) => /\.(js|css|html)$/.test(f))
  const raw = assets.reduce((s, f) => s + statSync(f).size, 0)
  const gz = assets.reduce((s, f) => s + gzipSync(readFileSync(f)).length, 0)
  const vueOnly = gzipSync(readFileSync(resolve(import.meta.dirname, '../../node_modules/vue/dist/vue.runtime.global.prod.js'))).length

  global.gc?.()
  const before = process.memoryUsage().rss
  const sim = await startSimulator({ pools: ['pool1'] })
  const afterSim = process.memoryUsage().rss
  const core = (sip: string) => createCore({ host: 'browser', version: 'bench', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000 }).then(async (c) => {
    await c.dispatch('session.signIn', { sipAddress: sip, password: `${sip.split('@')[0]}-pass`, remember: false, discoveryUrl: sim.url })
    return c
  })
  const a = await core('alice@contoso.test')
  await new Promise((r) => setTimeout(r, 500))
  const idle = process.memoryUsage().rss - afterSim
  const b = await core('bob@contoso.test')
  const [ma, mb_] = [weriftRenderer(a, 'a'), weriftRenderer(b, 'b')]
  await a.dispatch('calls.start', { to: 'bob@contoso.test' })
  await new Promise((r) => setTimeout(r, 300))
  const ringing = b.calls.list().find((c) => c.state === 'ringing')
  if (ringing) await b.dispatch('calls.accept', { callId: ringing.id })
  await new Promise((r) => setTimeout(r, 1500))
  const inCall = process.memoryUsage().rss - afterSim
  await Promise.all([a.close(), b.close(), ma.closeAll(), mb_.closeAll()])
  await sim.close()
  return [
    { suite: 'footprint', metric: `renderer bundle, gzip (${assets.length} files, ${Math.round(raw / 1024)} kB raw)`, value: Math.round(gz / 1024), unit: 'kB', baseline: { label: "Vue's runtime alone (prod build), gzip", value: Math.round(vueOnly / 1024) } },
    { suite: 'footprint', metric: 'main-process core, signed in and idle (RSS over the simulator)', value: mb(idle), unit: 'MiB', baseline: { label: 'process before (Node, modules loaded)', value: mb(before) } },
    { suite: 'footprint', metric: 'two cores in a call with werift media (RSS over the simulator)', value: mb(inCall), unit: 'MiB' },
  ]
}
