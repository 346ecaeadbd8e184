// The application menu as data (Electron-free, tested): standard roles, and the development tools only
// in development — a packaged Parley has no DevTools menu item and no shortcut that opens them.
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  checkForUpdates(): void
  exportDiagnostics(): void
}

/**
 * The menu template for `Menu.buildFromTemplate`. `isPackaged` is Electron's `app.isPackaged`. The View
 * menu is spelled out because the `viewMenu` role carries Reload, Force Reload and Toggle Developer Tools
 * (with their Ctrl/Cmd+R, Ctrl+Shift+I / Alt+Cmd+I accelerators); a packaged build keeps zoom and full
 * screen only (a reload would also drop a call's media, which the page owns).
 */
export function appMenuTemplate(o: { platform: NodeJS.Platform; isPackaged: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const development: MenuItemConstructorOptions[] = o.isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
  return [
    ...(o.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: [...development, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Check for updates', click: o.actions.checkForUpdates },
        { label: 'Export diagnostics…', click: o.actions.exportDiagnostics },
      ],
    },
  ]
}
