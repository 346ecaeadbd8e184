// What the call history keeps of a chat (issue #21): who, when and how many messages — never their text. A chat is saved
// once, when it ends; one still going is saved when the session does (sign-out, a lost session, quitting), not per message.
import type { ChatSnapshot, PastConversation } from '../../preload/contract'

export class ConversationRecorder {
  /** chat id → its newest entry, not saved yet: a chat still going */
  readonly #going = new Map<string, PastConversation>()
  /** chat id → how many messages it had when it was saved as ended */
  readonly #ended = new Map<string, number>()

  /** The entry to save now: a chat with messages that just ended (with more than it was saved with); else null. */
  observe(s: ChatSnapshot): PastConversation | null {
    if (!s.messages.length) return null
    const entry = { id: s.id, remote: { ...s.remote }, conference: s.conference, startedAt: s.startedAt, lastActivity: s.lastActivity, messages: s.messages.length }
    if (s.state !== 'ended') {
      this.#going.set(s.id, entry)
      return null
    }
    this.#going.delete(s.id)
    if (this.#ended.get(s.id) === entry.messages) return null
    this.#ended.set(s.id, entry.messages)
    return entry
  }

  /** The chats still going that have messages, as they are now (not saved yet). */
  get going(): PastConversation[] {
    return [...this.#going.values()]
  }

  /** The chats still going that have messages, to save as they are now (the session ends); they are no longer pending. */
  takeGoing(): PastConversation[] {
    const going = [...this.#going.values()]
    this.#going.clear()
    return going
  }
}
