import { app, Menu } from 'electron'
import { appMenuTemplate, type MenuActions } from './menu-template'

/** The standard menus (roles), so copy/paste, zoom and window handling work as people expect; no DevTools when packaged. */
export function installAppMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, actions })))
}
