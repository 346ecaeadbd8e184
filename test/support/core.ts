import { createCore, type Core, type CoreOptions } from '../../main/core/core'
import { MemoryTokenStore, type TokenStore } from '../../main/credentials/token-store'

export function testCore(
  options: { tokenStore?: TokenStore; settingsFile?: string | null; clockIntervalMs?: number; demo?: CoreOptions['demo']; discoveryUrl?: string; historyDir?: string; ucwa?: CoreOptions['ucwa']; conferenceUnitDialect?: CoreOptions['conferenceUnitDialect']; warmMediaBridge?: boolean } = {},
): Promise<Core> {
  return createCore({
    host: 'browser',
    version: '9.8.7-test',
    tokenStore: options.tokenStore ?? new MemoryTokenStore('No keychain in this test'),
    settingsFile: options.settingsFile ?? null,
    // the product's tick (main/core/core.ts): a 50 ms one pushed 20 events a second to every test page (issue #24); only the clock shows it
    clockIntervalMs: options.clockIntervalMs ?? 1000,
    demo: options.demo ?? null,
    discoveryUrl: options.discoveryUrl ?? null,
    historyDir: options.historyDir ?? null,
    ucwa: options.ucwa,
    conferenceUnitDialect: options.conferenceUnitDialect,
    warmMediaBridge: options.warmMediaBridge,
    // PARLEY_TEST_LOG=1: each core's log on stderr (the call engine's transitions, dropped events, the bridge's faults), to read a failure
    log: process.env.PARLEY_TEST_LOG ? (m, e) => console.error(`[core ${new Date().toISOString().slice(11, 23)}] ${m}`, e ?? '') : undefined,
  })
}
