// Wires the shortcuts to the call in front: the incoming one for accept/decline, the active one for the rest.
import type { CallSnapshot } from '../../../preload/contract'
import { media } from '../media/engine'
import { useAppStore } from '../stores/app'
import { useCallsStore } from '../stores/calls'
import { shortcutFor, type KeyLike, type ShortcutAction } from './shortcuts'

export const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)

/** In a two-person call the camera is renegotiated out of the call; in a conference it is stopped (the server is told); a call without video: nothing. */
export function toggleCamera(call: CallSnapshot): void {
  if (call.videoUnavailable) return // no video either way in this call: the camera is not offered
  if (call.state === 'connected' && !call.conference) void useCallsStore().change(call.id, media.state.cameraOn ? 'video-off' : 'video-on')
  else void media.setCamera(!media.state.cameraOn)
}

/** calls already answered or declined by a key: a held-down or repeated key answers once */
const answered = new Set<string>()

/** Does what a shortcut asks; returns whether there was something to do (the key is then the app's). */
export function runShortcut(action: ShortcutAction): boolean {
  const calls = useCallsStore()
  const incoming = calls.incoming
  const active = calls.active
  switch (action) {
    case 'mute':
      // the installed app's global shortcut (Ctrl/Cmd+Shift+M) already mutes, from any window: not twice
      if (!active || useAppStore().info?.host === 'electron') return false
      media.setMicrophone(!media.state.microphoneOn)
      return true
    case 'camera':
      if (!active) return false
      toggleCamera(active)
      return true
    case 'hang-up':
      if (!active) return false
      void calls.hangUp(active.id)
      return true
    case 'accept-video':
    case 'accept-audio':
    case 'decline':
      if (!incoming) return false
      if (!answered.has(incoming.id)) {
        answered.add(incoming.id)
        void (action === 'decline' ? calls.decline(incoming.id) : calls.accept(incoming.id, action === 'accept-video'))
      }
      return true
  }
}

/** Listens on the window; returns the function that stops listening. */
export function installCallKeys(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    const action = shortcutFor(e as KeyLike, isMac())
    if (action && runShortcut(action)) e.preventDefault()
  }
  target.addEventListener('keydown', onKey)
  return () => target.removeEventListener('keydown', onKey)
}
