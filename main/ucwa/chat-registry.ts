// The session's chats (chats.ts) found by id and by their conversation's href, each conversation shared with a call there
// (call/conversations.ts: one Conversation per conversation link).
import { randomUUID } from 'node:crypto'
import type { Person } from '../../preload/contract'
import type { Chat } from './chat'
import type { Conversation } from './call/conversation'
import type { Conversations } from './call/conversations'
import { UcwaError } from './errors'
import type { Messaging } from './messaging'

export class ChatRegistry {
  readonly #chats = new Map<string, Chat>()
  /** conversation href → its latest chat (an ended one may be followed by a new addMessaging) */
  readonly #byConversation = new Map<string, Chat>()

  constructor(
    private readonly conversations: () => Conversations,
    private readonly now: () => number,
  ) {}

  /** every chat, in the order they were made */
  values(): IterableIterator<Chat> {
    return this.#chats.values()
  }

  get(id: string): Chat | undefined {
    return this.#chats.get(id)
  }

  has(id: string): boolean {
    return this.#chats.has(id)
  }

  /** The chat `id`, or UcwaError NotFound when it is no longer here (signed out since). */
  need(id: string): Chat {
    const chat = this.#chats.get(id)
    if (!chat) throw new UcwaError({ status: 0, code: 'NotFound', message: 'That conversation is no longer here.' })
    return chat
  }

  /** the latest chat in the conversation at `href` */
  inConversation(href: string | undefined): Chat | undefined {
    return href ? this.#byConversation.get(href) : undefined
  }

  /** A new chat (a new id, started now) with `messaging` in `conversation`. */
  register(conversation: Conversation, direction: Chat['direction'], remote: Person, messaging: Messaging): Chat {
    const chat: Chat = { id: randomUUID(), conversation, messaging, direction, remote, startedAt: this.now(), seen: 0 }
    conversation.messaging = messaging
    this.#chats.set(chat.id, chat)
    return chat
  }

  /** `chat` is the one in the conversation at `href` (addMessaging, before the pool names the messaging's conversation). */
  place(href: string, chat: Chat): void {
    this.#byConversation.set(href, chat)
  }

  /** Files the chat under its conversation's href once the pool named it, sharing the Conversation with a call there. */
  index(chat: Chat): void {
    const href = chat.messaging.conversationHref
    if (!href || this.#byConversation.get(href) === chat) return
    this.#byConversation.set(href, chat)
    // one Conversation per href (call/conversations.ts): a call added to this chat finds this one
    const shared = this.conversations().adopt(chat.conversation, href)
    if (shared === chat.conversation) return
    shared.messaging = chat.messaging
    chat.conversation = shared
  }

  /** Forgets every chat (signed out), its conversation released. */
  clear(): void {
    for (const chat of this.#chats.values()) this.conversations().release(chat.conversation)
    this.#chats.clear()
    this.#byConversation.clear()
  }
}
