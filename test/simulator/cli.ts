// `npm run simulator`: a UCWA pool on loopback for the app, the demo and any UCWA client.
// Config (optional): simulator.config.json beside package.json, or the file named by --config:
//   { "port": 4080, "users": [{ "sip": "frank@contoso.test", "name": "Frank", "password": "…", "pool": "pool1" }],
//     "replaceDefaultUsers": false, "config": { "ringTimeoutMs": 30000 }, "media": "sfb2015" }
// The pool's own endpoints speak the SfB 2015 media dialect, as a real pool's do ("media", or --media webrtc for the
// renderer's own dialect: index.ts, SimulatorOptions.media).
// Its users are added to the demo users (one with a demo user's address takes that user's place); with
// "replaceDefaultUsers": true (or --replace-users) they are the only users.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startSimulator, type SimulatorOptions } from './index'
import { defaultUsers } from './pool/directory'

const { values } = parseArgs({ options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, media: { type: 'string' }, 'replace-users': { type: 'boolean' } } })
const file = resolve(values.config ?? 'simulator.config.json')
if (values.config && !existsSync(file)) throw new Error(`No config file at ${file}`)
const { replaceDefaultUsers, ...fromFile }: SimulatorOptions & { replaceDefaultUsers?: boolean } = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}

const sipOf = (sip: string): string => sip.replace(/^sip:/i, '').toLowerCase()
const extra = fromFile.users ?? []
const users =
  replaceDefaultUsers || values['replace-users'] ? extra : [...defaultUsers().filter((d) => !extra.some((u) => sipOf(u.sip) === sipOf(d.sip))), ...extra]
const port = Number(values.port ?? process.env.PARLEY_SIM_PORT ?? fromFile.port ?? 4080)
const host = values.host ?? fromFile.host ?? '127.0.0.1'
const media = values.media ?? fromFile.media ?? 'sfb2015'
if (media !== 'sfb2015' && media !== 'webrtc') {
  console.error(`--media ${media}: the pool speaks sfb2015 (the default) or webrtc.`)
  process.exit(1)
}

let sim: Awaited<ReturnType<typeof startSimulator>>
try {
  sim = await startSimulator({ ...fromFile, users, port, host, media })
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
  console.error(`Port ${port} on ${host} is already in use (another simulator?). Start it on another port with --port N (or PARLEY_SIM_PORT=N, or "port" in the config file); --port 0 picks a free one.`)
  process.exit(1)
}

console.log(`UCWA pool simulator running (media dialect: ${media}).`)
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
