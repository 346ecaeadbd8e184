// In-app keyboard shortcuts, the ones meeting clients use (Teams, Skype for Business: Ctrl+Shift+letter; ⌘ on macOS).
export type ShortcutAction = 'mute' | 'camera' | 'hang-up' | 'accept-video' | 'accept-audio' | 'decline'

export interface Shortcut {
  action: ShortcutAction
  /** the letter pressed with Ctrl (⌘) and Shift */
  key: string
  /** what it does, as the shortcut list says it */
  label: string
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'mute', key: 'M', label: 'Mute or unmute' },
  { action: 'camera', key: 'O', label: 'Camera on or off' },
  { action: 'hang-up', key: 'H', label: 'Hang up' },
  { action: 'accept-video', key: 'A', label: 'Accept with video' },
  { action: 'accept-audio', key: 'S', label: 'Accept with audio only' },
  { action: 'decline', key: 'D', label: 'Decline' },
]

export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>

/** how a shortcut reads on this platform: "Ctrl+Shift+M", or "⌘⇧M" on macOS */
export function keysOf(s: Shortcut, mac: boolean): string {
  return mac ? `⌘⇧${s.key}` : `Ctrl+Shift+${s.key}`
}

/** The action a key press asks for, or null. The letter is read from `code` too, so a non-Latin layout works. */
export function shortcutFor(e: KeyLike, mac: boolean): ShortcutAction | null {
  const command = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey
  if (!command || !e.shiftKey || e.altKey) return null
  const letter = /^Key([A-Z])$/.exec(e.code)?.[1] ?? e.key.toUpperCase()
  return SHORTCUTS.find((s) => s.key === letter)?.action ?? null
}
