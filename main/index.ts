// Electron entry: thin glue around the core (main/core) and the desktop pieces (main/desktop).
import { join } from 'node:path'
import { app, dialog, ipcMain, protocol, session, shell, type BrowserWindow } from 'electron'
import { configuredDiscoveryUrl } from './core/configured-pool'
import { createCore, type Core } from './core/core'
import { DeferredTokenStore } from './credentials/deferred-token-store'
import { openTokenStore } from './credentials/open-token-store'
import { demoMediaFrom, startDemoPool } from './demo'
import { serveAppRequest } from './desktop/app-protocol'
import { installAppMenu } from './desktop/app-menu'
import { startDesktopLife, type DesktopLife } from './desktop/desktop-life'
import { exportDiagnostics } from './desktop/diagnostics'
import { wireIpc } from './desktop/ipc'
import { setUpLogging } from './desktop/logging'
import { LinkInbox } from './desktop/deep-link'
import { utilityProbeLauncher } from './desktop/utility-probe-launcher'
import { createMainWindow } from './desktop/main-window'
import { APP_SCHEME, lockSession, lockWebContents } from './desktop/security'
import { appVersion } from './version'
import { localDispatch } from './core/local-dispatch'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
  const logging = setUpLogging()
  let window: BrowserWindow | null = null
  let core: Core | null = null
  let life: DesktopLife | null = null
  let demo: Awaited<ReturnType<typeof startDemoPool>> | null = null
  const preloadDir = join(import.meta.dirname, '../preload')

  // macOS hands links over as open-url, the one that started the app before ready: the inbox holds it until then
  const links = new LinkInbox()
  app.on('open-url', (e, url) => {
    e.preventDefault()
    links.receive(url)
  })
  // a second start (or a sip: link on Windows/Linux) comes here: show the window, pass the link on
  app.on('second-instance', (_e, argv) => life?.handleArgv(argv))

  // every web contents, the main window's included, gets the navigation and window-open locks
  app.on('web-contents-created', (_e, contents) => lockWebContents(contents, (url) => void shell.openExternal(url)))

  void app.whenReady().then(async () => {
    const rendererDir = join(import.meta.dirname, '../renderer')
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request))
    lockSession(session.defaultSession)
    // the keychain is probed in a utility process of its own; nothing below waits for it
    const tokenStore = new DeferredTokenStore(openTokenStore({ probe: utilityProbeLauncher(join(import.meta.dirname, 'keychain-probe.js')) }))
    // no server configured: the embedded simulator is the default pool
    let discoveryUrl: string | null
    let demoMedia: ReturnType<typeof demoMediaFrom>
    try {
      discoveryUrl = configuredDiscoveryUrl(process.env)
      demoMedia = demoMediaFrom(process.env)
    } catch (e) {
      dialog.showErrorBox('Parley cannot start', (e as Error).message)
      return app.exit(1)
    }
    demo = discoveryUrl ? null : await startDemoPool(join(import.meta.dirname, 'conference-unit.js'), demoMedia)
    let desktop: DesktopLife | null = null
    core = await createCore({
      demo: demo?.info ?? null,
      discoveryUrl,
      host: 'electron',
      version: appVersion,
      tokenStore,
      settingsFile: join(app.getPath('userData'), 'settings.json'),
      sessionFile: join(app.getPath('userData'), 'session.json'),
      historyDir: join(app.getPath('userData'), 'call-history'),
      mediaWorkerScript: join(import.meta.dirname, 'media-worker.js'),
      // a real pool's conference unit (AVMCU) speaks only the SfB dialect, as the demo pool's does in sfb2015 (its default)
      conferenceUnitDialect: discoveryUrl || demoMedia === 'sfb2015' ? 'sfb2015' : undefined,
      warmMediaBridge: true,
      log: logging.log,
      desktop: {
        logFile: logging.file,
        updates: { check: () => desktop!.updates.check(), restart: () => desktop!.updates.restartNow() },
        exportDiagnostics: () =>
          exportDiagnostics({ dir: app.getPath('downloads'), logFile: logging.file, facts: { version: appVersion, electron: process.versions.electron, platform: process.platform } }),
      },
    })
    window = createMainWindow(preloadDir)
    window.on('closed', () => (window = null))
    life = desktop = startDesktopLife({ core, window: () => window, iconsDir: join(import.meta.dirname, '../../build/icons'), preloadDir, links, log: logging.log })
    wireIpc(ipcMain, core, () => [window?.webContents, life?.callWindow.webContents].filter((w) => !!w))
    installAppMenu({ checkForUpdates: () => void life?.updates.check(), exportDiagnostics: () => void (core && localDispatch(core.dispatch)('diagnostics.export')) })
    life.handleArgv(process.argv)
  })

  app.on('activate', () => {
    if (!window && core) window = createMainWindow(preloadDir)
    else window?.show()
  })
  let closing = false
  app.on('before-quit', (e) => {
    if (closing) return
    closing = true
    e.preventDefault()
    void (async () => {
      await life?.beforeQuit()
      await demo?.close()
      app.quit()
    })()
  })
}
