// When a new chat message raises a notification: the same rule for the desktop app (main/desktop/message-alerts.ts)
// and browser mode (Web Notifications, renderer/src/stores/chats.ts).
import type { Availability, ChatMessage, ChatSnapshot } from './contract'

/** Busy and Do not disturb keep new-message notifications quiet (the unread counts still show). */
export function quietFor(availability: Availability): boolean {
  return availability === 'DoNotDisturb' || availability === 'Busy'
}

/**
 * The incoming messages of `next` not in `known` (ids seen before), in order; `known` is updated. An invitation's
 * first message counts as new; messages already there when a chat is first seen count too (it was just made).
 */
export function newIncoming(next: ChatSnapshot, known: Set<string>): ChatMessage[] {
  const fresh = next.messages.filter((m) => m.direction === 'incoming' && !known.has(m.id))
  for (const m of fresh) known.add(m.id)
  return fresh
}

/** The notification for a new message: who wrote, what (plain text; HTML never reaches a notification). */
export function messageAlert(chat: ChatSnapshot, m: ChatMessage): { id: string; title: string; body: string } {
  return { id: `chat-${chat.id}`, title: m.author.name || chat.remote.name || m.author.uri.replace(/^sip:/, ''), body: m.content.text }
}
