// One chat as the session keeps it (chats.ts): its conversation, its messaging modality, who it is with, what the
// person has read; and the snapshot (preload/contract.ts ChatSnapshot) the page shows of it.
import type { ChatMessage, ChatSnapshot, Person } from '../../preload/contract'
import type { Conversation } from './call/conversation'
import type { Messaging } from './messaging'

export interface Chat {
  readonly id: string
  /** its own until the pool names it; then the one at that href, shared with a call there (call/conversations.ts) */
  conversation: Conversation
  readonly messaging: Messaging
  readonly direction: ChatSnapshot['direction']
  remote: Person
  readonly startedAt: number
  /** incoming messages the person has seen */
  seen: number
  /** the call started from this chat (chat → video): shown beside it while it lasts */
  callId?: string
  /** the call the last snapshot named: a call starting or ending changes the chat's snapshot too */
  shownCall?: string
  /** whether the last snapshot named the conversation a conference (the call's escalation makes it one) */
  shownConference?: boolean
}

/** The chat as the page sees it, `callId` the live call in its conversation (or started from it). Learns the pool's
 *  name for an address the person typed once that person writes or types. */
export function chatSnapshot(chat: Chat, callId: string | undefined): ChatSnapshot {
  const m = chat.messaging.snapshot()
  if (chat.remote.name === chat.remote.uri.replace(/^sip:/, '')) {
    const named = [...m.messages.map((x) => x.author), ...m.typing].find((p) => p.uri === chat.remote.uri && p.name)
    if (named) chat.remote = { ...named }
  }
  return {
    id: chat.id,
    state: m.state,
    direction: chat.direction,
    remote: { ...chat.remote },
    messages: m.messages,
    typing: m.typing,
    unread: Math.max(0, incomingCount(m.messages) - chat.seen),
    ...(callId && { callId }),
    conference: chat.conversation.conferenced,
    ...(m.ended && { ended: m.ended }),
    startedAt: chat.startedAt,
    lastActivity: m.messages.at(-1)?.time ?? chat.startedAt,
  }
}

export function incomingCount(messages: ChatMessage[]): number {
  return messages.filter((x) => x.direction === 'incoming').length
}
