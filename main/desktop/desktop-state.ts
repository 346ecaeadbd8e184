// What the desktop pieces need to know of the core (session, calls) and what a tray click does with it.
// No Electron here: desktop-life.ts wires these to the real tray, window and app.
import type { CallSnapshot, ChatSnapshot, SessionInfo } from '../../preload/contract'
import type { Core } from '../core/core'
import { localDispatch } from '../core/local-dispatch'
import type { TrayMenuItem } from './tray-state'
import { activeCall, PRESENCE_ITEMS, trayView, type MyAvailability, type TrayView } from './tray-state'

/** Follows the core's session and calls; tells `changed` when the tray should be drawn again. */
export class DesktopState {
  session: SessionInfo = { state: 'signed-out', user: null, error: null }
  readonly calls = new Map<string, CallSnapshot>()
  /** my presence, as the last presence.changed said */
  availability: MyAvailability = 'Online'
  /** chat id → its unread messages (issue #21) */
  readonly unread = new Map<string, number>()

  constructor(core: Pick<Core, 'events'>, onCall: (c: CallSnapshot) => void, changed: () => void, onChat: (c: ChatSnapshot) => void = () => {}) {
    core.events.subscribe((name, payload) => {
      if (name === 'chats.changed') {
        const c = payload as ChatSnapshot
        const before = this.unread.get(c.id) ?? 0
        this.unread.set(c.id, c.unread)
        onChat(c)
        if (before !== c.unread) changed()
      }
      if (name === 'session.changed' && (payload as SessionInfo).state === 'signed-out') this.unread.clear()
      if (name === 'session.changed') this.session = payload as SessionInfo
      if (name === 'presence.changed') {
        this.availability = (payload as { availability: MyAvailability }).availability
        changed()
      }
      if (name === 'calls.changed') {
        const c = payload as CallSnapshot
        if (c.state === 'ended') this.calls.delete(c.id)
        else this.calls.set(c.id, c)
        onCall(c)
      }
      if (name === 'session.changed' || name === 'calls.changed') changed()
    })
  }

  get active(): CallSnapshot | undefined {
    return activeCall(this.calls.values())
  }

  get inCall(): boolean {
    return !!this.active
  }

  tray(windowVisible: boolean): TrayView {
    const unread = [...this.unread.values()].reduce((a, b) => a + b, 0)
    return trayView({ session: this.session, calls: [...this.calls.values()], windowVisible, availability: this.availability, unread })
  }
}

export interface TrayActions {
  show(): void
  hide(): void
  quit(): void
  checkForUpdates(): void
}

/** A tray menu item was chosen. */
export function onTrayCommand(id: TrayMenuItem['id'], core: Pick<Core, 'events' | 'dispatch'>, state: DesktopState, actions: TrayActions): void {
  if (id === 'show') actions.show()
  if (id === 'hide') actions.hide()
  if (id === 'quit') actions.quit()
  if (id === 'check-updates') actions.checkForUpdates()
  // the renderer owns the microphone: it mutes and tells main back (calls.setMuted), which redraws the tray
  if (id === 'mute') core.events.emit('app.command', { command: 'toggle-mute' })
  const active = state.active
  const dispatch = localDispatch(core.dispatch)
  if (id === 'hang-up' && active) void dispatch('calls.hangUp', { callId: active.id })
  if (id in PRESENCE_ITEMS) void dispatch('presence.set', { availability: PRESENCE_ITEMS[id as keyof typeof PRESENCE_ITEMS] })
}
