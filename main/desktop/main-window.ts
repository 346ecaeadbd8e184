import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import { APP_ORIGIN, windowWebPreferences } from './security'

export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Parley',
    // the isolation settings are spelled out here so audits (electronegativity) can see them
    webPreferences: { ...windowWebPreferences(app.isPackaged, join(preloadDir, 'index.cjs')), contextIsolation: true, sandbox: true, nodeIntegration: false },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}
