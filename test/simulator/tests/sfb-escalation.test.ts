// Through the pool's routes in sfb2015: a P2P call between SfB clients escalated to a conference whose unit speaks
// their dialect (escalateAudioVideo_ref.md; the moved peer answers the unit's offer), and SfB clients joining an online
// meeting's audio/video with multipart offers (addAudioVideo_ref.md); media heard both ways.
import { describe, expect, it } from 'vitest'
import { parseMediaBody, readDataUrl, toDataUrl } from '../../../main/media-bridge/body'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import type { Simulator } from '../index'
import { SfbMember } from '../sfb/member'
import { fromDataUrl, signIn, withSimulator, type Ev } from './helpers'
import { closeAfterEach } from './teardown'

let sim: Simulator
const closers: Array<{ close(): Promise<void> }> = []
closeAfterEach(closers, () => sim)
const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'

describe('escalation in the sfb2015 dialect', () => {
  it('SfB clients in a P2P call escalate; the unit answers in their dialect, mixes their voices and sends Bob’s video after Alice asks for his videoSourceId', { timeout: 90_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const [pa, pb, ea, eb] = [new SfbMember('alice-p2p'), new SfbMember('bob-p2p'), new SfbMember('alice', { video: true }), new SfbMember('bob', { video: true })]
    closers.push(pa, pb, ea, eb)

    // the P2P call: Alice's multipart offer, Bob answering its ICE-19 part
    const offer = await pa.offer(true)
    await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, { to: 'sip:bob@contoso.test', operationId: 'p2p', sessionContext: 'p2p', _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
    const incoming = (await bob.waitFor((e) => isInv(e) && e.type === 'started')).embedded
    const received = readDataUrl(incoming._links.mediaOffer.href)
    const ice19 = parseMediaBody(received.body, received.contentType).parts.at(-1)!
    await bob.post(`${incoming._links.acceptWithAnswer.href}?sessionContext=b&processedOfferId=${encodeURIComponent(ice19.contentId!)}`, await pb.answer(ice19.sdp), { type: 'application/sdp' })
    const p2pAnswer = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    await pa.answered(fromDataUrl(p2pAnswer.embedded._links.mediaAnswer.href))
    expect((await alice.waitFor((e) => isInv(e) && e.type === 'completed')).status).toBe('Success')
    const aliceConv = (await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'added')).href

    // escalation: Alice offers the unit an ICE-19 SDP; Bob is moved with the unit's offer
    const mark = alice.events.length
    const esc = await alice.post(`${aliceConv}/audioVideo/escalateAudioVideo?operationId=esc&sessionContext=esc`, (await ea.offer()).body, { type: 'application/sdp' })
    expect(esc.status).toBe(201)
    const answer = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === esc.json._links.self.href && !!e.embedded._links.mediaAnswer, { after: mark })
    const answerSdp = fromDataUrl(answer.embedded._links.mediaAnswer.href)
    expect(readSfbSdp(answerSdp).sections.map((s) => [s.kind, s.keys.length, s.fingerprint])).toEqual([
      ['audio', 1, undefined],
      ['video', 1, undefined],
    ])
    await ea.answered(answerSdp)
    const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo)).embedded
    await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=m`, await eb.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
    expect((await alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === esc.json._links.self.href, { after: mark })).status).toBe('Success')

    ea.sendTone(400)
    eb.sendTone(1000)
    ea.sendVideo()
    eb.sendVideo()
    await expect.poll(() => ea.toneLevel(1000) > 4000 && eb.toneLevel(400) > 4000, { timeout: 20_000, interval: 200 }).toBe(true)
    const bobVideo = Number((await alice.waitFor((e) => e.rel === 'participantVideo' && e.href.includes('bob@contoso.test'))).embedded.videoSourceId)
    await new Promise((r) => setTimeout(r, 1000))
    expect(ea.video).toHaveLength(0) // nothing asked, nothing sent
    ea.requestVideo(bobVideo)
    await expect.poll(() => ea.videoFrom(bobVideo).frames, { timeout: 15_000, interval: 100 }).toBeGreaterThan(5)
    expect(eb.video).toHaveLength(0)
  })

  it('SfB clients add audio/video to an online meeting with multipart offers: the unit takes each ICE-19 part, the negotiation names it, and they hear each other', { timeout: 90_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const uri = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { subject: 'Stand-up' })).json.onlineMeetingUri
    const members = new Map([[alice, new SfbMember('alice')], [bob, new SfbMember('bob')]])
    closers.push(...members.values())
    for (const [s, member] of members) {
      expect((await s.post(s.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: uri })).status).toBe(201)
      const conversation = (await s.waitFor((e) => e.rel === 'conversation' && e.type === 'added')).href
      const audioVideo = (await s.get(`${conversation}/audioVideo`)).json
      const offer = await member.offer(true)
      const mark = s.events.length
      const r = await s.post(audioVideo._links.addAudioVideo.href, { operationId: 'av', sessionContext: 'av', _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
      expect(r.status).toBe(201)
      const neg = await s.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded?._links.mediaAnswer, { after: mark })
      expect(neg.embedded.msAcceptedContentId).toBe(`<ice19-${member.tag}@sfb.test>`)
      await member.answered(fromDataUrl(neg.embedded._links.mediaAnswer.href))
      expect((await s.waitFor((e) => isInv(e) && e.type === 'completed', { after: mark })).status).toBe('Success')
    }
    members.get(alice)!.sendTone(400)
    members.get(bob)!.sendTone(1000)
    await expect.poll(() => members.get(alice)!.toneLevel(1000) > 4000 && members.get(bob)!.toneLevel(400) > 4000, { timeout: 20_000, interval: 200 }).toBe(true)
  })
})
