// The messaging modality (main/ucwa/messaging.ts) against the simulator, in both event modes: chat both ways, a
// declined chat, a message the pool fails to deliver (and its retry), typing both ways, messaging added to a call,
// a conference chat reaching everyone, and hostile HTML from another client sanitised.
import { describe, expect, it } from 'vitest'
import type { Messaging } from '../../main/ucwa/messaging'
import { link } from '../../main/ucwa/resource'
import { chatUser, type ChatUser } from '../support/chat-user'
import { closeAfterEach } from '../support/close-after-each'
import { connectedCall, engineUser, ringing } from '../support/engine-user'
import { startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

const poll = { timeout: 10_000 }
const texts = (u: ChatUser, i = 0) => (u.chats[i]?.snapshot().messages ?? []).map((m) => `${m.direction} ${m.author.uri} ${m.content.format === 'html' ? m.content.html : m.content.text} ${m.status}`)

/** alice starts a chat with bob, who accepts: both connected */
async function chatting(alice: ChatUser, bob: ChatUser, first = 'Got a minute?') {
  const mine = alice.chat()
  await mine.start('sip:bob@contoso.test', first)
  await expect.poll(() => bob.invited().length, poll).toBe(1)
  const theirs = bob.invited()[0]!
  await theirs.accept()
  await expect.poll(() => mine.snapshot().state, poll).toBe('connected')
  await expect.poll(() => theirs.snapshot().state, poll).toBe('connected')
  return { mine, theirs }
}

/** the href a conversation's messaging offers for `rel` now (as any other client would find it) */
async function messagingLink(u: ChatUser, conversation: string, rel: string): Promise<string> {
  const c = await u.client.http.get(conversation)
  return link(await u.client.http.get(link(c, 'messaging')!), rel)!
}

describe.each(['embedded', 'link-only'] as const)('messaging (%s events)', (events) => {
  it('chat both ways: a first message with the invitation, replies, text with a link sent as HTML', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup), await chatUser(sim, 'bob', cleanup)]
    const { mine, theirs } = await chatting(alice, bob)
    expect(theirs.snapshot().from).toEqual({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
    await expect.poll(() => texts(alice), poll).toEqual(['outgoing sip:alice@contoso.test Got a minute? delivered'])
    expect(texts(bob)).toEqual(['incoming sip:alice@contoso.test Got a minute? delivered'])

    await theirs.send('Sure')
    await expect.poll(() => texts(alice).at(-1), poll).toBe('incoming sip:bob@contoso.test Sure delivered')
    expect(mine.snapshot().messages.at(-1)!.author.name).toBe('Bob Brennan')
    await mine.send('see https://example.com/a?b=1&c=2 <now>')
    const html = 'see <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a> &lt;now&gt;'
    await expect.poll(() => texts(bob).at(-1), poll).toBe(`incoming sip:alice@contoso.test ${html} delivered`)
    await expect.poll(() => texts(alice).at(-1), poll).toBe(`outgoing sip:alice@contoso.test ${html} delivered`)

    await mine.stop()
    expect(mine.snapshot().state).toBe('ended')
    await expect.poll(() => theirs.snapshot().state, poll).toBe('ended')
    expect(theirs.snapshot().ended).toMatchObject({ subcode: 'CallTerminated' })
  }, 30_000)

  it('a declined chat ends with Declined and its first message is shown failed', async () => {
    sim = await startSimulator({ events })
    const [alice, carol] = [await chatUser(sim, 'alice', cleanup), await chatUser(sim, 'carol', cleanup)]
    const mine = alice.chat()
    await mine.start('sip:carol@contoso.test', 'lunch?')
    await expect.poll(() => carol.invited().length, poll).toBe(1)
    await carol.invited()[0]!.decline()
    expect(carol.invited()[0]!.snapshot().state).toBe('ended')
    await expect.poll(() => mine.snapshot().state, poll).toBe('ended')
    expect(mine.snapshot().ended).toMatchObject({ code: 'RemoteFailure', subcode: 'Declined' })
    expect(mine.snapshot().messages.map((m) => m.status)).toEqual(['failed'])
    await expect(carol.invited()[0]!.accept()).rejects.toMatchObject({ code: 'IllegalTransition' })
    // each transition logged, never the message text
    expect(alice.log.map((l) => l.replace(/^messaging \S+: /, ''))).toEqual(['idle → inviting', 'inviting → ended'])
    expect(carol.log.map((l) => l.replace(/^messaging \S+: /, ''))).toEqual(['idle → invited', 'invited → ended'])
    expect([...alice.log, ...carol.log].join('\n')).not.toContain('lunch')
  }, 30_000)

  it('a chat to someone not signed in ends Unreachable; a bad address is refused with the pool\'s typed error', async () => {
    sim = await startSimulator({ events })
    const alice = await chatUser(sim, 'alice', cleanup)
    const mine = alice.chat()
    await mine.start('sip:dave@contoso.test', 'anyone?')
    await expect.poll(() => mine.snapshot().state, poll).toBe('ended')
    expect(mine.snapshot().ended).toMatchObject({ code: 'RemoteFailure', subcode: 'Unreachable' })
    expect(mine.snapshot().messages.map((m) => m.status)).toEqual(['failed'])
    const bad = alice.chat()
    await expect(bad.start('not an address')).rejects.toMatchObject({ status: 400, subcode: 'ParameterValidationFailure' })
    expect(bad.snapshot()).toMatchObject({ state: 'ended', ended: { subcode: 'ParameterValidationFailure' } })
    await expect(bad.send('x')).rejects.toMatchObject({ status: 409, code: 'Conflict' })
  }, 30_000)

  it('the echo contact accepts and sends each message back', async () => {
    sim = await startSimulator({ events })
    const alice = await chatUser(sim, 'alice', cleanup)
    const mine = alice.chat()
    await mine.start('sip:echo@contoso.test', 'ping')
    await expect.poll(() => mine.snapshot().state, poll).toBe('connected')
    await mine.send('pong?')
    await expect.poll(() => texts(alice).filter((t) => t.startsWith('incoming')), poll).toEqual([
      'incoming sip:echo@contoso.test ping delivered',
      'incoming sip:echo@contoso.test pong? delivered',
    ])
  }, 30_000)

  it('a message the pool fails to deliver is shown failed with the reason; retry delivers it once', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup), await chatUser(sim, 'bob', cleanup)]
    const { mine } = await chatting(alice, bob)
    sim.control.failMessageDelivery('bob@contoso.test')
    const sent = await mine.send('are you there?')
    await expect.poll(() => mine.snapshot().messages.find((m) => m.id === sent.id)?.status, poll).toBe('failed')
    expect(mine.snapshot().messages.find((m) => m.id === sent.id)!.failure).toMatchObject({ code: 'RemoteFailure', subcode: 'DeliveryFailed' })
    expect(texts(bob)).toEqual(['incoming sip:alice@contoso.test Got a minute? delivered'])
    await mine.retry(sent.id)
    await expect.poll(() => mine.snapshot().messages.find((m) => m.id === sent.id)?.status, poll).toBe('delivered')
    await expect.poll(() => texts(bob).filter((t) => t.includes('are you there?')), poll).toEqual(['incoming sip:alice@contoso.test are you there? delivered'])
    expect(mine.snapshot().messages).toHaveLength(2) // the same message, not a second one
  }, 30_000)

  it('typing both ways: shown to the other side, throttled, cleared by the message', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup), await chatUser(sim, 'bob', cleanup)]
    const { mine, theirs } = await chatting(alice, bob)
    expect(await mine.typing()).toBe(true)
    expect(await mine.typing()).toBe(false) // within TYPING_REFRESH_MS: not sent again
    await expect.poll(() => theirs.snapshot().typing, poll).toEqual([{ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }])
    await mine.send('typed')
    await expect.poll(() => theirs.snapshot().typing, poll).toEqual([])
    expect(await theirs.typing()).toBe(true)
    await expect.poll(() => mine.snapshot().typing.map((p) => p.uri), poll).toEqual(['sip:bob@contoso.test'])
  }, 30_000)

  it('hostile HTML from another client is sanitised: no script, handler or javascript: link survives', async () => {
    sim = await startSimulator({ events })
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup), await chatUser(sim, 'bob', cleanup)]
    const { mine, theirs } = await chatting(alice, bob)
    const send = await messagingLink(bob, theirs.snapshot().conversation!, 'sendMessage')
    const hostile = '<b>bold</b><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a><a href="https://ok.example/">ok</a><style>*{}</style>'
    await bob.client.http.post(send, hostile, { type: 'html', query: { operationId: 'raw' } })
    await expect.poll(() => mine.snapshot().messages.length, poll).toBe(2)
    const got = mine.snapshot().messages[1]!
    expect(got.content).toEqual({ format: 'html', html: '<b>bold</b><a>x</a><a href="https://ok.example/">ok</a>', text: 'boldxok' })
  }, 30_000)

  it('messaging added to a running call reaches the other side, who accepts; the chat outlives the call', async () => {
    sim = await startSimulator({ events })
    const [a, b] = [await engineUser(sim, 'alice', cleanup), await engineUser(sim, 'bob', cleanup)]
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup, a.client), await chatUser(sim, 'bob', cleanup, b.client)]
    const { callId, calleeCallId } = await connectedCall(a, b, 'bob@contoso.test')
    const list = await a.client.http.get(a.client.communicationLink('conversations'))
    const conversation = list.embedded.conversation![0]!.href
    const mine = alice.chat()
    await mine.add(conversation, 'notes in chat')
    await expect.poll(() => bob.invited().length, poll).toBe(1)
    await bob.invited()[0]!.accept()
    await expect.poll(() => mine.snapshot().state, poll).toBe('connected')
    expect(texts(bob)).toEqual(['incoming sip:alice@contoso.test notes in chat delivered'])
    await bob.invited()[0]!.send('got them')
    await expect.poll(() => texts(alice).at(-1), poll).toBe('incoming sip:bob@contoso.test got them delivered')
    // hanging up ends audio/video, not the chat
    await a.engine.hangUp(callId)
    await expect.poll(() => b.last((s) => s.id === calleeCallId)?.state, poll).toBe('ended')
    await mine.send('still here')
    await expect.poll(() => texts(bob).at(-1), poll).toBe('incoming sip:alice@contoso.test still here delivered')
    expect(mine.snapshot().state).toBe('connected')
  }, 30_000)

  it('a conference chat reaches everyone who added messaging', async () => {
    sim = await startSimulator({ events })
    const [a, b, c] = [await engineUser(sim, 'alice', cleanup), await engineUser(sim, 'bob', cleanup), await engineUser(sim, 'carol', cleanup)]
    const users = [await chatUser(sim, 'alice', cleanup, a.client), await chatUser(sim, 'bob', cleanup, b.client), await chatUser(sim, 'carol', cleanup, c.client)]
    const { callId } = await connectedCall(a, b, 'bob@contoso.test')
    await a.engine.addParticipant(callId, 'carol@contoso.test')
    await expect.poll(() => ringing(c), poll).toBeTruthy()
    await c.engine.accept(ringing(c)!.id)
    await expect.poll(() => a.engine.get(callId)?.participants.length, { timeout: 20_000 }).toBe(2)
    const chats: Messaging[] = []
    for (const [i, u] of users.entries()) {
      const list = await u.client.http.get(u.client.communicationLink('conversations'))
      const conference = list.embedded.conversation!.find((x) => x.props.state === 'Conferenced' || (x.props.participantCount as number) > 2)
      const m = u.chat()
      await m.add(conference!.href)
      await expect.poll(() => m.snapshot().state, poll).toBe('connected')
      chats[i] = m
    }
    await chats[0]!.send('hello all')
    for (const u of users.slice(1)) await expect.poll(() => texts(u).at(-1), poll).toBe('incoming sip:alice@contoso.test hello all delivered')
    await expect.poll(() => chats[0]!.snapshot().messages[0]!.status, poll).toBe('delivered')
  }, 60_000)
})

describe('messaging in XML', () => {
  it('a chat, typing and a sanitised HTML message read from XML resources and events', async () => {
    sim = await startSimulator({ events: 'link-only' })
    const [alice, bob] = [await chatUser(sim, 'alice', cleanup, undefined, 'xml'), await chatUser(sim, 'bob', cleanup, undefined, 'xml')]
    const { mine, theirs } = await chatting(alice, bob)
    expect(texts(bob)).toEqual(['incoming sip:alice@contoso.test Got a minute? delivered'])
    expect(await theirs.typing()).toBe(true)
    await expect.poll(() => mine.snapshot().typing.map((p) => p.uri), poll).toEqual(['sip:bob@contoso.test'])
    await theirs.send('see https://example.com')
    await expect.poll(() => texts(alice).at(-1), poll).toBe('incoming sip:bob@contoso.test see <a href="https://example.com">https://example.com</a> delivered')
    await expect.poll(() => mine.snapshot().typing, poll).toEqual([])
  }, 30_000)
})
