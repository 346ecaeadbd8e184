// `npm run simulator`: a UCWA pool on loopback for the app, the demo and any UCWA client.
// Config (optional): simulator.config.json beside package.json, or the file named by --config:
//   { "port": 4080, "users": [{ "sip": "erin@contoso.test", "name": "Erin", "password": "…", "pool": "pool1" }],
//     "config": { "ringTimeoutMs": 30000 } }
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startSimulator, type SimulatorOptions } from './index'

const { values } = parseArgs({ options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } })
const file = resolve(values.config ?? 'simulator.config.json')
const fromFile: SimulatorOptions = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
if (values.config && !existsSync(file)) throw new Error(`No config file at ${file}`)

const sim = await startSimulator({
  ...fromFile,
  port: Number(values.port ?? process.env.PARLEY_SIM_PORT ?? fromFile.port ?? 4080),
  host: values.host ?? fromFile.host ?? '127.0.0.1',
})

console.log(`UCWA pool simulator running.`)
console.log(`  Discovery URL: ${sim.url}`)
for (const p of sim.pools) console.log(`  ${p.id}: ${p.origin}`)
console.log('  Users (SIP address / password / pool):')
for (const u of sim.users) console.log(`    ${u.sip.padEnd(24)} ${u.password.padEnd(14)} ${u.pool ?? sim.pools[0]!.id}`)
console.log('Point a client at the discovery URL (Parley: Advanced → Discovery URL). Ctrl+C stops.')

const stop = async (): Promise<void> => {
  await sim.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
