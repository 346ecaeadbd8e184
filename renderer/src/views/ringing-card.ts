// What every ringing card (an incoming call, an invitation into a meeting) does while it shows: it rings, takes focus,
// shows a Web Notification in browser mode, and lets itself be answered once.
import { onBeforeUnmount, onMounted, ref, useTemplateRef, type Ref } from 'vue'
import { notifyIncoming, ring } from '../media/alerts'

/**
 * For a card's `<script setup>` whose root has `ref="dialog"`: rings from mount to unmount, focuses the dialog itself
 * (announced; Tab reaches the first button, and a key meant for the search box answers nothing), and in browser mode
 * shows `notification()` (Electron shows its own from main). `answer(act)` runs `act` only the first time (a double
 * click must not answer twice); `answered` then disables the buttons.
 */
export function useRingingCard(notification: () => { id: string; title: string; body: string }): { answered: Ref<boolean>; answer(act: () => Promise<void>): void } {
  const answered = ref(false)
  const dialog = useTemplateRef<HTMLElement>('dialog')
  let stopRing: () => void = () => {}
  let closeNotification: (() => void) | null = null
  onMounted(() => {
    stopRing = ring()
    dialog.value?.focus()
    if (!window.parleyBridge) closeNotification = notifyIncoming({ ...notification(), onClick: () => window.focus() })
  })
  onBeforeUnmount(() => {
    stopRing()
    closeNotification?.()
  })
  return {
    answered,
    answer(act) {
      if (answered.value) return
      answered.value = true
      void act()
    },
  }
}
