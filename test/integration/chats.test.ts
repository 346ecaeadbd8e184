// Conversations with instant messages over the contract (main/ucwa/chats.ts through the core's chats.* requests and
// chats.changed events) against the simulator: a chat without a call, accepted or declined, unread counts, a failed
// delivery and its retry, typing, messaging added to a call (both sides in the call's conversation), a call started
// from a chat, each chat going on after the hang-up, and typing in a conference not taken for a member leaving.
import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { ChatEngine } from '../../main/ucwa/chats'
import type { CallSnapshot, ChatSnapshot, RequestInput, RequestName, RequestOutput } from '../../preload/contract'
import { startSimulator, type Simulator } from '../simulator/index'
import { connectedCall, engineUser, ringing } from '../support/engine-user'
import { weriftRenderer } from '../support/werift-renderer'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

const poll = { timeout: 15_000 }

async function user(name: string, historyDir: string | null = null, format?: 'xml') {
  const core: Core = await createCore({ host: 'browser', version: '1', tokenStore: new MemoryTokenStore(), settingsFile: null, historyDir, clockIntervalMs: 60_000, ucwa: { format, channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  cleanup.push(() => core.close())
  weriftRenderer(core, name)
  const chats = new Map<string, ChatSnapshot>()
  const calls = new Map<string, CallSnapshot>()
  core.events.subscribe((event, payload) => {
    if (event === 'chats.changed') chats.set((payload as ChatSnapshot).id, payload as ChatSnapshot)
    if (event === 'calls.changed') calls.set((payload as CallSnapshot).id, payload as CallSnapshot)
  })
  async function req<K extends RequestName>(method: K, input?: RequestInput<K>): Promise<RequestOutput<K>> {
    const r = await core.dispatch(method, input)
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
    return r.value as RequestOutput<K>
  }
  await req('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  const only = () => (chats.size === 1 ? [...chats.values()][0] : undefined)
  const texts = (id: string) => chats.get(id)?.messages.map((m) => `${m.direction} ${m.content.text} ${m.status}`)
  return { core, req, chats, calls, only, texts }
}

describe.each(['embedded', 'link-only'] as const)('chats over the contract (%s events)', (events) => {
  it('a chat without a call: the invitation with its first message, unread until read, replies, closed for both', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await user('alice'), await user('bob')]
    const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'Got a minute?' })
    expect(mine).toMatchObject({ direction: 'outgoing', remote: { uri: 'sip:bob@contoso.test' }, conference: false })
    expect(mine.callId).toBeUndefined()
    await expect.poll(() => bob.only()?.state, poll).toBe('invited')
    const theirs = bob.only()!
    expect(theirs).toMatchObject({ direction: 'incoming', remote: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, unread: 1 })
    expect(bob.texts(theirs.id)).toEqual(['incoming Got a minute? delivered'])

    await bob.req('chats.accept', { chatId: theirs.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')
    await expect.poll(() => alice.texts(mine.id), poll).toEqual(['outgoing Got a minute? delivered'])
    await bob.req('chats.markRead', { chatId: theirs.id })
    expect(bob.chats.get(theirs.id)!.unread).toBe(0)

    await bob.req('chats.send', { chatId: theirs.id, text: 'Sure' })
    await bob.req('chats.send', { chatId: theirs.id, text: 'What is it?' })
    await expect.poll(() => alice.chats.get(mine.id)?.unread, poll).toBe(2)
    // the pool's name for the address typed, once that person writes
    expect(alice.chats.get(mine.id)!.remote).toEqual({ name: 'Bob Brennan', uri: 'sip:bob@contoso.test' })
    expect(alice.texts(mine.id)).toEqual(['outgoing Got a minute? delivered', 'incoming Sure delivered', 'incoming What is it? delivered'])
    await alice.req('chats.markRead', { chatId: mine.id })
    expect(alice.chats.get(mine.id)!.unread).toBe(0)
    expect((await alice.req('chats.list')).map((c) => [c.id, c.unread])).toEqual([[mine.id, 0]])

    await alice.req('chats.close', { chatId: mine.id })
    await expect.poll(() => bob.chats.get(theirs.id)?.state, poll).toBe('ended')
    expect(bob.chats.get(theirs.id)!.ended).toMatchObject({ subcode: 'CallTerminated' })
    expect(alice.chats.get(mine.id)!.state).toBe('ended')
  }, 40_000)

  it('a declined chat ends Declined with its first message failed; bad input is refused before it reaches the pool', async () => {
    sim = await startSimulator({ events })
    const [alice, carol] = [await user('alice'), await user('carol')]
    const mine = await alice.req('chats.start', { to: 'sip:carol@contoso.test', text: 'lunch?' })
    await expect.poll(() => carol.only()?.state, poll).toBe('invited')
    await carol.req('chats.decline', { chatId: carol.only()!.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('ended')
    expect(alice.chats.get(mine.id)!.ended).toMatchObject({ code: 'RemoteFailure', subcode: 'Declined' })
    expect(alice.chats.get(mine.id)!.messages.map((m) => [m.status, m.failure?.subcode])).toEqual([['failed', 'Declined']])
    await expect(alice.req('chats.send', { chatId: mine.id, text: '' })).rejects.toMatchObject({ code: 'ValidationFailed' })
    await expect(alice.req('chats.start', { to: 'nobody', text: 'x' })).rejects.toMatchObject({ code: 'ValidationFailed' })
    await expect(alice.req('chats.send', { chatId: 'no-such-chat', text: 'x' })).rejects.toMatchObject({ code: 'NotFound' })
    await expect(alice.req('chats.send', { chatId: mine.id, text: 'x' })).rejects.toMatchObject({ code: 'Conflict' })
  }, 40_000)

  it('a message the pool fails to deliver shows the failure typed; retry delivers it; typing reaches the other side', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await user('alice'), await user('bob')]
    const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'hi' })
    await expect.poll(() => bob.only()?.state, poll).toBe('invited')
    const theirs = bob.only()!
    await bob.req('chats.accept', { chatId: theirs.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')

    await alice.req('chats.typing', { chatId: mine.id })
    await expect.poll(() => bob.chats.get(theirs.id)?.typing, poll).toEqual([{ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }])

    sim.control.failMessageDelivery('bob@contoso.test')
    const sent = await alice.req('chats.send', { chatId: mine.id, text: 'are you there?' })
    await expect.poll(() => alice.chats.get(mine.id)?.messages.find((m) => m.id === sent.id)?.status, poll).toBe('failed')
    expect(alice.chats.get(mine.id)!.messages.find((m) => m.id === sent.id)!.failure).toMatchObject({ code: 'RemoteFailure', subcode: 'DeliveryFailed' })
    await alice.req('chats.retry', { chatId: mine.id, messageId: sent.id })
    await expect.poll(() => bob.texts(theirs.id), poll).toEqual(['incoming hi delivered', 'incoming are you there? delivered'])
    await expect.poll(() => alice.chats.get(mine.id)?.messages.find((m) => m.id === sent.id)?.status, poll).toBe('delivered')
    expect(bob.chats.get(theirs.id)!.typing).toEqual([]) // the message ended the typing
  }, 40_000)

  it('messaging added to a call lives in the call\'s conversation on both sides and goes on after the hang-up', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await user('alice'), await user('bob')]
    const call = await alice.req('calls.start', { to: 'bob@contoso.test' })
    await expect.poll(() => [...bob.calls.values()].find((c) => c.state === 'ringing'), poll).toBeTruthy()
    const bobCall = [...bob.calls.values()].find((c) => c.state === 'ringing')!
    await bob.req('calls.accept', { callId: bobCall.id })
    await expect.poll(() => alice.calls.get(call.id)?.state, poll).toBe('connected')

    const mine = await alice.req('chats.addToCall', { callId: call.id, text: 'notes here' })
    expect(mine.callId).toBe(call.id)
    await expect.poll(() => bob.only()?.state, poll).toBe('invited')
    expect(bob.only()!.callId).toBe(bobCall.id) // the invitation came into the call's conversation
    await bob.req('chats.accept', { chatId: bob.only()!.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')
    // asking again from the call opens the same chat
    expect((await alice.req('chats.addToCall', { callId: call.id })).id).toBe(mine.id)

    await alice.req('calls.hangUp', { callId: call.id })
    await expect.poll(() => bob.calls.get(bobCall.id)?.state, poll).toBe('ended')
    await expect.poll(() => bob.only()?.callId, poll).toBeUndefined()
    await bob.req('chats.send', { chatId: bob.only()!.id, text: 'after the call' })
    await expect.poll(() => alice.texts(mine.id)?.at(-1), poll).toBe('incoming after the call delivered')
    expect(alice.chats.get(mine.id)).toMatchObject({ state: 'connected', messages: [{ content: { text: 'notes here' } }, { content: { text: 'after the call' } }] })
    expect(alice.chats.get(mine.id)!.callId).toBeUndefined()
  }, 60_000)

  it('chat → video → chat: the call is added to the chat\'s conversation on both sides (addAudioVideo) and the chat goes on after the hang-up', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await user('alice'), await user('bob')]
    const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'call?' })
    await expect.poll(() => bob.only()?.state, poll).toBe('invited')
    const theirs = bob.only()!
    await bob.req('chats.accept', { chatId: theirs.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')

    for (const round of [1, 2]) {
      const call = await alice.req('chats.call', { chatId: mine.id })
      expect(call.remote.uri).toBe('sip:bob@contoso.test')
      await expect.poll(() => alice.chats.get(mine.id)?.callId, poll).toBe(call.id)
      await expect(alice.req('chats.call', { chatId: mine.id })).rejects.toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
      await expect.poll(() => [...bob.calls.values()].find((c) => c.state === 'ringing'), poll).toBeTruthy()
      const ringing = [...bob.calls.values()].find((c) => c.state === 'ringing')!
      expect(ringing.remote).toEqual({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
      // the same conversation on Bob's side too: his chat names the call ringing in it
      await expect.poll(() => bob.chats.get(theirs.id)?.callId, poll).toBe(ringing.id)
      await bob.req('calls.accept', { callId: ringing.id })
      await expect.poll(() => alice.calls.get(call.id)?.state, poll).toBe('connected')
      await alice.req('chats.send', { chatId: mine.id, text: `during call ${round}` })
      // each call in the conversation starts with its own microphone: muting the first does not mute the second
      expect(alice.calls.get(call.id)!.audioMuted).toBe(false)
      await alice.req('calls.setMuted', { callId: call.id, audio: true })
      await expect.poll(() => alice.calls.get(call.id)?.audioMuted, poll).toBe(true)
      await alice.req('calls.hangUp', { callId: call.id })
      await expect.poll(() => bob.calls.get(ringing.id)?.state, poll).toBe('ended')
      expect(alice.chats.get(mine.id)!.callId).toBeUndefined()
      await expect.poll(() => bob.chats.get(theirs.id)?.callId, poll).toBeUndefined()
      await alice.req('chats.send', { chatId: mine.id, text: `after call ${round}` })
    }
    await expect.poll(() => bob.texts(theirs.id), poll).toEqual(['incoming call? delivered', 'incoming during call 1 delivered', 'incoming after call 1 delivered', 'incoming during call 2 delivered', 'incoming after call 2 delivered'])
    expect([alice.chats.get(mine.id)!.state, bob.chats.get(theirs.id)!.state]).toEqual(['connected', 'connected'])
  }, 60_000)

  it('chat → video → conference: the chat and the call share one conversation, so the chat is a conference the moment the call is', async () => {
    sim = await startSimulator({ events })
    const [alice, bob, carol] = [await user('alice'), await user('bob'), await user('carol')]
    const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'call?' })
    await expect.poll(() => bob.only()?.state, poll).toBe('invited')
    await bob.req('chats.accept', { chatId: bob.only()!.id })
    await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')
    const call = await alice.req('chats.call', { chatId: mine.id })
    await expect.poll(() => [...bob.calls.values()].find((c) => c.state === 'ringing'), poll).toBeTruthy()
    await bob.req('calls.accept', { callId: [...bob.calls.values()].find((c) => c.state === 'ringing')!.id })
    await expect.poll(() => alice.calls.get(call.id)?.state, poll).toBe('connected')
    expect(alice.chats.get(mine.id)!.conference).toBe(false)

    await alice.req('calls.addParticipant', { callId: call.id, to: 'carol@contoso.test' })
    await expect.poll(() => [...carol.calls.values()].find((c) => c.state === 'ringing'), poll).toBeTruthy()
    await carol.req('calls.accept', { callId: [...carol.calls.values()].find((c) => c.state === 'ringing')!.id })
    await expect.poll(() => alice.calls.get(call.id)?.state, poll).toBe('conference')
    // the Conferenced update reached the one conversation both hold: the chat names the conference too
    await expect.poll(() => alice.chats.get(mine.id)?.conference, poll).toBe(true)
    expect(alice.chats.get(mine.id)!.callId).toBe(call.id)
  }, 90_000)
})

