// Audio and video in an online meeting (addAudioVideo_ref.md): the organizer, a colleague and an admitted guest each
// add audio/video to the meeting's conversation with an offer; the conference unit answers (audioVideoNegotiation)
// and forwards each one's media to the others, real RTP over loopback (werift), stamped with the sender's MSI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestPeer } from '../conference/test-peer'
import type { Simulator } from '../index'
import { dataUrl, fromDataUrl, guestSession, signIn, withSimulator, type Session } from './helpers'

let sim: Simulator
const peers: TestPeer[] = []
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()))
  await sim?.close()
})

const conversationOf = async (s: Session): Promise<string> => (await s.waitFor((e) => e.rel === 'conversation' && e.type === 'added')).href

async function joinMeeting(s: Session, uri: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await s.post(s.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: uri, ...extra })
  if (r.status !== 201) throw new Error(`join: ${r.status} ${r.text}`)
}

/** addAudioVideo with a werift offer; resolves once the unit's answer is applied and the invitation completed. */
async function addAudioVideo(s: Session, tag: string): Promise<TestPeer> {
  const peer = new TestPeer(tag)
  peers.push(peer)
  const mark = s.events.length
  const audioVideo = (await s.get(`${await conversationOf(s)}/audioVideo`)).json
  const r = await s.post(audioVideo._links.addAudioVideo.href, { operationId: `av-${tag}`, sessionContext: tag, _links: { mediaOffer: { href: dataUrl(await peer.offer()) } } })
  expect(r.status).toBe(201)
  expect(r.json).toMatchObject({ rel: 'audioVideoInvitation', direction: 'Outgoing', operationId: `av-${tag}` })
  const neg = await s.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded?._links.mediaAnswer, { after: mark })
  await peer.accept(fromDataUrl(neg.embedded._links.mediaAnswer.href))
  await peer.connected()
  const done = await s.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'completed', { after: mark })
  expect(done.status).toBe('Success')
  return peer
}

