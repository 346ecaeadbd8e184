// The signed-in account's call history and last conversations (call-history.ts), kept in step with the session: switched
// with the account, each call and chat added when it ends, the chats still going saved when the session ends or Parley quits.
import type { PastConversation } from '../../preload/contract'
import type { CallEngine } from '../ucwa/calls'
import type { ChatEngine } from '../ucwa/chats'
import type { UcwaClient } from '../ucwa/client'
import { CallHistoryStore, withConversations } from './call-history'
import { ConversationRecorder } from './conversation-record'
import type { EventHub } from './event-hub'
import { HistoryRecorder } from './history-entry'

export interface HistorySync {
  readonly store: CallHistoryStore
  /** the account's last conversations, saved and still going (not saved until they end), newest activity first */
  conversations(): PastConversation[]
  /** resolves once every account switch and write asked for so far is done */
  settled(): Promise<void>
  /** Quitting: the chats still going are saved; resolves once everything is written. */
  close(): Promise<void>
}

/** `dir`: the data folder's history folder (null: memory). Emits history.changed and chats.past as the history changes. */
export function syncHistory(deps: { client: UcwaClient; calls: CallEngine; chats: ChatEngine; events: EventHub; dir: string | null; log: (message: string, error?: unknown) => void }): HistorySync {
  const { client, events, log } = deps
  const store = new CallHistoryStore(deps.dir)
  const recorder = new HistoryRecorder()
  const conversations = new ConversationRecorder()
  const owner = () => (client.state === 'signed-in' || client.state === 'reconnecting' ? (client.me?.uri ?? null) : null)
  // one chain: each switch waits for the writes before it, so a quick sign-out and in reads and writes the right account's file
  let chain: Promise<void> = Promise.resolve()
  const then = (step: () => Promise<void>) => (chain = chain.then(step))
  const saveConversations = (list: PastConversation[]) =>
    store.addConversations(list).then(
      () => {
        if (list.length > 0) events.emit('chats.past', store.conversations)
      },
      (e) => log('could not save the conversation history', e),
    )

  client.on('state', () => {
    // the session is over (signing out, lost, replaced): its chats still going go to its account before the switch
    const going = owner() === null ? conversations.takeGoing() : []
    then(async () => {
      await saveConversations(going)
      const account = owner()
      if (account === null && client.state === 'reconnecting') return
      const before = JSON.stringify(store.current)
      const pastBefore = JSON.stringify(store.conversations)
      await store.open(account).catch((e) => log('could not read the call history', e))
      if (JSON.stringify(store.current) !== before) events.emit('history.changed', store.current)
      if (JSON.stringify(store.conversations) !== pastBefore) events.emit('chats.past', store.conversations)
    })
  })
  deps.calls.onChange((s) => {
    const entry = recorder.observe(s, Date.now())
    if (!entry) return
    then(() =>
      store.add(entry).then(
        (h) => events.emit('history.changed', h),
        (e) => log('could not save the call history', e),
      ),
    )
  })
  deps.chats.onChange((s) => {
    const past = conversations.observe(s)
    if (past) then(() => saveConversations([past]))
  })

  return {
    store,
    conversations: () => withConversations(store.conversations, conversations.going),
    settled: () => chain,
    close: () => {
      const going = conversations.takeGoing()
      return then(() => saveConversations(going))
    },
  }
}