it('in XML: a chat, its typing and replies, and audio/video added to it, read from XML resources and link-only events', async () => {
  sim = await startSimulator({ events: 'link-only' })
  const [alice, bob] = [await user('alice', null, 'xml'), await user('bob', null, 'xml')]
  const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'xml?' })
  await expect.poll(() => bob.only()?.state, poll).toBe('invited')
  const theirs = bob.only()!
  expect(theirs.remote).toEqual({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
  await bob.req('chats.accept', { chatId: theirs.id })
  await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')
  await bob.req('chats.typing', { chatId: theirs.id })
  await expect.poll(() => alice.chats.get(mine.id)?.typing.map((p) => p.uri), poll).toEqual(['sip:bob@contoso.test'])
  await bob.req('chats.send', { chatId: theirs.id, text: 'yes, see https://example.com' })
  await expect.poll(() => alice.texts(mine.id), poll).toEqual(['outgoing xml? delivered', 'incoming yes, see https://example.com delivered'])
  const call = await alice.req('chats.call', { chatId: mine.id })
  await expect.poll(() => bob.chats.get(theirs.id)?.callId, poll).toBeTruthy()
  await alice.req('calls.hangUp', { callId: call.id })
  await expect.poll(() => bob.chats.get(theirs.id)?.callId, poll).toBeUndefined()
  expect(bob.chats.get(theirs.id)!.state).toBe('connected')
}, 40_000)

