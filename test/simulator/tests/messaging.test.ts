// Instant messaging as SendAnIM.md, ReceiveAnIM.md and the messaging pages describe it, in JSON and XML.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { INVITE_TIMEOUT_MS } from '../pool/messaging'
import { TYPING_MS } from '../pool/typing'
import { readDataUrl, toDataUrl } from '../../../main/media-bridge/body'
import { dataUrl, fromDataUrl, sdp, signIn, withSimulator, type Ev, type Session } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const text = (s: string): string => `data:text/plain;charset=utf-8,${encodeURIComponent(s)}`
const bodyOf = (href: string): string => decodeURIComponent(href.slice(href.indexOf(',') + 1))
const is = (rel: string, type: string) => (e: Ev) => e.rel === rel && e.type === type
/** whatever the channel holds now: one P-GET, given up after a second if nothing comes */
const drain = (s: Session) => s.poll({ signal: AbortSignal.timeout(1000) }).catch(() => {})

async function chat(alice: Session, bob: Session, first = 'Got a minute?') {
  const started = await alice.post(alice.app._embedded.communication._links.startMessaging.href, {
    to: 'sip:bob@contoso.test',
    operationId: 'op-im',
    subject: 'Roadmap',
    _links: { message: { href: text(first) } },
  })
  expect(started.status).toBe(201)
  const incoming = await bob.waitFor(is('messagingInvitation', 'started'))
  return { started, incoming }
}

async function connected(alice: Session, bob: Session) {
  const { incoming } = await chat(alice, bob)
  expect((await bob.post(incoming.embedded._links.accept.href)).status).toBe(204)
  const a = await alice.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected')
  const b = await bob.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected')
  return { a: a.embedded, b: b.embedded }
}

