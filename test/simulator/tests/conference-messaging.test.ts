// A conference's instant messaging as the pool announces it: a member that adds messaging is announced to every member
// by participantMessaging Added, sent by the conversation with the participant as `in` (participantMessaging_ref.md;
// the samples in SendAnIM.md and ReceiveAnIM.md), itself as localParticipant.
import { afterEach, expect, it } from 'vitest'
import type { Simulator } from '../index'
import type { TestPeer } from '../conference/test-peer'
import { TestPeer as Peer } from '../conference/test-peer'
import { p2pCall } from './flows'
import { fromDataUrl, signIn, withSimulator, type Ev, type Session } from './helpers'

let sim: Simulator
const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()))
  await sim?.close()
})

const usesIm = (who: string) => (e: Ev) => e.rel === 'participantMessaging' && e.type === 'added' && e.href.includes(who)

/** Alice calls Bob and escalates (escalateAudioVideo_ref.md); Bob accepts the move. Returns their conversations. */
async function conference(alice: Session, bob: Session): Promise<{ aliceConv: string; bobConv: string }> {
  const call = await p2pCall(alice, bob, ['alice-p2p', 'bob-p2p'])
  peers.push(call.a, call.b)
  await alice.post(`${call.aliceConv}/addParticipant`, { to: 'sip:carol@contoso.test', operationId: 'add-carol' })
  const offered = await alice.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.escalateAudioVideo)
  const [a2, b2] = [new Peer('alice'), new Peer('bob')]
  peers.push(a2, b2)
  const [aliceMark, bobMark] = [alice.events.length, bob.events.length]
  const esc = await alice.post(`${offered.embedded._links.escalateAudioVideo.href}?operationId=esc-1&sessionContext=esc`, await a2.offer(), { type: 'application/sdp' })
  const escHref = esc.json._links.self.href
  const final = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === escHref && !!e.embedded?._links.mediaAnswer, { after: aliceMark })
  await a2.accept(fromDataUrl(final.embedded._links.mediaAnswer.href))
  const moved = (await bob.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'started', { after: bobMark })).embedded
  await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=moved`, await b2.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
  await alice.waitFor((e) => e.rel === 'conversation' && e.embedded?.state === 'Conferenced', { after: aliceMark })
  await bob.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'completed' && e.status === 'Success', { after: bobMark })
  return { aliceConv: call.aliceConv, bobConv: moved._links.conversation.href }
}

it('addMessaging in a conference: every member is told by participantMessaging Added, the one who added it as localParticipant', async () => {
  sim = await withSimulator()
  const alice = await signIn(sim, 'alice@contoso.test')
  const bob = await signIn(sim, 'bob@contoso.test')
  await signIn(sim, 'carol@contoso.test')
  const { aliceConv, bobConv } = await conference(alice, bob)
  expect(bob.events.some(usesIm('alice@contoso.test'))).toBe(false)

  const messaging = (await alice.get(`${aliceConv}/messaging`)).json
  expect((await alice.post(messaging._links.addMessaging.href, { operationId: 'im-1' })).status).toBe(201)
  const toBob = await bob.waitFor(usesIm('alice@contoso.test'))
  expect(toBob).toMatchObject({ sender: 'conversation', senderHref: bobConv, in: { rel: 'participant', href: expect.stringMatching(/alice@contoso\.test$/) } })
  expect(toBob.embedded._links.participant.href).toBe(toBob.in!.href)
  const toAlice = await alice.waitFor(usesIm('alice@contoso.test'))
  expect(toAlice).toMatchObject({ senderHref: aliceConv, in: { rel: 'localParticipant' } })

  // Bob joins it: Alice hears of him; he was told of Alice once, when she started it
  const bobMessaging = (await bob.get(`${bobConv}/messaging`)).json
  expect((await bob.post(bobMessaging._links.addMessaging.href, { operationId: 'im-2' })).status).toBe(201)
  await alice.waitFor(usesIm('bob@contoso.test'))
  await bob.waitFor(usesIm('bob@contoso.test'))
  expect(bob.events.filter(usesIm('alice@contoso.test'))).toHaveLength(1)
}, 60_000)