it('a session lost with a chat in it ends the chat with the typed reason; signing out leaves the next person no chats', async () => {
  sim = await startSimulator({ events: 'link-only' })
  const [alice, bob] = [await user('alice'), await user('bob')]
  const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'hi' })
  await expect.poll(() => bob.only()?.state, poll).toBe('invited')
  await bob.req('chats.accept', { chatId: bob.only()!.id })
  await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('connected')
  sim.control.expireApplication('alice@contoso.test')
  await expect.poll(() => alice.chats.get(mine.id)?.state, poll).toBe('ended')
  expect(alice.chats.get(mine.id)!.ended).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/ended/) })
  await expect(alice.req('chats.send', { chatId: mine.id, text: 'still there?' })).rejects.toMatchObject({ code: 'Conflict' })
  await bob.req('session.signOut')
  expect(await bob.req('chats.list')).toEqual([])
}, 40_000)

it('the last conversations are kept with the call history: who, when and how many messages, never the text; a restart lists them', async () => {
  sim = await startSimulator()
  const dir = await mkdtemp(join(tmpdir(), 'parley-chats-'))
  const [alice, bob] = [await user('alice', dir), await user('bob')]
  const mine = await alice.req('chats.start', { to: 'bob@contoso.test', text: 'secret plans' })
  await expect.poll(() => bob.only()?.state, poll).toBe('invited')
  await bob.req('chats.accept', { chatId: bob.only()!.id })
  await expect.poll(() => bob.only()?.state, poll).toBe('connected')
  await bob.req('chats.send', { chatId: bob.only()!.id, text: 'tell me more' })
  await expect.poll(() => alice.chats.get(mine.id)?.messages.length, poll).toBe(2)
  await expect.poll(async () => (await alice.req('chats.recent')).map((c) => c.messages), poll).toEqual([2])
  await alice.core.close()

  const again = await user('alice', dir)
  const recent = await again.req('chats.recent')
  expect(recent).toEqual([{ id: mine.id, remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }, conference: false, startedAt: mine.startedAt, lastActivity: expect.any(Number), messages: 2 }])
  expect(await again.req('chats.list')).toEqual([]) // the chats themselves were the session's
  const files = await readdir(dir)
  const text = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('')
  expect(text).toContain('sip:bob@contoso.test')
  expect(text).not.toMatch(/secret plans|tell me more/)
  await again.req('session.signOut')
  expect(await again.req('chats.recent')).toEqual([]) // nobody signed in: nobody's conversations
}, 40_000)

