// The contract's chats.* requests (preload/contract.ts), each a call into the session's ChatEngine (main/ucwa/chats.ts).
import type { ChatEngine } from '../ucwa/chats'
import type { Handlers } from './dispatcher'

/** chats.recent reads the call history's file: core.ts answers it */
type ChatHandlers = Pick<Handlers, Exclude<Extract<keyof Handlers, `chats.${string}`>, 'chats.recent'>>

export function chatHandlers(chats: ChatEngine): ChatHandlers {
  return {
    'chats.list': () => chats.list(),
    'chats.start': ({ to, text }) => chats.start(to, text),
    'chats.addToCall': ({ callId, text }) => chats.addToCall(callId, text),
    'chats.accept': async ({ chatId }) => (await chats.accept(chatId), null),
    'chats.decline': async ({ chatId }) => (await chats.decline(chatId), null),
    'chats.send': ({ chatId, text }) => chats.send(chatId, text),
    'chats.retry': async ({ chatId, messageId }) => (await chats.retry(chatId, messageId), null),
    'chats.typing': async ({ chatId }) => (await chats.typing(chatId), null),
    'chats.markRead': ({ chatId }) => (chats.markRead(chatId), null),
    'chats.close': async ({ chatId }) => (await chats.close(chatId), null),
    'chats.call': ({ chatId }) => chats.call(chatId),
  }
}
