// `npm run chaos [-- --calls 200 --seed 7 --browser-every 10]`: the chaos run, its table, bench-results/chaos.json.
import { parseArgs } from 'node:util'
import { printTable, writeResults, type Row } from '../bench/report'
import { runChaos, type ChaosReport } from './chaos'

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' }, seed: { type: 'string', default: '7' }, 'browser-every': { type: 'string', default: '10' }, quiet: { type: 'boolean', default: false } } })
const report = await runChaos({
  calls: Number(values.calls),
  seed: Number(values.seed),
  browserEvery: Number(values['browser-every']),
  log: values.quiet ? undefined : (line) => console.error(`[chaos] ${line}`),
})
printTable(rows(report))
console.error(`[chaos] ${writeResults('chaos', rows(report), { report })}`)
process.exit(report.eventsLost === 0 && report.eventsDuplicated === 0 && report.unclear.length === 0 ? 0 : 1)

function rows(r: ChaosReport): Row[] {
  const errors = Object.entries(r.endedWithError).sort((a, b) => b[1] - a[1])
  return [
    { suite: 'chaos', metric: `calls (seed ${r.seed}; faults: ${Object.entries(r.faults).map(([k, n]) => `${k} ${n}`).join(', ')})`, value: r.calls, unit: '' },
    { suite: 'chaos', metric: 'calls completed (connected, media up, hung up by the caller)', value: r.completed, unit: '' },
    ...errors.map(([cause, n]): Row => ({ suite: 'chaos', metric: `calls ended with a clear error: ${cause}`, value: n, unit: '' })),
    { suite: 'chaos', metric: 'calls with an unclear outcome (stuck, untyped error, no media)', value: r.unclear.length, unit: '', target: '0', met: r.unclear.length === 0 },
    { suite: 'chaos', metric: 'sessions signed in again (after PGetReplaced or a refused token)', value: r.signInsAgain, unit: '' },
    { suite: 'chaos', metric: 'events delivered to the domain layer', value: r.eventsDelivered, unit: '', baseline: { label: 'sent by the simulator', value: r.eventsSent } },
    { suite: 'chaos', metric: 'events lost', value: r.eventsLost, unit: '', target: '0', met: r.eventsLost === 0 },
    { suite: 'chaos', metric: 'events delivered twice', value: r.eventsDuplicated, unit: '', target: '0', met: r.eventsDuplicated === 0 },
    { suite: 'chaos', metric: 'longest event-channel recovery', value: r.longestRecoveryMs, unit: 'ms' },
    { suite: 'chaos', metric: 'run time', value: Math.round(r.durationMs / 1000), unit: 's' },
    ...r.lostPages.slice(0, 10).map((self): Row => ({ suite: 'chaos', metric: `lost: ${self}`, value: '', unit: '' })),
    ...r.unclear.map((u): Row => ({ suite: 'chaos', metric: `unclear: ${u}`, value: '', unit: '' })),
  ]
}
