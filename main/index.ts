// Electron entry: thin glue around the core (see main/core) and the desktop pieces (main/desktop).
import { join } from 'node:path'
import { app, ipcMain, protocol, session, shell, type BrowserWindow } from 'electron'
import { createCore, type Core } from './core/core'
import { openTokenStore } from './credentials/open-token-store'
import { startDemoPool } from './demo'
import { serveAppRequest } from './desktop/app-protocol'
import { wireIpc } from './desktop/ipc'
import { createMainWindow } from './desktop/main-window'
import { APP_SCHEME, lockSession, lockWebContents } from './desktop/security'
import { appVersion } from './version'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
  let window: BrowserWindow | null = null
  let core: Core | null = null
  let demo: Awaited<ReturnType<typeof startDemoPool>> | null = null

  app.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  })

  // every web contents, the main window's included, gets the navigation and window-open locks
  app.on('web-contents-created', (_e, contents) => lockWebContents(contents, (url) => void shell.openExternal(url)))

  void app.whenReady().then(async () => {
    const rendererDir = join(import.meta.dirname, '../renderer')
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request))
    lockSession(session.defaultSession)
    // no server configured: the embedded simulator is the default pool
    demo = process.env.PARLEY_DISCOVERY_URL ? null : await startDemoPool()
    core = await createCore({
      demo: demo?.info ?? null,
      host: 'electron',
      version: appVersion,
      tokenStore: await openTokenStore(),
      settingsFile: join(app.getPath('userData'), 'settings.json'),
      sessionFile: join(app.getPath('userData'), 'session.json'),
      log: (message) => console.error(`[parley] ${message}`),
    })
    window = createMainWindow(join(import.meta.dirname, '../preload'))
    wireIpc(ipcMain, core, () => window?.webContents ?? null)
    window.on('closed', () => (window = null))
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (!window && core) window = createMainWindow(join(import.meta.dirname, '../preload'))
  })
  app.on('will-quit', () => {
    void core?.close()
    void demo?.close()
  })
}
