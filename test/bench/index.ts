// `npm run bench`: every suite, a table, and bench-results/<suite>.json. Not part of `npm test`.
import { browserBench } from './browser'
import { bridgeSetupBench } from './bridge-setup'
import { channelBench } from './channel'
import { conferenceBench } from './conference'
import { footprintBench } from './footprint'
import { mediaBridgeBench } from './media-bridge'
import { parsingBench } from './parsing'
import { printTable, writeResults, type Row } from './report'
import { soakBench } from './soak'

// footprint first: it measures RSS growth, which a process that already ran the browser suite hides (freed heap is reused)
const suites: Record<string, () => Promise<Row[]>> = {
  footprint: footprintBench,
  browser: browserBench,
  parsing: parsingBench,
  channel: channelBench,
  conference: conferenceBench,
  'media-bridge': () => mediaBridgeBench(),
  'bridge-setup': bridgeSetupBench,
  // not in the default run: `npm run bench -- soak` (add --full for the working-day sizes)
  soak: soakBench,
}

const named = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const wanted = named.length ? named : Object.keys(suites).filter((s) => s !== 'soak')
const all: Row[] = []
for (const name of wanted) {
  const run = suites[name]
  if (!run) throw new Error(`No bench suite ${name}; have ${Object.keys(suites).join(', ')}`)
  const started = performance.now()
  const rows = await run()
  all.push(...rows)
  console.error(`[bench] ${name}: ${Math.round((performance.now() - started) / 1000)} s → ${writeResults(name, rows)}`)
}
printTable(all)
process.exit(0)
