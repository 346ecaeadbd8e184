// The session's conversations by href (conversation_ref.md): one Conversation per conversation link, shared by the
// call (audio/video) and the chat (messaging) in it, whichever of them the pool named it to first.
import type { Conversation } from './conversation'

export class Conversations {
  readonly #byHref = new Map<string, Conversation>()

  /** The conversation at `href`, if a call or a chat holds one there. */
  at(href: string | undefined): Conversation | undefined {
    return href === undefined ? undefined : this.#byHref.get(href)
  }

  /** Names `conversation` by `href`; when one is already there, that one is returned and is to be used instead. */
  adopt(conversation: Conversation, href: string): Conversation {
    const known = this.#byHref.get(href)
    if (known) return known
    conversation.href = href
    this.#byHref.set(href, conversation)
    return conversation
  }

  /** Forgets the conversation once neither a call nor a live chat holds it (a later chat or call makes a new one). */
  release(conversation: Conversation): void {
    if (conversation.audioVideo || (conversation.messaging && conversation.messaging.machine.state !== 'ended')) return
    if (conversation.href && this.#byHref.get(conversation.href) === conversation) this.#byHref.delete(conversation.href)
  }

  clear(): void {
    this.#byHref.clear()
  }
}