describe('audio and video in an online meeting', () => {
  let alice: Session
  let bob: Session
  let guest: Session
  let uri: string

  beforeAll(async () => {
    sim = await withSimulator()
    alice = await signIn(sim, 'alice@contoso.test')
    bob = await signIn(sim, 'bob@contoso.test')
    const m = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { subject: 'Stand-up' })).json
    uri = m.onlineMeetingUri
    await joinMeeting(alice, uri)
    await joinMeeting(bob, uri)
    guest = await guestSession(sim, m)
    await joinMeeting(guest, uri, { anonymousDisplayName: 'Gina Guest' })
    const waiting = await alice.waitFor((e) => e.embedded?.inLobby === true)
    await alice.post(waiting.embedded._links.admit.href)
    await guest.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'completed')
  })

  it('a waiting member cannot add audio/video; an admitted one can, and all three hear and see each other', async () => {
    const late = await guestSession(sim, { onlineMeetingUri: uri, onlineMeetingId: uri.split(':').at(-1)! })
    await joinMeeting(late, uri, { anonymousDisplayName: 'Late' })
    await late.waitFor((e) => e.rel === 'localParticipant')
    const waitingPeer = new TestPeer('late')
    peers.push(waitingPeer)
    const refused = await late.post(`${await conversationOf(late)}/audioVideo/addAudioVideo`, { _links: { mediaOffer: { href: dataUrl(await waitingPeer.offer()) } } })
    expect(refused.status).toBe(409)

    const [a, b, g] = [await addAudioVideo(alice, 'alice'), await addAudioVideo(bob, 'bob'), await addAudioVideo(guest, 'guest')]
    for (const p of [a, b, g]) p.startSending()
    const pairs: Array<[TestPeer, string]> = [
      [a, 'bob'],
      [a, 'guest'],
      [b, 'alice'],
      [b, 'guest'],
      [g, 'alice'],
      [g, 'bob'],
    ]
    await expect.poll(() => pairs.every(([p, from]) => p.count(from, 'audio') > 10 && p.count(from, 'video') > 10), { timeout: 15_000, interval: 100 }).toBe(true)

    // the roster names each one's media by its source id, as the packets carry it
    const guestAudio = await bob.waitFor((e) => e.rel === 'participantAudio' && e.href.includes('/participants/guest-'))
    const msi = Number(guestAudio.embedded.audioSourceId)
    expect(msi).toBeGreaterThan(0)
    await expect.poll(() => b.sourceOf.get('guest')?.audio, { timeout: 5000 }).toBe(msi)

    // each conversation is Connected with a session at the meeting's focus
    const session = await guest.waitFor((e) => e.rel === 'audioVideoSession')
    expect(session.type).toBe('added')
    const av = (await guest.get(`${await conversationOf(guest)}/audioVideo`)).json
    expect(av.state).toBe('Connected')
    expect(av._links.addAudioVideo).toBeUndefined()
  })

  it('leading: a leader mutes the guest (the others stop hearing it and see it muted), promotes and demotes Bob, ejects the guest', async () => {
    const guestUri = (await guest.waitFor((e) => e.rel === 'localParticipant')).embedded.uri as string
    const guestSip = guestUri.slice(4)
    const aliceConv = await conversationOf(alice)
    const bobConv = await conversationOf(bob)
    // what each one may do to the others, as links (participant_ref.md, participantAudio_ref.md)
    const asAlice = (await alice.get(`${aliceConv}/participants/${guestSip}`)).json
    expect(Object.keys(asAlice._links).filter((k) => ['promote', 'demote', 'eject', 'admit', 'reject'].includes(k)).sort()).toEqual(['eject', 'promote'])
    const asBob = (await bob.get(`${bobConv}/participants/${guestSip}`)).json
    expect(Object.keys(asBob._links).filter((k) => ['promote', 'demote', 'eject'].includes(k))).toEqual([])
    expect((await bob.get(`${bobConv}/participants/${guestSip}/participantAudio`)).json._links.muteAudio).toBeUndefined()
    expect((await bob.post(`${bobConv}/participants/${guestSip}/participantAudio/muteAudio`)).status).toBe(403)
    expect((await bob.post(`${bobConv}/participants/${guestSip}/eject`)).status).toBe(403)

    const audio = (await alice.get(`${aliceConv}/participants/${guestSip}/participantAudio`)).json
    const bobMark = bob.events.length
    expect((await alice.post(audio._links.muteAudio.href)).status).toBe(204)
    const seen = await bob.waitFor((e) => e.rel === 'participantAudio' && e.type === 'updated' && e.href.includes(guestSip), { after: bobMark })
    expect(seen.embedded.audioMuted).toBe(true)
    const b = peers.find((p) => p.tag === 'bob')!
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    // packets already on their way may still land (a loaded machine): wait until the guest's audio stops arriving
    await expect
      .poll(async () => {
        const before = b.count('guest', 'audio')
        await sleep(200)
        return b.count('guest', 'audio') === before
      }, { timeout: 5000 })
      .toBe(true)
    const [heardGuest, heardAlice] = [b.count('guest', 'audio'), b.count('alice', 'audio')]
    await sleep(500)
    expect(b.count('guest', 'audio')).toBe(heardGuest)
    // Alice still comes through meanwhile (20 ms packets: ~25 in 500 ms)
    expect(b.count('alice', 'audio') - heardAlice).toBeGreaterThan(10)

    const bobAsAlice = (await alice.get(`${aliceConv}/participants/bob@contoso.test`)).json
    expect(bobAsAlice._links.demote).toBeUndefined()
    expect((await alice.post(bobAsAlice._links.promote.href)).status).toBe(204)
    expect((await bob.waitFor((e) => e.rel === 'localParticipant' && e.type === 'updated' && e.embedded.role === 'Leader')).embedded.uri).toBe('sip:bob@contoso.test')
    expect((await guest.waitFor((e) => e.rel === 'participant' && e.type === 'updated' && e.embedded.uri === 'sip:bob@contoso.test')).embedded.role).toBe('Leader')
    expect((await alice.get(`${aliceConv}/participants/bob@contoso.test`)).json._links.demote).toBeDefined()
    expect((await alice.post(`${aliceConv}/participants/bob@contoso.test/demote`)).status).toBe(204)
    expect((await alice.post(`${aliceConv}/participants/bob@contoso.test/demote`)).status).toBe(409)
    // nobody ejects or demotes the organizer
    expect((await alice.post(`${aliceConv}/participants/alice@contoso.test/eject`)).status).toBe(404)

    const guestMark = guest.events.length
    expect((await alice.post(asAlice._links.eject.href)).status).toBe(204)
    const av = await guest.waitFor((e) => e.rel === 'audioVideo' && e.type === 'updated', { after: guestMark })
    expect(av.embedded.state).toBe('Disconnected')
    await guest.waitFor((e) => e.rel === 'conversation' && e.type === 'deleted', { after: guestMark })
    await bob.waitFor((e) => e.rel === 'participant' && e.type === 'deleted' && e.href.includes(guestSip))
  })

  it('adding twice is 409; stopAudioVideo takes one member out and the others see its media go', async () => {
    const extra = new TestPeer('x')
    peers.push(extra)
    const again = await alice.post(`${await conversationOf(alice)}/audioVideo/addAudioVideo`, { _links: { mediaOffer: { href: dataUrl(await extra.offer()) } } })
    expect(again.status).toBe(409)
    const mark = alice.events.length
    expect((await bob.post(`${await conversationOf(bob)}/audioVideo/stopAudioVideo`)).status).toBe(204)
    const gone = await alice.waitFor((e) => e.type === 'deleted' && e.rel === 'participantAudio' && e.href.includes('/participants/bob@'), { after: mark })
    expect(gone).toBeTruthy()
  })
})
