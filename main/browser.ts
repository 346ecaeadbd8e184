// `npm run start:browser`: the main-process core under plain Node, the renderer in any browser.
import { join, resolve } from 'node:path'
import { configuredDiscoveryUrl } from './core/configured-pool'
import { createCore } from './core/core'
import { DeferredTokenStore } from './credentials/deferred-token-store'
import { nodeProbeLauncher } from './credentials/node-probe-launcher'
import { openTokenStore } from './credentials/open-token-store'
import { demoMediaFrom, startDemoPool } from './demo'
import { defaultDataDir } from './paths'
import { startBrowserHost } from './transport/browser-host'
import { appVersion } from './version'

// the keychain is probed in a child process of its own (a hang or a crash there costs nothing here); nothing waits for it
const tokenStore = new DeferredTokenStore(openTokenStore({ probe: nodeProbeLauncher(join(import.meta.dirname, 'keychain-probe.js')) }))
const [discoveryUrl, demoMedia] = (() => {
  try {
    return [configuredDiscoveryUrl(process.env), demoMediaFrom(process.env)] as const
  } catch (e) {
    console.error(`[parley] ${(e as Error).message}`)
    return process.exit(1)
  }
})()
// no server configured: the embedded simulator is the default pool
const demo = discoveryUrl ? null : await startDemoPool(join(import.meta.dirname, 'conference-unit.js'), demoMedia)
const core = await createCore({
  demo: demo?.info ?? null,
  discoveryUrl,
  host: 'browser',
  version: appVersion,
  tokenStore,
  settingsFile: join(process.env.PARLEY_DATA_DIR ?? defaultDataDir(), 'settings.json'),
  sessionFile: join(process.env.PARLEY_DATA_DIR ?? defaultDataDir(), 'session.json'),
  historyDir: join(process.env.PARLEY_DATA_DIR ?? defaultDataDir(), 'call-history'),
  mediaWorkerScript: join(import.meta.dirname, 'media-worker.js'),
  // a real pool's conference unit (AVMCU) speaks only the SfB dialect, as the demo pool's does in sfb2015 (its default)
  conferenceUnitDialect: discoveryUrl || demoMedia === 'sfb2015' ? 'sfb2015' : undefined,
  warmMediaBridge: true,
  log: (message) => console.error(`[parley] ${message}`),
})
const host = await startBrowserHost({
  core,
  rendererDir: resolve(import.meta.dirname, '../renderer'),
  port: Number(process.env.PARLEY_PORT ?? 0),
  log: (message) => console.error(`[parley] ${message}`),
})
if (demo) console.log(`Demo pool (UCWA simulator): ${demo.info.discoveryUrl}`)
if (discoveryUrl) console.log(`Pool: ${discoveryUrl}`)
console.log(`Parley is running in browser mode. Open: ${host.url}`)
void tokenStore.ready.then(() => tokenStore.kind === 'memory' && console.log(`Keychain: ${tokenStore.unavailableReason}`))

const stop = async (): Promise<void> => {
  await host.close()
  await core.close()
  await demo?.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
