// Incoming-call alerts: a native notification with Accept/Decline where the OS has actions, else (or by
// choice) a small always-on-top call window; gone when the call is answered elsewhere, cancelled or
// missed, then a missed-call notification. Do-not-disturb keeps it quiet.
import type { CallSnapshot } from '../../preload/contract'

export interface Alert {
  id: string
  title: string
  body: string
}

/** Native notifications (Electron's Notification, the Web Notifications API in browser mode). */
export interface Notifier {
  readonly supportsActions: boolean
  show(alert: Alert, on: { accept(): void; decline(): void; open(): void }): void
  close(id: string): void
  info(alert: Alert, on: { open(): void }): void
}

/** The fallback: a frameless, always-on-top window with Accept and Decline. */
export interface CallWindow {
  show(alert: Alert): void
  close(id: string): void
}

export type AlertMode = 'auto' | 'notification' | 'window'

export interface AlertDeps {
  notifier: Notifier
  window: CallWindow
  mode(): AlertMode
  doNotDisturb(): boolean
  accept(callId: string): void
  decline(callId: string): void
  focus(): void
}

export class IncomingCallAlerts {
  /** calls we are alerting about, and how */
  readonly #shown = new Map<string, 'notification' | 'window'>()

  constructor(private readonly deps: AlertDeps) {}

  get showing(): ReadonlyMap<string, 'notification' | 'window'> {
    return this.#shown
  }

  /** Feed every calls.changed snapshot. */
  update(call: CallSnapshot): void {
    const how = this.#shown.get(call.id)
    if (call.state === 'ringing') {
      if (how || this.deps.doNotDisturb()) return
      const alert = { id: call.id, title: `${call.remote.name} is calling`, body: call.subject || call.remote.uri.replace(/^sip:/, '') }
      const useWindow = this.deps.mode() === 'window' || (this.deps.mode() === 'auto' && !this.deps.notifier.supportsActions)
      if (useWindow) this.deps.window.show(alert)
      else
        this.deps.notifier.show(alert, {
          accept: () => this.deps.accept(call.id),
          decline: () => this.deps.decline(call.id),
          open: () => this.deps.focus(),
        })
      this.#shown.set(call.id, useWindow ? 'window' : 'notification')
      return
    }
    if (!how) return
    // answered (here or elsewhere), declined, cancelled or missed: the alert goes
    if (how === 'window') this.deps.window.close(call.id)
    else this.deps.notifier.close(call.id)
    this.#shown.delete(call.id)
    const sub = call.endReason?.subcode
    if (call.state === 'ended' && (sub === 'Missed' || sub === 'Canceled' || sub === 'Timeout') && !this.deps.doNotDisturb()) {
      this.deps.notifier.info({ id: `missed-${call.id}`, title: `Missed call from ${call.remote.name}`, body: new Date(call.startedAt).toLocaleTimeString() }, { open: () => this.deps.focus() })
    }
  }
}
