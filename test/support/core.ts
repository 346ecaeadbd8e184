import { createCore, type Core } from '../../main/core/core'
import { MemoryTokenStore, type TokenStore } from '../../main/credentials/token-store'

export function testCore(options: { tokenStore?: TokenStore; settingsFile?: string | null; clockIntervalMs?: number } = {}): Promise<Core> {
  return createCore({
    host: 'browser',
    version: '9.8.7-test',
    tokenStore: options.tokenStore ?? new MemoryTokenStore('No keychain in this test'),
    settingsFile: options.settingsFile ?? null,
    clockIntervalMs: options.clockIntervalMs ?? 50,
  })
}
