// What the call history keeps of a chat (issue #21): who, when and how many messages — never their text — saved when
// a message comes or goes or the chat ends, not for typing or delivery updates.
import type { ChatSnapshot, PastConversation } from '../../preload/contract'

export class ConversationRecorder {
  /** chat id → what was saved last (message count and state) */
  readonly #saved = new Map<string, string>()

  /** The entry to save for this snapshot, or null when nothing worth keeping changed (or it has no messages). */
  observe(s: ChatSnapshot): PastConversation | null {
    const key = `${s.messages.length} ${s.state === 'ended'}`
    if (!s.messages.length || this.#saved.get(s.id) === key) return null
    this.#saved.set(s.id, key)
    return { id: s.id, remote: { ...s.remote }, conference: s.conference, startedAt: s.startedAt, lastActivity: s.lastActivity, messages: s.messages.length }
  }
}
