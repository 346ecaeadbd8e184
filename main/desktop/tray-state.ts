// What the tray shows for the app's state: the icon, the tooltip, whether it flashes, the menu.
import type { Availability, CallSnapshot, SessionInfo } from '../../preload/contract'
import { plainText } from './notification-text'

/** my presence as a person sets it (the six of presence.set; Offline is what others see of a signed-out person) */
export type MyAvailability = Exclude<Availability, 'Offline'>

/** what each presence reads as (the words Skype for Business clients show) */
export const PRESENCE_WORDS: Record<MyAvailability, string> = {
  Online: 'Available',
  Busy: 'Busy',
  DoNotDisturb: 'Do not disturb',
  BeRightBack: 'Be right back',
  Away: 'Away',
  Offwork: 'Off work',
}

/** the tray menu's presence items, in the order Skype for Business lists them */
export const PRESENCE_ITEMS = {
  'presence-online': 'Online',
  'presence-busy': 'Busy',
  'presence-dnd': 'DoNotDisturb',
  'presence-brb': 'BeRightBack',
  'presence-away': 'Away',
  'presence-offwork': 'Offwork',
} as const satisfies Record<string, MyAvailability>
export type PresenceItemId = keyof typeof PRESENCE_ITEMS

export type TrayIcon = 'signed-out' | 'available' | 'busy' | 'dnd' | 'away' | 'offwork' | 'incoming' | 'reconnecting'

const PRESENCE_ICON: Record<MyAvailability, TrayIcon> = { Online: 'available', Busy: 'busy', DoNotDisturb: 'dnd', BeRightBack: 'away', Away: 'away', Offwork: 'offwork' }

export interface TrayMenuItem {
  id: 'show' | 'hide' | 'mute' | 'hang-up' | PresenceItemId | 'check-updates' | 'quit'
  label: string
  enabled: boolean
  /** presence items: a radio group, the current one ticked */
  checked?: boolean
}

export interface TrayView {
  icon: TrayIcon
  tooltip: string
  flashing: boolean
  menu: TrayMenuItem[]
}

/** the call the person is in: not one ringing, not one over */
export function activeCall(calls: Iterable<CallSnapshot>): CallSnapshot | undefined {
  const live = [...calls].filter((c) => c.state !== 'ringing' && c.state !== 'ended')
  // call waiting: the call in front is the one I have not put on hold
  return live.find((c) => !c.held) ?? live[0]
}

/** The tray for the app's state; `availability` is my presence (default Available). */
export function trayView(o: { session: SessionInfo; calls: CallSnapshot[]; windowVisible: boolean; availability?: MyAvailability; unread?: number }): TrayView {
  const { session, calls } = o
  const availability = o.availability ?? 'Online'
  const presence = PRESENCE_WORDS[availability]
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
    tooltip = `Parley — ${plainText(ringing.remote.name, 64)} is calling`
  } else if (active) {
    // in a call the pool shows me as Busy ("In a call"), unless I chose Do not disturb, which it keeps
    icon = availability === 'DoNotDisturb' ? 'dnd' : 'busy'
    tooltip = `Parley — in a call with ${active.conference ? 'a conference' : plainText(active.remote.name, 64)}${active.audioMuted ? ' (muted)' : ''}${availability === 'DoNotDisturb' ? ` · ${presence}` : ''}`
  } else if (signedIn) {
    icon = PRESENCE_ICON[availability]
    tooltip = `Parley — ${session.user?.name ? plainText(session.user.name, 64) : 'signed in'} · ${presence}`
  }
  // unread chat messages (issue #21) are counted in the tooltip while signed in
  if (signedIn && o.unread) tooltip += ` · ${o.unread} unread message${o.unread === 1 ? '' : 's'}`
  return {
    icon,
    tooltip,
    flashing: !!ringing,
    menu: [
      o.windowVisible ? { id: 'hide', label: 'Hide Parley', enabled: true } : { id: 'show', label: 'Show Parley', enabled: true },
      ...Object.entries(PRESENCE_ITEMS).map(([id, a]) => ({ id: id as PresenceItemId, label: PRESENCE_WORDS[a], enabled: signedIn, checked: signedIn && a === availability })),
      { id: 'mute', label: active?.audioMuted ? 'Unmute' : 'Mute', enabled: !!active },
      { id: 'hang-up', label: 'Hang up', enabled: !!active },
      { id: 'check-updates', label: 'Check for updates', enabled: true },
      { id: 'quit', label: 'Quit Parley', enabled: true },
    ],
  }
}
