// The main-process core: everything but the Electron glue. Runs under Electron and under plain Node alike.
import type { AppInfo } from '../../preload/contract'
import type { TokenStore } from '../credentials/token-store'
import { createDispatcher, type Dispatch } from './dispatcher'
import { EventHub } from './event-hub'
import { SettingsStore } from './settings-store'

export interface CoreOptions {
  host: AppInfo['host']
  version: string
  tokenStore: TokenStore
  /** null keeps settings in memory (tests) */
  settingsFile: string | null
  clockIntervalMs?: number
  /** the embedded simulator's details in demo mode */
  demo?: AppInfo['demo']
  log?: (message: string, error?: unknown) => void
}

export interface Core {
  dispatch: Dispatch
  events: EventHub
  close(): Promise<void>
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const events = new EventHub()
  const settings = new SettingsStore(options.settingsFile)
  await settings.load()
  const log = options.log ?? (() => {})

  const dispatch = createDispatcher(
    {
      'app.getInfo': () => ({
        name: 'Parley',
        version: options.version,
        host: options.host,
        keychain:
          options.tokenStore.kind === 'keychain'
            ? { available: true }
            : { available: false, reason: options.tokenStore.unavailableReason ?? 'No system keychain' },
        demo: options.demo ?? null,
      }),
      'settings.get': () => settings.current,
      'settings.update': async (patch) => {
        const next = await settings.update(patch)
        events.emit('settings.changed', next)
        return next
      },
    },
    (method, e) => log(`request ${method} failed`, e),
  )

  const clock = setInterval(() => events.emit('clock.tick', { now: Date.now() }), options.clockIntervalMs ?? 1000)
  clock.unref()

  return {
    dispatch,
    events,
    async close() {
      clearInterval(clock)
    },
  }
}
