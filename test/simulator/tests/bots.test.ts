// The simulated people: the echo contact returns your media; Erin answers and joins conferences.
import { afterEach, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
import { TestPeer } from '../conference/test-peer'
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
    const [a, b] = [new TestPeer('alice-p2p'), new TestPeer('bob-p2p')]
    peers.push(a, b)
    await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, { to: 'bob@contoso.test', _links: { mediaOffer: { href: dataUrl(await a.offer(0)) } } })
    const inc = (await bob.waitFor((e) => isInv(e) && e.type === 'started')).embedded
    await bob.post(`${inc._links.acceptWithAnswer.href}?sessionContext=b`, await b.answer(fromDataUrl(inc._links.mediaOffer.href)), { type: 'application/sdp' })
    const conv = (await alice.waitFor((e) => e.rel === 'conversation')).href
    await alice.waitFor((e) => isInv(e) && e.type === 'completed')
    await alice.post(`${conv}/addParticipant`, { to: 'erin@contoso.test' })
    const link = (await alice.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.escalateAudioVideo)).embedded._links.escalateAudioVideo.href
    const a2 = new TestPeer('alice')
    const b2 = new TestPeer('bob')
    peers.push(a2, b2)
    const esc = await alice.post(`${link}?operationId=o&sessionContext=s`, await a2.offer(), { type: 'application/sdp' })
    const ans = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === esc.json._links.self.href && !!e.embedded._links.mediaAnswer)
    await a2.accept(fromDataUrl(ans.embedded._links.mediaAnswer.href))
    const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo)).embedded
    await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=m`, await b2.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
    expect((await alice.waitFor((e) => e.rel === 'participantInvitation' && e.type === 'completed')).status).toBe('Success')
    a2.startSending()
    b2.startSending()
    // Erin reflects what she receives on her main slot, so Alice and Bob get packets from her slot
    await expect.poll(() => sim.control.world.conferencing.conferences, { timeout: 5000 }).toBe(1)
    await alice.waitFor((e) => e.rel === 'participant' && e.embedded?.uri === 'sip:erin@contoso.test')
    // Erin's slot is the second one at Bob: what arrives there is Alice's media as Erin reflected it
    await expect.poll(() => b2.count('alice', 'audio'), { timeout: 8000 }).toBeGreaterThan(10)
    await expect.poll(() => b2.slotCount(1, 'audio'), { timeout: 8000 }).toBeGreaterThan(10)
  }, 30_000)
})
