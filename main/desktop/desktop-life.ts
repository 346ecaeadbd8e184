// What makes Parley an installed app: tray, incoming-call alerts, updates, deep links, start at login,
// the mute shortcut, close-to-tray and a clean quit. Glue between the core's events and Electron pieces.
import { app, globalShortcut, type BrowserWindow } from 'electron'
import { autoUpdater } from 'electron-updater'
import type { Core } from '../core/core'
import { localDispatch } from '../core/local-dispatch'
import { LINK_SCHEMES, linkFromArgv, type DeepLink, type LinkInbox } from './deep-link'
import { DesktopState, onTrayCommand } from './desktop-state'
import { ElectronCallWindow, ElectronNotifier } from './electron-alerts'
import { IncomingCallAlerts } from './incoming-alerts'
import { MessageAlerts } from './message-alerts'
import { alertFromArgv, ToastLinks } from './toast'
import { AppTray } from './tray'
import { followUpdateChannel } from './update-channel'
import { UpdateController, type UpdaterLike } from './updater'

export interface DesktopLife {
  callWindow: ElectronCallWindow
  updates: UpdateController
  handleArgv(argv: string[]): void
  beforeQuit(): Promise<void>
}

export function startDesktopLife(o: { core: Core; window: () => BrowserWindow | null; iconsDir: string; preloadDir: string; links: LinkInbox; log: (m: string) => void }): DesktopLife {
  const { core } = o
  let quitting = false
  let closeToTray = true
  const dispatch = localDispatch(core.dispatch)
  const settings = () => dispatch('settings.get').then((r) => (r.ok ? r.value : null))

  const show = () => {
    const w = o.window()
    if (!w) return
    if (w.isMinimized()) w.restore()
    w.show()
    w.focus()
  }
  const callWindow = new ElectronCallWindow(o.preloadDir)
  let alertMode: 'auto' | 'notification' | 'window' = 'auto'
  const toasts = new ToastLinks()
  const accept = (callId: string) => void dispatch('calls.accept', { callId }).then(show)
  const decline = (callId: string) => void dispatch('calls.decline', { callId })
  const alerts = new IncomingCallAlerts({
    notifier: new ElectronNotifier(toasts),
    window: callWindow,
    mode: () => alertMode,
    doNotDisturb: () => core.availability() === 'DoNotDisturb',
    accept,
    decline,
    focus: show,
  })

  const updates = new UpdateController(autoUpdater as unknown as UpdaterLike, {
    channel: 'stable', // until followUpdateChannel (below) applies the setting, before the first check
    inCall: () => state.inCall,
    onStatus: (s) => core.events.emit('update.status', s),
    log: o.log,
  })

  const messageAlerts = new MessageAlerts({
    notifier: new ElectronNotifier(toasts),
    focused: () => !!o.window()?.isFocused(),
    availability: () => core.availability(),
    open: (chatId) => (show(), core.events.emit('chats.open', { chatId })),
  })
  const state: DesktopState = new DesktopState(core, (c) => alerts.update(c), () => redraw(), (c) => messageAlerts.update(c))
  const tray = new AppTray(
    o.iconsDir,
    (id) => onTrayCommand(id, core, state, { show, hide: () => o.window()?.hide(), quit: () => app.quit(), checkForUpdates: () => void updates.check() }),
    () => (o.window()?.isVisible() ? o.window()?.hide() : show()),
  )
  const redraw = () => tray.render(state.tray(!!o.window()?.isVisible()))
  core.events.subscribe((name) => {
    if (name === 'settings.changed') void applySettings()
  })

  async function applySettings(): Promise<void> {
    const s = await settings()
    if (!s) return
    alertMode = s.incomingCallAlert
    closeToTray = s.closeToTray
    if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: s.startAtLogin })
  }
  void applySettings()

  for (const scheme of LINK_SCHEMES) app.setAsDefaultProtocolClient(scheme)
  // a call link asks for a call, a meeting link for a meeting: the page asks the person first either way
  const emitLink = (link: DeepLink) => (link.kind === 'call' ? core.events.emit('deeplink.call', { to: link.to }) : core.events.emit('deeplink.meeting', { url: link.url }))
  // macOS: links come as open-url, the first one before ready (index.ts holds it in the inbox)
  o.links.open((link) => {
    show()
    emitLink(link)
  })
  globalShortcut.register('CommandOrControl+Shift+M', () => core.events.emit('app.command', { command: 'toggle-mute' }))

  const win = o.window()
  win?.on('close', (e) => {
    if (quitting || !closeToTray) return
    // keep running in the tray (a setting); the tray or the app menu quits. On Linux desktops that hide
    // tray icons, a second start or a sip: link shows the window again (single instance).
    e.preventDefault()
    win.hide()
    redraw()
  })
  redraw()
  // the first check runs on the person's channel; later changes of the setting reach the updater too
  void followUpdateChannel(core, updates).then(() => {
    if (app.isPackaged) updates.start()
  })

  return {
    callWindow,
    updates,
    handleArgv(argv) {
      // a Windows toast button (protocol activation): answer or decline without raising the window first
      const pressed = alertFromArgv(argv, toasts)
      if (pressed?.action === 'accept') return accept(pressed.callId)
      if (pressed?.action === 'decline') return decline(pressed.callId)
      const link = linkFromArgv(argv)
      show()
      if (link) emitLink(link)
    },
    async beforeQuit() {
      quitting = true
      globalShortcut.unregisterAll()
      updates.stop()
      tray.destroy()
      await core.close() // calls hung up, application deleted, event channel stopped
    },
  }
}
