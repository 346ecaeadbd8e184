// What the tray shows for the app's state: the icon, the tooltip, whether it flashes, the menu.
import type { CallSnapshot, SessionInfo } from '../../preload/contract'

export type TrayIcon = 'signed-out' | 'available' | 'busy' | 'incoming' | 'reconnecting'

export interface TrayMenuItem {
  id: 'show' | 'hide' | 'mute' | 'hang-up' | 'presence-online' | 'presence-busy' | 'presence-dnd' | 'check-updates' | 'quit'
  label: string
  enabled: boolean
}

export interface TrayView {
  icon: TrayIcon
  tooltip: string
  flashing: boolean
  menu: TrayMenuItem[]
}

/** the call the person is in: not one ringing, not one over */
export function activeCall(calls: Iterable<CallSnapshot>): CallSnapshot | undefined {
  for (const c of calls) if (c.state !== 'ringing' && c.state !== 'ended') return c
  return undefined
}

export function trayView(o: { session: SessionInfo; calls: CallSnapshot[]; windowVisible: boolean }): TrayView {
  const { session, calls } = o
  const ringing = calls.find((c) => c.state === 'ringing')
  const active = activeCall(calls)
  const signedIn = session.state === 'signed-in' || session.state === 'reconnecting'
  let icon: TrayIcon = 'signed-out'
  let tooltip = 'Parley — signed out'
  if (session.state === 'reconnecting') {
    icon = 'reconnecting'
    tooltip = 'Parley — reconnecting…'
  } else if (ringing) {
    icon = 'incoming'
    tooltip = `Parley — ${ringing.remote.name} is calling`
  } else if (active) {
    icon = 'busy'
    tooltip = `Parley — in a call with ${active.conference ? 'a conference' : active.remote.name}${active.audioMuted ? ' (muted)' : ''}`
  } else if (signedIn) {
    icon = 'available'
    tooltip = `Parley — ${session.user?.name ?? 'signed in'}`
  }
  return {
    icon,
    tooltip,
    flashing: !!ringing,
    menu: [
      o.windowVisible ? { id: 'hide', label: 'Hide Parley', enabled: true } : { id: 'show', label: 'Show Parley', enabled: true },
      { id: 'presence-online', label: 'Available', enabled: signedIn },
      { id: 'presence-busy', label: 'Busy', enabled: signedIn },
      { id: 'presence-dnd', label: 'Do not disturb', enabled: signedIn },
      { id: 'mute', label: active?.audioMuted ? 'Unmute' : 'Mute', enabled: !!active },
      { id: 'hang-up', label: 'Hang up', enabled: !!active },
      { id: 'check-updates', label: 'Check for updates', enabled: true },
      { id: 'quit', label: 'Quit Parley', enabled: true },
    ],
  }
}
