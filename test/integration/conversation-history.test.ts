// The last conversations kept with the call history (issue #21) are written when a chat ends, not with each message; a chat
// still going when the person signs out or Parley quits is kept too. Alice's whole core against the simulator, Bob a client.
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CallHistoryStore } from '../../main/core/call-history'
import { createCore, type Core } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import type { ChatSnapshot, RequestInput, RequestName, RequestOutput } from '../../preload/contract'
import { startSimulator, type Simulator } from '../simulator/index'
import { chatUser } from '../support/chat-user'
import { closeAfterEach } from '../support/close-after-each'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

const poll = { timeout: 15_000 }
const N = 6

/** Alice's core, signed in, with her history in a fresh folder; Bob's chat to her accepted, with N messages in all */
async function chatOfSixMessages() {
  sim = await startSimulator()
  const dir = await mkdtemp(join(tmpdir(), 'parley-conversations-'))
  const core: Core = await createCore({ host: 'browser', version: '1', tokenStore: new MemoryTokenStore(), settingsFile: null, historyDir: dir, clockIntervalMs: 60_000, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  let closed = false
  cleanup.push(() => (closed ? Promise.resolve() : core.close()))
  const chats = new Map<string, ChatSnapshot>()
  core.events.subscribe((event, payload) => event === 'chats.changed' && chats.set((payload as ChatSnapshot).id, payload as ChatSnapshot))
  async function req<K extends RequestName>(method: K, input?: RequestInput<K>): Promise<RequestOutput<K>> {
    const r = await core.dispatch(method, input)
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
    return r.value as RequestOutput<K>
  }
  await req('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
  const bob = await chatUser(sim, 'bob', cleanup)
  const theirs = bob.chat()
  await theirs.start('sip:alice@contoso.test', 'message 1')
  await expect.poll(() => [...chats.values()][0]?.state, poll).toBe('invited')
  const chat = [...chats.values()][0]!
  await req('chats.accept', { chatId: chat.id })
  await expect.poll(() => theirs.snapshot().state, poll).toBe('connected')
  for (let i = 2; i <= N - 1; i++) await theirs.send(`message ${i}`)
  await req('chats.send', { chatId: chat.id, text: `message ${N}` })
  await expect.poll(() => chats.get(chat.id)?.messages.filter((m) => m.status === 'delivered').length, poll).toBe(N)
  const saved = async () => {
    const store = new CallHistoryStore(dir) // what the next start reads
    await store.open('sip:alice@contoso.test')
    return store.conversations.map((c) => ({ id: c.id, remote: c.remote.uri, messages: c.messages }))
  }
  const quit = async () => ((closed = true), await core.close())
  return { core, req, dir, chatId: chat.id, theirs, saved, quit }
}

describe('conversations in the call history', () => {
  it('a chat of several messages writes nothing while it goes on, and is kept once it ends', async () => {
    const { req, dir, chatId, saved } = await chatOfSixMessages()
    expect(await readdir(dir)).toEqual([]) // no write for any of the six messages
    await req('chats.close', { chatId })
    await expect.poll(saved, poll).toEqual([{ id: chatId, remote: 'sip:bob@contoso.test', messages: N }])
    expect(await readdir(dir)).toHaveLength(1)
  }, 40_000)

  it('a chat still going when Parley quits is kept', async () => {
    const { dir, chatId, saved, quit } = await chatOfSixMessages()
    expect(await readdir(dir)).toEqual([])
    await quit()
    expect(await saved()).toEqual([{ id: chatId, remote: 'sip:bob@contoso.test', messages: N }])
  }, 40_000)

  it('a chat still going when the person signs out is kept in their history', async () => {
    const { req, chatId, saved } = await chatOfSixMessages()
    await req('session.signOut')
    await expect.poll(saved, poll).toEqual([{ id: chatId, remote: 'sip:bob@contoso.test', messages: N }])
  }, 40_000)
})
