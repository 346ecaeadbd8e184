// The simulated people: the echo contact returns your media; Erin answers and joins conferences.
import { afterEach, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
import { TestPeer } from '../conference/test-peer'
import { escalate, joinConference, p2pCall } from './flows'
import { dataUrl, fromDataUrl, signIn, withSimulator, type Ev } from './helpers'

let sim: Simulator
const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()))
  await sim?.close()
})
const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'

describe('simulated users', () => {
  it('the echo contact answers and sends your own media back', { timeout: 20_000 }, async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const a = new TestPeer('alice')
    peers.push(a)
    const r = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, {
      to: 'sip:echo@contoso.test',
      _links: { mediaOffer: { href: dataUrl(await a.offer(0)) } },
    })
    expect(r.status).toBe(201)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    await a.accept(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    expect((await alice.waitFor((e) => isInv(e) && e.type === 'completed')).status).toBe('Success')
    await a.connected()
    a.startSending()
    await expect.poll(() => a.count('alice', 'audio') > 10 && a.count('alice', 'video') > 10, { timeout: 8000 }).toBe(true)
  })

  it('Erin, added to a call, is invited to the conference and joins it by herself', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const p2p = await p2pCall(alice, bob)
    const { a, b } = await escalate(alice, bob, p2p, { invite: 'erin@contoso.test', tags: ['alice', 'bob'] })
    peers.push(p2p.a, p2p.b, a, b)
    expect((await alice.waitFor((e) => e.rel === 'participantInvitation' && e.type === 'completed')).status).toBe('Success')
    await alice.waitFor((e) => e.rel === 'participant' && e.embedded?.uri === 'sip:erin@contoso.test')
    a.startSending()
    b.startSending()
    // Erin's slot is the second one at Bob: what arrives there is Alice's media as Erin reflected it
    await expect.poll(() => b.count('alice', 'audio'), { timeout: 8000 }).toBeGreaterThan(10)
    await expect.poll(() => b.slotCount(1, 'audio'), { timeout: 8000 }).toBeGreaterThan(10)
  }, 30_000)

  it('addParticipant on a conference invites straight away: Carol joins the running conference', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const carol = await signIn(sim, 'carol@contoso.test')
    const p2p = await p2pCall(alice, bob)
    const { a, b } = await escalate(alice, bob, p2p, { tags: ['alice', 'bob'] })
    peers.push(p2p.a, p2p.b, a, b)
    const mark = alice.events.length
    const added = await alice.post(`${p2p.aliceConv}/addParticipant`, { to: 'sip:carol@contoso.test' })
    expect(added.status).toBe(201)
    // already a conference: no escalateAudioVideo link this time, the invitation goes out at once
    const c = await joinConference(carol, 'carol')
    peers.push(c)
    expect(alice.events.slice(mark).some((e) => e.rel === 'audioVideo' && !!e.embedded?._links.escalateAudioVideo)).toBe(false)
    expect((await alice.waitFor((e) => e.rel === 'participantInvitation' && e.type === 'completed', { after: mark })).status).toBe('Success')
    for (const p of [a, b, c]) p.startSending()
    await expect.poll(() => c.count('alice', 'video') > 10 && c.count('bob', 'video') > 10 && a.count('carol', 'audio') > 10, { timeout: 8000 }).toBe(true)
  }, 30_000)
})