it('typing in a conference is not taken for a member leaving the roster', async () => {
  sim = await startSimulator({ events: 'link-only' })
  const [a, b, c] = [await engineUser(sim, 'alice', cleanup), await engineUser(sim, 'bob', cleanup), await engineUser(sim, 'carol', cleanup)]
  const chats = [a, b, c].map((u) => new ChatEngine(u.client, u.engine))
  const { callId, calleeCallId } = await connectedCall(a, b, 'bob@contoso.test')
  await a.engine.addParticipant(callId, 'carol@contoso.test')
  await expect.poll(() => ringing(c), poll).toBeTruthy()
  await c.engine.accept(ringing(c)!.id)
  await expect.poll(() => a.engine.get(callId)?.participants.length, { timeout: 30_000 }).toBe(2)
  const carolCall = c.engine.list()[0]!.id
  const [aliceChat, , carolChat] = [await chats[0]!.addToCall(callId), await chats[1]!.addToCall(calleeCallId), await chats[2]!.addToCall(carolCall)]
  await expect.poll(() => chats[0]!.get(aliceChat.id)?.state, poll).toBe('connected')
  await expect.poll(() => chats[2]!.get(carolChat.id)?.state, poll).toBe('connected')
  expect(chats[0]!.get(aliceChat.id)).toMatchObject({ conference: true, callId })

  await chats[2]!.typing(carolChat.id)
  await expect.poll(() => chats[0]!.get(aliceChat.id)?.typing.map((p) => p.uri), poll).toEqual(['sip:carol@contoso.test'])
  await chats[2]!.send(carolChat.id, 'hello all') // ends carol's typing: a participant deleted event in typingParticipants
  await expect.poll(() => chats[0]!.get(aliceChat.id)?.typing, poll).toEqual([])
  expect(chats[0]!.get(aliceChat.id)!.messages.map((m) => `${m.author.uri} ${m.content.text}`)).toEqual(['sip:carol@contoso.test hello all'])
  expect(a.engine.get(callId)!.participants.map((p) => p.uri).sort()).toEqual(['sip:bob@contoso.test', 'sip:carol@contoso.test'])
}, 90_000)

