// A browser-mode core in a process of its own, as `npm run start:browser` runs it (a simulator pool beside it,
// werift standing in for the page's media): attack tests can check that nothing they send makes it exit.
// Prints one JSON line: { url, discoveryUrl }.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBrowserHost } from '../../main/transport/browser-host'
import { startSimulator } from '../simulator/index'
import { testCore } from './core'
import { weriftRenderer } from './werift-renderer'

const sim = await startSimulator()
const core = await testCore()
weriftRenderer(core, 'page')
const host = await startBrowserHost({ core, rendererDir: await mkdtemp(join(tmpdir(), 'parley-renderer-')) })
console.log(JSON.stringify({ url: host.url, discoveryUrl: sim.url }))
process.once('SIGTERM', () => {
  void Promise.all([host.close(), core.close(), sim.close()]).finally(() => process.exit(0))
})
