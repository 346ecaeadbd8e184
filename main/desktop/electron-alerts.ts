// Electron's side of incoming-call alerts: native notifications and the small always-on-top call window.
import { join } from 'node:path'
import { app, BrowserWindow, Notification } from 'electron'
import type { Alert, CallWindow, Notifier } from './incoming-alerts'
import { notificationText, plainText } from './notification-text'
import { APP_ORIGIN, windowWebPreferences } from './security'
import { incomingCallToastXml, type ToastLinks } from './toast'

export class ElectronNotifier implements Notifier {
  // buttons: Electron's actions on macOS, toast XML on Windows; on Linux the call window carries Accept/Decline
  readonly supportsActions = process.platform === 'darwin' || process.platform === 'win32'
  readonly #open = new Map<string, Notification>()

  constructor(private readonly toasts: ToastLinks) {}

  show(alert: Alert, on: { accept(): void; decline(): void; open(): void }): void {
    const n =
      process.platform === 'win32'
        ? new Notification({ toastXml: incomingCallToastXml(alert, this.toasts.issue(alert.id)) })
        : new Notification({ ...notificationText(alert, process.platform), urgency: 'critical', timeoutType: 'never', actions: [{ type: 'button', text: 'Accept' }, { type: 'button', text: 'Decline' }], closeButtonText: 'Decline' })
    n.on('action', (_e, index) => (index === 0 ? on.accept() : on.decline()))
    n.on('close', () => this.#open.delete(alert.id))
    n.on('click', on.open)
    this.#open.set(alert.id, n)
    n.show()
  }

  close(id: string): void {
    this.toasts.forget(id)
    this.#open.get(id)?.close()
    this.#open.delete(id)
  }

  info(alert: Alert, on: { open(): void }): void {
    const n = new Notification(notificationText(alert, process.platform))
    n.on('click', on.open)
    n.show()
  }
}

export class ElectronCallWindow implements CallWindow {
  #win: BrowserWindow | null = null

  constructor(private readonly preloadDir: string) {}

  show(alert: Alert): void {
    this.#win?.close()
    const win = new BrowserWindow({
      width: 380,
      height: 170,
      frame: false,
      alwaysOnTop: true,
      skipTaskbar: false,
      resizable: false,
      title: plainText(alert.title),
      // spelled out for audits (electronegativity), same as windowWebPreferences
      webPreferences: { ...windowWebPreferences(app.isPackaged, join(this.preloadDir, 'index.cjs')), contextIsolation: true, sandbox: true, nodeIntegration: false },
    })
    win.setAlwaysOnTop(true, 'screen-saver')
    void win.loadURL(`${APP_ORIGIN}/index.html#incoming-window`)
    this.#win = win
    win.on('closed', () => (this.#win = null))
  }

  close(): void {
    this.#win?.close()
    this.#win = null
  }

  get webContents() {
    return this.#win && !this.#win.isDestroyed() ? this.#win.webContents : null
  }
}
