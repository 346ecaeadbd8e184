// The contract's app.*, settings.*, update.* and diagnostics.* requests: what Parley is, its settings, and what only the
// installed app (not the browser mode) can do.
import { UcwaError } from '../ucwa/errors'
import type { CoreOptions } from './core'
import type { Handlers } from './dispatcher'
import type { EventHub } from './event-hub'
import { checkOnlyRemoved } from './server-trust'
import type { SettingsStore } from './settings-store'

type AppHandlers = Pick<Handlers, 'app.getInfo' | 'settings.get' | 'settings.update' | 'update.check' | 'update.restart' | 'diagnostics.export'>

export function appHandlers(options: CoreOptions, settings: SettingsStore, events: EventHub): AppHandlers {
  const desktopOnly = (what: string) => new UcwaError({ status: 0, code: 'NotAvailable', message: `${what} is part of the installed app, not the browser mode.` })
  return {
    'app.getInfo': async () => {
      await options.tokenStore.ready // the keychain's status, known within the probe's bound
      return {
        name: 'Parley',
        version: options.version,
        host: options.host,
        keychain:
          options.tokenStore.kind === 'keychain'
            ? { available: true }
            : { available: false, reason: options.tokenStore.unavailableReason ?? 'No system keychain' },
        demo: options.demo ?? null,
        discoveryUrl: options.discoveryUrl ?? null,
        logFile: options.desktop?.logFile ?? null,
      }
    },
    'settings.get': () => settings.current,
    'settings.update': async (patch) => {
      if (patch.trustedServers) checkOnlyRemoved(settings.current.trustedServers, patch.trustedServers)
      const next = await settings.update(patch)
      events.emit('settings.changed', next)
      return next
    },
    'update.check': () => {
      if (!options.desktop?.updates) throw desktopOnly('Updating')
      return options.desktop.updates.check()
    },
    'update.restart': () => {
      if (!options.desktop?.updates) throw desktopOnly('Updating')
      return { restarted: options.desktop.updates.restart() }
    },
    'diagnostics.export': async () => {
      if (!options.desktop?.exportDiagnostics) throw desktopOnly('Exporting diagnostics')
      return { path: await options.desktop.exportDiagnostics() }
    },
  }
}
