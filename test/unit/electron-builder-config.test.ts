// electron-builder's own schema check, offline: a typo in electron-builder.yml fails here, not at release time.
import { resolve } from 'node:path'
import type { Configuration, FuseOptionsV1 } from 'app-builder-lib'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

// loading electron-builder takes seconds on a loaded machine
describe('electron-builder.yml', { timeout: 30_000 }, () => {
  it('passes electron-builder’s validation and names the installers we ship', async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js')
    const { DebugLogger } = await import('builder-util')
    const config = await getConfig(root, resolve(root, 'electron-builder.yml'), null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.nsis?.perMachine).toBe(false)
    expect(config.mac?.target).toEqual(['dmg', 'zip'])
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.npmRebuild).toBe(false)
  })

  it('flips the Electron fuses that lock the installed app down', async () => {
    const { getConfig } = await import('app-builder-lib/out/util/config/config.js')
    const config: Configuration = await getConfig(root, resolve(root, 'electron-builder.yml'), null)
    const fuses: FuseOptionsV1 | null | undefined = config.electronFuses
    // no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; cookies encrypted; only our own, validated app.asar
    // loads; file:// gets no extra privileges (the page is served from app://parley)
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    } satisfies FuseOptionsV1)
    expect(config.asar).not.toBe(false) // the asar the last two fuses rely on
  })

  it('pins the Windows publisher electron-updater checks an update’s Authenticode signature against', async () => {
    const { getConfig } = await import('app-builder-lib/out/util/config/config.js')
    const { WindowsSignToolManager } = await import('app-builder-lib/out/codeSign/windowsSignToolManager.js')
    const config: Configuration = await getConfig(root, resolve(root, 'electron-builder.yml'), null)
    expect(config.win?.verifyUpdateCodeSignature).toBe(true)
    // what electron-builder writes to app-update.yml as publisherName (PublishManager): no certificate needed to know it
    const manager = new WindowsSignToolManager({ platformSpecificBuildOptions: config.win } as never)
    expect(await manager.computedPublisherName.value).toEqual(['Parley developers'])
  })

  it('rejects a misspelt option', async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js')
    const { DebugLogger } = await import('builder-util')
    await expect(validateConfiguration({ appId: 'x', linx: {} } as never, new DebugLogger(false))).rejects.toThrow(/linx/)
  })
})