it('messages in a conference are everyone\'s: the members join its IM when one starts it, and so does one who joins later', async () => {
  sim = await startSimulator({ events: 'link-only' })
  const users = [await engineUser(sim, 'alice', cleanup), await engineUser(sim, 'bob', cleanup), await engineUser(sim, 'carol', cleanup), await engineUser(sim, 'dave', cleanup)]
  const [a, b, c, d] = users
  const [aliceChats, bobChats, carolChats, daveChats] = users.map((u) => new ChatEngine(u.client, u.engine))
  const { callId } = await connectedCall(a!, b!, 'bob@contoso.test')
  await a!.engine.addParticipant(callId, 'carol@contoso.test')
  await expect.poll(() => ringing(c!), poll).toBeTruthy()
  await c!.engine.accept(ringing(c!)!.id)
  await expect.poll(() => a!.engine.get(callId)?.participants.length, { timeout: 30_000 }).toBe(2)

  const mine = await aliceChats!.addToCall(callId)
  // nobody but Alice asked: Bob and Carol are in the conference's chat and read what she writes there
  for (const chats of [bobChats!, carolChats!]) await expect.poll(() => chats.list().map((x) => `${x.state} ${x.conference}`), poll).toEqual(['connected true'])
  await aliceChats!.send(mine.id, 'hello all')
  for (const chats of [bobChats!, carolChats!]) {
    await expect.poll(() => chats.list()[0]!.messages.map((m) => `${m.author.uri} ${m.content.text}`), poll).toEqual(['sip:alice@contoso.test hello all'])
    expect(chats.list()[0]!.unread).toBe(1)
  }
  await carolChats!.send(carolChats!.list()[0]!.id, 'hi!')
  await expect.poll(() => aliceChats!.get(mine.id)?.messages.at(-1)?.content.text, poll).toBe('hi!')
  await expect.poll(() => bobChats!.list()[0]!.messages.at(-1)?.content.text, poll).toBe('hi!')
  expect(aliceChats!.list()).toHaveLength(1) // her own participantMessaging did not make her join twice

  // Dave joins a conference whose chat is going: he is in it at once
  await a!.engine.addParticipant(callId, 'dave@contoso.test')
  await expect.poll(() => ringing(d!), poll).toBeTruthy()
  await d!.engine.accept(ringing(d!)!.id)
  await expect.poll(() => daveChats!.list().map((x) => `${x.state} ${x.conference}`), { timeout: 30_000 }).toEqual(['connected true'])
  await bobChats!.send(bobChats!.list()[0]!.id, 'welcome dave')
  await expect.poll(() => daveChats!.list()[0]!.messages.map((m) => `${m.author.uri} ${m.content.text}`), poll).toEqual(['sip:bob@contoso.test welcome dave'])
  for (const chats of [aliceChats!, bobChats!, carolChats!, daveChats!]) expect(chats.list()).toHaveLength(1)
}, 120_000)
