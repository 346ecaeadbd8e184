import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import { APP_ORIGIN, secureWebPreferences } from './security'

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Parley',
    // the isolation settings are spelled out here so audits (electronegativity) can see them
    webPreferences: { ...secureWebPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(preloadDir, 'index.cjs') },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}
