import { Menu, type MenuItemConstructorOptions } from 'electron'

/** The standard menus (roles), so copy/paste, zoom and window handling work as people expect. */
export function installAppMenu(actions: { checkForUpdates(): void; exportDiagnostics(): void }): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Check for updates', click: actions.checkForUpdates },
        { label: 'Export diagnostics…', click: actions.exportDiagnostics },
      ],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