describe('instant messaging (simulator)', () => {
  it('startMessaging with a first message → the invitation carries it → accept → both connected, invitation completed', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { started, incoming } = await chat(alice, bob)
    expect(started.headers.get('location')).toBe(started.json._links.self.href)
    expect(started.json).toMatchObject({ rel: 'messagingInvitation', direction: 'Outgoing', state: 'Connecting', operationId: 'op-im', to: 'sip:bob@contoso.test' })
    expect(incoming.sender).toBe('communication')
    expect(incoming.embedded).toMatchObject({ direction: 'Incoming', state: 'Connecting', subject: 'Roadmap' })
    expect(bodyOf(incoming.embedded._links.message.href)).toBe('Got a minute?')
    expect(incoming.embedded._embedded.from).toMatchObject({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
    expect(bob.events.map((e) => `${e.type}:${e.rel}`)).toEqual(expect.arrayContaining(['added:conversation', 'added:localParticipant', 'added:participant', 'updated:messaging']))

    await bob.post(incoming.embedded._links.accept.href)
    const done = await alice.waitFor(is('messagingInvitation', 'completed'))
    expect(done.status).toBe('Success')
    expect(done.embedded._embedded.acceptedByParticipant[0]).toMatchObject({ uri: 'sip:bob@contoso.test' })
    const m = await alice.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected')
    expect(m.sender).toBe('conversation')
    expect(Object.keys(m.embedded._links)).toEqual(expect.arrayContaining(['sendMessage', 'setIsTyping', 'stopMessaging', 'typingParticipants']))
    const conv = await alice.get(started.json._links.conversation.href)
    expect(conv.json).toMatchObject({ state: 'Connected', activeModalities: ['Messaging'] })
    expect((await bob.waitFor(is('messagingInvitation', 'completed'))).status).toBe('Success')
  })

  it('sendMessage: text/plain and text/html arrive as plainMessage / htmlMessage; the sender sees Pending then Succeeded', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a } = await connected(alice, bob)
    const sent = await alice.post(`${a._links.sendMessage.href}?operationId=m1`, 'What\'s up?', { type: 'text/plain' })
    expect(sent.status).toBe(201)
    const started = await alice.waitFor(is('message', 'started'))
    expect(started.embedded).toMatchObject({ direction: 'Outgoing', status: 'Pending', operationId: 'm1' })
    const done = await alice.waitFor(is('message', 'completed'))
    expect(done).toMatchObject({ sender: 'conversation', status: 'Success', href: sent.headers.get('location') })
    expect(done.embedded.status).toBe('Succeeded')
    const got = await bob.waitFor(is('message', 'completed'))
    expect(got.embedded).toMatchObject({ direction: 'Incoming' })
    expect(bodyOf(got.embedded._links.plainMessage.href)).toBe('What\'s up?')
    expect((await bob.get(got.href)).json._links.participant.href).toContain('alice@contoso.test')

    await alice.post(`${a._links.sendMessage.href}?operationId=m2`, '<a href="https://example.com">link</a>', { type: 'text/html' })
    const html = await bob.waitFor((e) => is('message', 'completed')(e) && !!e.embedded?._links.htmlMessage)
    expect(bodyOf(html.embedded._links.htmlMessage.href)).toBe('<a href="https://example.com">link</a>')
    expect((await alice.post(a._links.sendMessage.href, '{}', { type: 'application/json' })).status).toBe(415)
  })

  it('a message the pool fails to deliver completes with Failure, status Failed and failedDeliveryParticipant; the next one goes', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a } = await connected(alice, bob)
    sim.control.failMessageDelivery('bob@contoso.test')
    await alice.post(`${a._links.sendMessage.href}?operationId=lost`, 'lost', { type: 'text/plain' })
    const failed = await alice.waitFor(is('message', 'completed'))
    expect(failed.status).toBe('Failure')
    expect(failed.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'DeliveryFailed' })
    expect(failed.embedded.status).toBe('Failed')
    expect(failed.embedded._links.failedDeliveryParticipant[0].href).toContain('bob@contoso.test')
    const n = alice.events.length
    await alice.post(`${a._links.sendMessage.href}?operationId=again`, 'lost', { type: 'text/plain' })
    expect((await alice.waitFor(is('message', 'completed'), { after: n })).status).toBe('Success')
    const got = await bob.waitFor(is('message', 'completed'))
    expect(bodyOf(got.embedded._links.plainMessage.href)).toBe('lost')
    expect(bob.events.filter(is('message', 'completed'))).toHaveLength(1)
  })

  it('decline: the caller\'s invitation fails Declined and the conversation goes', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { incoming } = await chat(alice, bob)
    expect((await bob.post(incoming.embedded._links.decline.href)).status).toBe(204)
    const done = await alice.waitFor(is('messagingInvitation', 'completed'))
    expect(done.status).toBe('Failure')
    expect(done.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'Declined' })
    expect(done.embedded.state).toBe('Declined')
    await alice.waitFor(is('conversation', 'deleted'))
    expect((await bob.post(incoming.embedded._links.decline.href)).status).toBe(410) // no longer pending
  })

  it('setIsTyping: the other side sees me added to typingParticipants, and deleted when I send', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a, b } = await connected(alice, bob)
    expect((await alice.post(a._links.setIsTyping.href)).status).toBe(204)
    const added = await bob.waitFor(is('participant', 'added'), { after: bob.events.length })
    expect(added.href).toContain('alice@contoso.test')
    expect(added.sender).toBe('conversation')
    const typing = await bob.get(b._links.typingParticipants.href)
    expect(typing.json._embedded.participant.map((p: { uri: string }) => p.uri)).toEqual(['sip:alice@contoso.test'])
    await alice.post(a._links.sendMessage.href, 'done typing', { type: 'text/plain' })
    await bob.waitFor((e) => is('participant', 'deleted')(e) && e.href.includes('alice@contoso.test'))
    expect((await bob.get(b._links.typingParticipants.href)).json._embedded?.participant ?? []).toEqual([])
  })

  it('stopMessaging ends a two-party chat on both sides', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a } = await connected(alice, bob)
    expect((await alice.post(a._links.stopMessaging.href)).status).toBe(204)
    await alice.waitFor(is('conversation', 'deleted'))
    const b = await bob.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Disconnected')
    expect(b.reason).toMatchObject({ subcode: 'CallTerminated' })
    await bob.waitFor(is('conversation', 'deleted'))
  })

  it('an application that goes (sign-out) ends its chats: the other side is told', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    await connected(alice, bob)
    expect((await alice.delete(alice.appHref)).status).toBe(204)
    const ended = await bob.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Disconnected')
    expect(ended.reason).toMatchObject({ subcode: 'CallTerminated' })
    await bob.waitFor(is('conversation', 'deleted'))
  })

  it('XML: startMessaging as <input>, the invitation and message read as XML', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const xml = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="operationId">x1</property><property name="to">sip:bob@contoso.test</property><link rel="message" href="${text('hej')}" /></input>`
    const r = await alice.post(alice.app._embedded.communication._links.startMessaging.href, xml, { type: 'application/xml', accept: 'xml' })
    expect(r.status).toBe(201)
    expect(r.xml.resource[0]['@_rel']).toBe('messagingInvitation')
    const incoming = await bob.waitFor(is('messagingInvitation', 'started'))
    const asXml = await bob.get(incoming.href, 'xml')
    const links = asXml.xml.resource[0].link as Array<Record<string, string>>
    expect(bodyOf(links.find((l) => l['@_rel'] === 'message')!['@_href']!)).toBe('hej')
  })

  it('the echo contact echoes each text; Erin accepts and replies once', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    for (const [who, expected] of [['echo', ['Got a minute?', 'again']], ['erin', ['Hi, this is Erin Ellis. I got your message.']]] as const) {
      const n = alice.events.length
      const r = await alice.post(alice.app._embedded.communication._links.startMessaging.href, { to: `sip:${who}@contoso.test`, _links: { message: { href: text('Got a minute?') } } })
      const conv = r.json._links.conversation.href
      const m = await alice.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected' && e.senderHref === conv, { after: n })
      await alice.waitFor((e) => is('message', 'completed')(e) && e.senderHref === conv && e.embedded?.direction === 'Incoming', { after: n })
      await alice.post(m.embedded._links.sendMessage.href, 'again', { type: 'text/plain' })
      const replies = () => alice.events.slice(n).filter((e) => is('message', 'completed')(e) && e.senderHref === conv && e.embedded?.direction === 'Incoming')
      await alice.waitFor(() => replies().length >= expected.length)
      await drain(alice) // room for a reply too many, if the bot sent one
      expect(replies().map((e) => bodyOf(e.embedded._links.plainMessage.href))).toEqual(expected)
    }
  })

  it('cancel: the callee\'s invitation completes Cancelled and its conversation goes', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { started } = await chat(alice, bob)
    expect((await alice.post(started.json._links.cancel.href)).status).toBe(204)
    const theirs = await bob.waitFor(is('messagingInvitation', 'completed'))
    expect(theirs).toMatchObject({ status: 'Failure', reason: { subcode: 'Canceled' } })
    expect(theirs.embedded.state).toBe('Cancelled')
    await bob.waitFor(is('conversation', 'deleted'))
    expect((await alice.waitFor(is('messagingInvitation', 'completed'))).embedded.state).toBe('Cancelled')
  })

  it('addMessaging to a connected call invites the other side in the same conversation; hanging up leaves the chat', async () => {
    sim = await withSimulator({ events: 'link-only' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const call = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, { to: 'sip:bob@contoso.test', _links: { mediaOffer: { href: dataUrl(sdp('offer')) } } })
    const av = (await bob.get((await bob.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'started')).href)).json
    await bob.post(`${av._links.acceptWithAnswer.href}?sessionContext=b`, sdp('answer'), { type: 'application/sdp' })
    await alice.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'completed')
    const conv = call.json._links.conversation.href
    const messaging = (await alice.get(`${conv}/messaging`)).json
    expect(messaging).toMatchObject({ state: 'Disconnected' })
    const added = await alice.post(messaging._links.addMessaging.href, { operationId: 'add-1', _links: { message: { href: text('notes') } } })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ rel: 'messagingInvitation', direction: 'Outgoing', operationId: 'add-1' })
    expect(added.json._links.conversation.href).toBe(conv)
    const n = bob.events.length
    const inv = (await bob.get((await bob.waitFor(is('messagingInvitation', 'started'))).href)).json
    expect(inv._links.conversation.href).toBe(av._links.conversation.href) // no new conversation for Bob
    expect(bob.events.slice(n).filter(is('conversation', 'added'))).toEqual([])
    expect(bodyOf(inv._links.message.href)).toBe('notes')
    await bob.post(inv._links.accept.href)
    await alice.waitFor((e) => is('messagingInvitation', 'completed')(e) && e.status === 'Success')
    expect((await alice.get(conv)).json.activeModalities).toEqual(['Messaging', 'Audio', 'Video'])
    expect((await alice.post(`${conv}/audioVideo/stopAudioVideo`)).status).toBe(204)
    await alice.waitFor((e) => e.rel === 'audioVideo' && e.type === 'updated' && e.href.startsWith(conv))
    expect((await alice.get(conv)).json).toMatchObject({ state: 'Connected', activeModalities: ['Messaging'] })
    expect((await alice.post(`${conv}/messaging/messages`, 'after the call', { type: 'text/plain' })).status).toBe(201)
    await bob.waitFor(is('message', 'completed'))
  })

  it('addAudioVideo in a chat rings the other side in the same conversation; hanging up leaves the chat; none without a chat', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { started, incoming } = await chat(alice, bob)
    await bob.post(incoming.embedded._links.accept.href)
    await alice.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected')
    const conv = started.json._links.conversation.href
    const bobConv = incoming.embedded._links.conversation.href
    const av = (await alice.get(`${conv}/audioVideo`)).json
    expect(av).toMatchObject({ state: 'Disconnected' })
    const n = bob.events.length
    const added = await alice.post(av._links.addAudioVideo.href, { to: 'sip:bob@contoso.test', operationId: 'av-1', sessionContext: 'a', _links: { mediaOffer: { href: dataUrl(sdp('offer')) } } })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ rel: 'audioVideoInvitation', direction: 'Outgoing', operationId: 'av-1' })
    expect(added.json._links.conversation.href).toBe(conv)
    const inv = (await bob.waitFor(is('audioVideoInvitation', 'started'))).embedded
    expect(inv).toMatchObject({ direction: 'Incoming', state: 'Connecting' })
    expect(inv._links.conversation.href).toBe(bobConv) // Bob's view of the chat's conversation rings: no new one
    expect(bob.events.slice(n).filter(is('conversation', 'added'))).toEqual([])
    expect(fromDataUrl(inv._links.mediaOffer.href)).toBe(sdp('offer'))
    await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=b`, sdp('answer'), { type: 'application/sdp' })
    await alice.waitFor((e) => is('audioVideoInvitation', 'completed')(e) && e.status === 'Success')
    expect((await alice.get(conv)).json.activeModalities).toEqual(['Messaging', 'Audio', 'Video'])
    expect((await alice.post(av._links.addAudioVideo.href, { to: 'sip:bob@contoso.test', _links: { mediaOffer: { href: dataUrl(sdp('again')) } } })).status).toBe(409) // one call at a time

    expect((await bob.post(`${bobConv}/audioVideo/stopAudioVideo`)).status).toBe(204)
    await alice.waitFor((e) => e.rel === 'audioVideo' && e.embedded?.state === 'Disconnected' && e.href.startsWith(conv), { after: n })
    expect((await alice.get(conv)).json).toMatchObject({ state: 'Connected', activeModalities: ['Messaging'] })
    expect((await alice.post(`${conv}/messaging/messages`, 'after the call', { type: 'text/plain' })).status).toBe(201)
    await bob.waitFor(is('message', 'completed'))

    // a conversation with nobody to ring yet (its chat invitation unanswered): Conflict
    const carol = await signIn(sim, 'carol@contoso.test')
    const pending = await carol.post(carol.app._embedded.communication._links.startMessaging.href, { to: 'sip:bob@contoso.test', operationId: 'x' })
    const refused = await carol.post(`${pending.json._links.conversation.href}/audioVideo/addAudioVideo`, { to: 'sip:bob@contoso.test', _links: { mediaOffer: { href: dataUrl(sdp('offer')) } } })
    expect([refused.status, refused.json?.code]).toEqual([409, 'Conflict'])
  })

  it('addAudioVideo in a chat takes a multipart/alternative offer as Parley sends it, in the webrtc dialect too, and passes it on as it came', async () => {
    sim = await withSimulator() // 'webrtc': the pool's own endpoints speak WebRTC, yet a client's multipart offer is still a valid offer ([MS-SIPRE] 3.15.4.1)
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { started, incoming } = await chat(alice, bob)
    await bob.post(incoming.embedded._links.accept.href)
    await alice.waitFor((e) => e.rel === 'messaging' && e.embedded?.state === 'Connected')
    const av = (await alice.get(`${started.json._links.conversation.href}/audioVideo`)).json
    const type = 'multipart/alternative;boundary=parley-test'
    const body = ['--parley-test', 'Content-Type: application/sdp', 'Content-ID: <webrtc@parley>', '', sdp('offer'), '--parley-test--', ''].join('\r\n')
    const added = await alice.post(av._links.addAudioVideo.href, { to: 'sip:bob@contoso.test', operationId: 'av-m', _links: { mediaOffer: { href: toDataUrl(type, body) } } })
    expect(added.status).toBe(201)
    const inv = (await bob.waitFor(is('audioVideoInvitation', 'started'))).embedded
    expect(readDataUrl(inv._links.mediaOffer.href)).toEqual({ contentType: type, body })
  })

  it('typing lasts TYPING_MS after the last setIsTyping, and each renewal keeps it; an unanswered invitation fails after ~30 s', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a } = await connected(alice, bob)
    await alice.post(a._links.setIsTyping.href)
    await bob.waitFor(is('participant', 'added'))
    clock.advance(TYPING_MS - 1000)
    await alice.post(a._links.setIsTyping.href) // renewed: no second added event, the timer starts again
    clock.advance(TYPING_MS - 1000)
    await drain(bob)
    expect(bob.events.some(is('participant', 'deleted'))).toBe(false) // 10 s after the first: the renewal kept it
    clock.advance(1001)
    await bob.waitFor(is('participant', 'deleted'))
    // Alice joined the conversation (added), started typing (added), stopped (deleted): the renewal added nothing
    expect(bob.events.filter((e) => e.rel === 'participant' && e.href.includes('alice@contoso.test')).map((e) => e.type)).toEqual(['added', 'added', 'deleted'])

    await signIn(sim, 'carol@contoso.test') // signed in, never answers
    const n = alice.events.length
    await alice.post(alice.app._embedded.communication._links.startMessaging.href, { to: 'sip:carol@contoso.test' })
    clock.advance(INVITE_TIMEOUT_MS)
    const done = await alice.waitFor((e) => is('messagingInvitation', 'completed')(e), { after: n })
    expect(done).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'Timeout' } })
  })
})
