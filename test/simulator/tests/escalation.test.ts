// A P2P call escalated to a conference and a third user added, with real media (werift) through the unit.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { TestPeer } from '../conference/test-peer'
import { p2pCall as sharedP2pCall } from './flows'
import { fromDataUrl, sdp, signIn, withSimulator, type Ev, type Session } from './helpers'

let sim: Simulator
const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()))
  await sim?.close()
})

const peer = (tag: string) => {
  const p = new TestPeer(tag)
  peers.push(p)
  return p
}
const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'

/** Alice calls Bob; both use werift peers; returns once the P2P call is connected. */
async function p2pCall(alice: Session, bob: Session) {
  const call = await sharedP2pCall(alice, bob, ['alice-p2p', 'bob-p2p'])
  peers.push(call.a, call.b)
  return call
}

/**
 * Alice calls Bob, adds Carol; both move into the conference (steps 1-4) and Carol is invited (step 5): returns the
 * sessions, peers and Carol's invitation, for the tests that go on from there.
 */
async function toCarolsInvitation() {
  sim = await withSimulator()
  const alice = await signIn(sim, 'alice@contoso.test')
  const bob = await signIn(sim, 'bob@contoso.test')
  const carol = await signIn(sim, 'carol@contoso.test')
  const { a, b, aliceConv } = await p2pCall(alice, bob)
  a.startSending()
  b.startSending()
  await expect.poll(() => b.count('alice-p2p', 'audio'), { timeout: 5000 }).toBeGreaterThan(5)

  // 1. addParticipant on the P2P conversation: the conversation starts conferencing and offers escalateAudioVideo
  let mark = alice.events.length
  const added = await alice.post(`${aliceConv}/addParticipant`, { to: 'sip:carol@contoso.test', operationId: 'add-carol' })
  expect(added.status).toBe(201)
  expect(added.json).toMatchObject({ rel: 'participantInvitation', state: 'Connecting', to: 'sip:carol@contoso.test' })
  const offered = await alice.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.escalateAudioVideo, { after: mark })
  const escalateHref = offered.embedded._links.escalateAudioVideo.href

  // 2. the client POSTs its new offer (audio + video) there
  const a2 = peer('alice')
  mark = alice.events.length
  const bobMark = bob.events.length
  const esc = await alice.post(`${escalateHref}?operationId=esc-1&sessionContext=esc-ctx`, await a2.offer(), { type: 'application/sdp' })
  expect(esc.status).toBe(201)
  expect(esc.json).toMatchObject({ rel: 'audioVideoInvitation', direction: 'Outgoing', operationId: 'esc-1', sessionContext: 'esc-ctx' })
  // the embedded from is a participant (escalateAudioVideo_ref.md's response), the local one
  expect(esc.json._embedded.from).toMatchObject({ rel: 'participant', local: true, uri: 'sip:alice@contoso.test' })
  const escInvHref = esc.json._links.self.href

  // 3. the conference's answer arrives as audioVideoNegotiation events sent by that invitation
  const provisional = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === escInvHref, { after: mark })
  expect(provisional.embedded._links.mediaProvisionalAnswer.href).toMatch(/^data:application\/sdp;base64,/)
  const final = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === escInvHref && !!e.embedded._links.mediaAnswer, { after: mark })
  expect(final.embedded).toMatchObject({ sessionContext: 'esc-ctx', remoteEndpoint: expect.stringContaining('opaque=app:conf:focus:id:') })
  expect(final.embedded._links.audioVideoInvitation.href).toBe(escInvHref)
  await a2.accept(fromDataUrl(final.embedded._links.mediaAnswer.href))

  // 4. Bob is moved: an incoming invitation that replaces his P2P audioVideo, answered with his own answer
  const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started', { after: bobMark })).embedded
  expect(moved.direction).toBe('Incoming')
  expect(moved._links.replacesAudioVideo.href).toMatch(/\/audioVideo$/)
  const b2 = peer('bob')
  // make before break: the P2P media is still flowing while the move is under way
  const beforeMove = a.count('bob-p2p', 'audio')
  await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=moved`, await b2.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
  const done = await alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === escInvHref, { after: mark })
  expect(done.status).toBe('Success')
  await alice.waitFor((e) => e.rel === 'conversation' && e.embedded?.state === 'Conferenced', { after: mark })
  await bob.waitFor((e) => isInv(e) && e.type === 'completed' && e.status === 'Success', { after: bobMark })
  expect(a.count('bob-p2p', 'audio')).toBeGreaterThan(beforeMove)
  await a.close()
  await b.close() // the clients now close their P2P connections
  a2.startSending()
  b2.startSending()

  // 5. Carol, named in addParticipant, is invited once the media moved; she answers the unit's offer
  const carolInv = (await carol.waitFor((e) => isInv(e) && e.type === 'started')).embedded
  expect(carolInv._embedded.from.uri).toBe('sip:alice@contoso.test')
  return { alice, bob, carol, a2, b2, moved, carolInv, aliceConv }
}

describe('escalation to a conference', () => {
  it('addParticipant → escalateAudioVideo → both moved → third user joins → media between all three → everyone leaves', async () => {
    const { alice, bob, carol, a2, b2, moved, carolInv, aliceConv } = await toCarolsInvitation()
    const c3 = peer('carol')
    await carol.post(`${carolInv._links.acceptWithAnswer.href}?sessionContext=c`, await c3.answer(fromDataUrl(carolInv._links.mediaOffer.href)), { type: 'application/sdp' })
    await carol.waitFor((e) => isInv(e) && e.type === 'completed' && e.status === 'Success')
    const piDone = await alice.waitFor((e) => e.rel === 'participantInvitation' && e.type === 'completed')
    expect(piDone.status).toBe('Success')
    c3.startSending()
    await alice.waitFor((e) => e.rel === 'participant' && e.type === 'added' && e.embedded?.uri === 'sip:carol@contoso.test')
    await alice.waitFor((e) => e.rel === 'participantAudio' && e.href.includes('carol@contoso.test'))
    await bob.waitFor((e) => e.rel === 'participantVideo' && e.href.includes('carol@contoso.test'))

    // RTP packets counted in both directions for every participant, through the conference
    const pairs = [[a2, 'bob'], [a2, 'carol'], [b2, 'alice'], [b2, 'carol'], [c3, 'alice'], [c3, 'bob']] as const
    await expect.poll(() => pairs.every(([p, from]) => p.count(from, 'audio') > 10 && p.count(from, 'video') > 10), { timeout: 10_000, interval: 100 }).toBe(true)
    // the roster names each member's media sources, and what the unit forwards from that member carries them (CSRC):
    // that is how a client tells whose picture a slot shows
    const carolVideo = (await bob.waitFor((e) => e.rel === 'participantVideo' && e.href.includes('carol@contoso.test'))).embedded
    const bobAudio = (await carol.waitFor((e) => e.rel === 'participantAudio' && e.href.includes('bob@contoso.test'))).embedded
    expect(carolVideo.videoSourceId).toMatch(/^\d+$/)
    expect(b2.sourceOf.get('carol')?.video).toBe(Number(carolVideo.videoSourceId))
    expect(c3.sourceOf.get('bob')?.audio).toBe(Number(bobAudio.audioSourceId))
    expect(a2.sourceOf.get('carol')?.video).toBe(Number(carolVideo.videoSourceId)) // one id for everyone who sees her
    expect(a2.sourceOf.get('bob')?.video).not.toBe(Number(carolVideo.videoSourceId))

    const participants = await alice.get(`${aliceConv}/participants`)
    expect(participants.json._embedded.participant.map((p: { uri: string }) => p.uri).sort()).toEqual(['sip:bob@contoso.test', 'sip:carol@contoso.test'])

    // 6. participants leave; the last one left ends the conference
    const carolConv = carolInv._links.conversation.href
    expect((await carol.post(`${carolConv}/audioVideo/stopAudioVideo`)).status).toBe(204)
    await alice.waitFor((e) => e.rel === 'participant' && e.type === 'deleted' && e.href.includes('carol@contoso.test'))
    expect((await bob.post(`${moved._links.conversation.href}/audioVideo/stopAudioVideo`)).status).toBe(204)
    const ended = await alice.waitFor((e) => e.rel === 'audioVideo' && e.embedded?.state === 'Disconnected')
    expect(ended.reason).toMatchObject({ subcode: 'Ended' })
    expect(sim.control.world.conferencing.conferences).toBe(0)
  }, 40_000)

  it('an invited member whose media never connects after Accept: its invitation completes with Failure MediaFailure, the inviter’s participantInvitation fails', async () => {
    const { alice, carol, carolInv } = await toCarolsInvitation()
    const c3 = peer('carol')
    const answer = await c3.answer(fromDataUrl(carolInv._links.mediaOffer.href))
    await c3.close() // the answer names addresses that no longer answer: the unit's checks fail
    await carol.post(`${carolInv._links.acceptWithAnswer.href}?sessionContext=c`, answer, { type: 'application/sdp' })
    const done = await carol.waitFor((e) => isInv(e) && e.type === 'completed')
    expect(done).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'MediaFailure' } })
    const piDone = await alice.waitFor((e) => e.rel === 'participantInvitation' && e.type === 'completed')
    expect(piDone.status).toBe('Failure')
  }, 40_000)

  it('escalating a conference is 409 AlreadyExists; bad input is 400 or 415', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { aliceConv } = await p2pCall(alice, bob)
    const esc = `${aliceConv}/audioVideo/escalateAudioVideo`
    const post = (query: string, body: string, type = 'application/sdp') => alice.post(`${esc}${query}`, body, { type })
    expect((await post('?sessionContext=s', sdp('x'))).json).toMatchObject({ code: 'BadRequest', subcode: 'ParameterValidationFailure' })
    expect((await post('?operationId=o', sdp('x'))).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect((await post(`?operationId=${'o'.repeat(51)}&sessionContext=s`, sdp('x'))).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect((await post(`?operationId=o&sessionContext=${'s'.repeat(51)}`, sdp('x'))).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect((await post('?operationId=o&sessionContext=s', '')).json).toMatchObject({ subcode: 'DeserializationFailure' })
    expect((await post('?operationId=o&sessionContext=s', 'hello')).json).toMatchObject({ subcode: 'DeserializationFailure' })
    expect((await post('?operationId=o&sessionContext=s', sdp('x'), 'application/json')).status).toBe(415)
    const audioOnly = await post('?operationId=o&sessionContext=s', sdp('x', false))
    expect(audioOnly.status).toBe(400)
    expect(audioOnly.json.message).toMatch(/both an audio and a video/)

    // a real escalation, then again: AlreadyExists
    const a2 = peer('alice')
    const ok = await post('?operationId=o&sessionContext=s', await a2.offer())
    expect(ok.status).toBe(201)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === ok.json._links.self.href && !!e.embedded._links.mediaAnswer)
    await a2.accept(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo)).embedded
    const b2 = peer('bob')
    await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=m`, await b2.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
    await alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === ok.json._links.self.href)
    const again = await post('?operationId=o2&sessionContext=s2', await peer('x').offer())
    expect(again.json).toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
  }, 30_000)

  it('a failed escalation ends with EscalationFailed and leaves the P2P call as it was', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock, config: { ringTimeoutMs: 20_000 } })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { a, b, aliceConv } = await p2pCall(alice, bob)
    // 1. an offer the conference cannot take (no Opus): the unit refuses it
    const noOpus = (await peer('x').offer()).replace(/opus\/48000\/2/g, 'PCMA/8000')
    const r = await alice.post(`${aliceConv}/audioVideo/escalateAudioVideo?operationId=o&sessionContext=s`, noOpus, { type: 'application/sdp' })
    expect(r.status).toBe(201)
    const failed = await alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === r.json._links.self.href)
    expect(failed).toMatchObject({ status: 'Failure', reason: { subcode: 'EscalationFailed' } })
    // 2. the moved peer declines: EscalationFailed too
    const mark = alice.events.length
    const a2 = peer('alice')
    const r2 = await alice.post(`${aliceConv}/audioVideo/escalateAudioVideo?operationId=o2&sessionContext=s2`, await a2.offer(), { type: 'application/sdp' })
    const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo)).embedded
    expect((await bob.post(moved._links.decline.href, { reason: 'Local' })).status).toBe(204)
    const failed2 = await alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === r2.json._links.self.href, { after: mark })
    expect(failed2.reason?.subcode).toBe('EscalationFailed')
    // the P2P call is untouched: still connected, media still flowing, the conversation back to Connected
    const conv = await alice.get(aliceConv)
    expect(conv.json.state).toBe('Connected')
    expect((await alice.get(`${aliceConv}/audioVideo`)).json.state).toBe('Connected')
    a.startSending()
    await expect.poll(() => b.count('alice-p2p', 'audio'), { timeout: 5000 }).toBeGreaterThan(5)
  }, 30_000)
})
