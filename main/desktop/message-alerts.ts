// A notification for a new chat message while the window is not focused (issue #21); Busy and Do not disturb keep
// it quiet. Clicking it shows the window with that chat. The text goes through notification-text.ts like every alert's.
import { messageAlert, newIncoming, quietFor } from '../../preload/chat-alerts'
import type { Availability, ChatSnapshot } from '../../preload/contract'
import type { Notifier } from './incoming-alerts'

export interface MessageAlertDeps {
  notifier: Pick<Notifier, 'info'>
  /** the main window has the focus: the person sees the message already */
  focused(): boolean
  availability(): Availability
  /** the notification was clicked: the window comes forward with that chat */
  open(chatId: string): void
}

export class MessageAlerts {
  /** chat id → ids of its incoming messages already seen */
  readonly #known = new Map<string, Set<string>>()

  constructor(private readonly deps: MessageAlertDeps) {}

  /** Feed every chats.changed snapshot. */
  update(chat: ChatSnapshot): void {
    const known = this.#known.get(chat.id) ?? new Set<string>()
    this.#known.set(chat.id, known)
    const fresh = newIncoming(chat, known)
    const last = fresh.at(-1)
    if (!last || this.deps.focused() || quietFor(this.deps.availability())) return
    this.deps.notifier.info(messageAlert(chat, last), { open: () => this.deps.open(chat.id) })
  }
}
