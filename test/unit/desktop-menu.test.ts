// DevTools: reachable in development, unreachable in a packaged build (no menu item, no shortcut, disabled in the page).
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { appMenuTemplate } from '../../main/desktop/menu-template'
import { windowWebPreferences } from '../../main/desktop/security'

const actions = { checkForUpdates: () => {}, exportDiagnostics: () => {} }
/** every item of a template, submenus included */
const items = (template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  template.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])])
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((m) => m.role).filter(Boolean)
/** roles whose Electron default includes Toggle Developer Tools (or Reload): the View menu's */
const developerRoles = ['toggleDevTools', 'viewMenu', 'reload', 'forceReload']

describe('DevTools in a packaged build', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`${platform}: packaged, no developer tools item or shortcut; the View menu keeps zoom and full screen`, () => {
      const template = appMenuTemplate({ platform, isPackaged: true, actions })
      expect(roles(template).filter((r) => developerRoles.includes(r!))).toEqual([])
      // the shortcuts come with the menu items only: none left that opens DevTools (F12, Ctrl+Shift+I, Alt+Cmd+I)
      expect(items(template).filter((m) => m.accelerator)).toEqual([])
      const view = template.find((m) => m.label === 'View')!
      expect((view.submenu as MenuItemConstructorOptions[]).map((m) => m.role ?? m.type)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen'])
      expect(roles(template)).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu', 'help', ...(platform === 'darwin' ? ['appMenu'] : [])]))
    })

    it(`${platform}: in development the DevTools item (and its shortcut, by role) is there`, () => {
      const template = appMenuTemplate({ platform, isPackaged: false, actions })
      expect(roles(template)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']))
    })
  }

  it('the windows’ webPreferences turn DevTools off when packaged, on in development, isolation either way', () => {
    expect(windowWebPreferences(true, '/app/out/preload/index.cjs')).toMatchObject({ devTools: false, preload: '/app/out/preload/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(windowWebPreferences(false, '/p.cjs')).toMatchObject({ devTools: true, contextIsolation: true, sandbox: true, nodeIntegration: false })
  })

  it('the help menu still checks for updates and exports diagnostics', () => {
    const calls: string[] = []
    const template = appMenuTemplate({ platform: 'linux', isPackaged: true, actions: { checkForUpdates: () => calls.push('check'), exportDiagnostics: () => calls.push('export') } })
    for (const m of (template.find((t) => t.role === 'help')!.submenu as MenuItemConstructorOptions[])) (m.click as () => void)()
    expect(calls).toEqual(['check', 'export'])
  })
})
