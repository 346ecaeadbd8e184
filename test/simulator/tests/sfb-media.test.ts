// A pool in the SfB 2015 media dialect: multipart offers, answers naming the part taken, SDES-SRTP media through loopback.
import { describe, expect, it } from 'vitest'
import { readDataUrl, toDataUrl } from '../../../main/media-bridge/body'
import { formatCrypto, newSdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { TestPeer } from '../conference/test-peer'
import type { Simulator } from '../index'
import { SfbAnswerer } from '../sfb/answerer'
import { SfbEndpoint } from '../sfb/endpoint'
import { p2pCall } from './flows'
import { fromDataUrl, signIn, withSimulator, type Ev, type Session } from './helpers'
import { closeAfterEach } from './teardown'

let sim: Simulator
const closers: Array<{ close(): Promise<void> }> = []
closeAfterEach(closers, () => sim)
const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'
const ice19 = '<ice19@sfb.test>'

/** Alice calls `to` with the simulated SfB endpoint's multipart offer; the endpoint is returned with the POST's answer. */
async function callFromSfbEndpoint(alice: Session, to: string): Promise<{ ep: SfbEndpoint; status: number; body: string }> {
  const ep = new SfbEndpoint()
  closers.push(ep)
  const offer = await ep.offer()
  const r = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, {
    to,
    _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } },
  })
  return { ep, status: r.status, body: r.text }
}

describe('the sfb2015 media dialect', () => {
  it.each([
    ['the echo contact', 'sip:echo@contoso.test'],
    ['Erin', 'sip:erin@contoso.test'],
  ])('%s answers a multipart offer with its ICE-19 part, and the tone comes back through SDES-SRTP', { timeout: 30_000 }, async (_, to) => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const { ep, status } = await callFromSfbEndpoint(alice, to)
    expect(status).toBe(201)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(neg.embedded.msAcceptedContentId).toBe(ice19)
    const answer = readSfbSdp(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    // the SfB dialect: SDES keys, no fingerprint, RTCP on component 2, ICE-19 credentials
    expect(answer.sections[0]!.keys).toHaveLength(1)
    expect(answer.sections[0]!.fingerprint).toBeUndefined()
    expect(answer.sections[0]!.iceVersion).toBe(19)
    expect(answer.sections[0]!.candidates.map((c) => c.component).sort()).toEqual([1, 2])
    await ep.answered(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    expect((await alice.waitFor((e) => isInv(e) && e.type === 'completed')).status).toBe('Success')
    ep.sendTone(440)
    // the endpoint decodes its own 440 Hz PCMU tone, echoed back: energy well above silence (a tone of this level is ~8000)
    await expect.poll(() => ep.receivedEnergy(), { timeout: 10_000 }).toBeGreaterThan(2000)
    expect(ep.faults).toEqual([])
  })

  it('a person answering names the part taken (processedOfferId) and the caller sees it as msAcceptedContentId', { timeout: 30_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const { ep, status } = await callFromSfbEndpoint(alice, 'sip:bob@contoso.test')
    expect(status).toBe(201)
    const incoming = (await bob.waitFor((e) => isInv(e) && e.type === 'started')).embedded
    // the offer reaches Bob as it was sent: a multipart/alternative data: URL with both parts
    const offer = readDataUrl(incoming._links.mediaOffer.href)
    expect(offer.contentType).toBe('multipart/alternative;boundary=sfb-endpoint-boundary')
    expect(offer.body).toContain('Content-ID: <ice6@sfb.test>')
    expect(offer.body).toContain(`Content-ID: ${ice19}`)
    const bobMedia = new SfbAnswerer()
    closers.push(bobMedia)
    const answer = await bobMedia.answer(offer)
    expect(answer.processedOfferId).toBe(ice19)
    // while ringing, the provisional answer names its part too (sendProvisionalAnswer_ref.md)
    const early = await bob.post(`${incoming._links.sendProvisionalAnswer.href}?sessionContext=b&processedOfferId=${encodeURIComponent(ice19)}`, answer.sdp, { type: 'application/sdp' })
    expect(early.status).toBe(204)
    const provisional = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaProvisionalAnswer)
    expect(provisional.embedded.msAcceptedContentId).toBe(ice19)
    expect(provisional.embedded._links.mediaAnswer).toBeUndefined()
    const accepted = await bob.post(`${incoming._links.acceptWithAnswer.href}?sessionContext=b&processedOfferId=${encodeURIComponent(ice19)}`, answer.sdp, { type: 'application/sdp' })
    expect(accepted.status).toBe(204)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(neg.embedded.msAcceptedContentId).toBe(ice19)
    await ep.answered(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    ep.sendTone(440)
    await expect.poll(() => bobMedia.echoed.audio, { timeout: 10_000 }).toBeGreaterThan(20)
    await expect.poll(() => ep.receivedEnergy(), { timeout: 10_000 }).toBeGreaterThan(2000)
  })

  it('the echo contact, an SfB client, declines a DTLS-only WebRTC offer', { timeout: 30_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const peer = new TestPeer('alice')
    closers.push(peer)
    const r = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, {
      to: 'sip:echo@contoso.test',
      _links: { mediaOffer: { href: toDataUrl('application/sdp', await peer.offer(0)) } },
    })
    expect(r.status).toBe(201)
    const done = await alice.waitFor((e) => isInv(e) && e.type === 'completed')
    expect(done.status).toBe('Failure')
    // declined with EncryptionMismatch (CallDeclineReason_ref.md): the caller is told the media cause
    expect(done.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaEncryptionMismatch' })
    expect(alice.events.some((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded?._links.mediaAnswer)).toBe(false)
  })

  it("in 'webrtc' (the default) a multipart offer is passed on, and the WebRTC echo contact declines its SDES-only parts; control.setMedia switches the pool", { timeout: 30_000 }, async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const refused = await callFromSfbEndpoint(alice, 'sip:echo@contoso.test')
    expect(refused.status).toBe(201)
    const done = await alice.waitFor((e) => isInv(e) && e.type === 'completed')
    expect(done).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'MediaEncryptionMismatch' } })
    sim.control.setMedia('sfb2015')
    const taken = await callFromSfbEndpoint(alice, 'sip:echo@contoso.test')
    expect(taken.status).toBe(201)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(neg.embedded.msAcceptedContentId).toBe(ice19)
  })
})

/** An SDES-keyed ICE-19 offer whose only voice codec is SILK, which the AVMCU's answer never carries (X-H264UC video beside it). */
function silkOnlyOffer(): string {
  return [
    'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=session', 'c=IN IP4 127.0.0.1', 'b=CT:99980', 't=0 0',
    'm=audio 50010 RTP/SAVP 103 104', 'a=ice-ufrag:Abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=candidate:1 1 UDP 2130706431 127.0.0.1 50010 typ host', 'a=candidate:1 2 UDP 2130705918 127.0.0.1 50011 typ host',
    `a=crypto:${formatCrypto(newSdesKey(2))}`, 'a=rtcp:50011', 'a=label:main-audio', 'a=x-ssrc-range:1000-1000',
    'a=rtpmap:103 SILK/16000', 'a=rtpmap:104 SILK/8000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:101 telephone-event/8000',
    // escalateAudioVideo_ref.md: sdp for both modalities
    'm=video 50012 RTP/SAVP 122', 'a=ice-ufrag:Efgh', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=candidate:1 1 UDP 2130706431 127.0.0.1 50012 typ host', 'a=candidate:1 2 UDP 2130705918 127.0.0.1 50013 typ host',
    `a=crypto:${formatCrypto(newSdesKey(2))}`, 'a=rtcp:50013', 'a=label:main-video', 'a=x-ssrc-range:2000-2099', 'a=rtpmap:122 X-H264UC/90000', '',
  ].join('\r\n')
}

describe('the conference unit in the sfb2015 dialect', () => {
  it('refuses a DTLS-only escalation offer (MediaEncryptionRequired) and one with no codec in common (CodecMismatch); the P2P call goes on', { timeout: 40_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const p2p = await p2pCall(alice, bob)
    closers.push(p2p.a, p2p.b)
    const escalateWith = async (offer: string): Promise<Ev> => {
      const mark = alice.events.length
      const esc = await alice.post(`${p2p.aliceConv}/audioVideo/escalateAudioVideo?operationId=esc&sessionContext=esc`, offer, { type: 'application/sdp' })
      expect(esc.status).toBe(201)
      return alice.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === esc.json._links.self.href, { after: mark })
    }
    const dtls = new TestPeer('alice')
    closers.push(dtls)
    const refusedDtls = await escalateWith(await dtls.offer())
    expect(refusedDtls.status).toBe('Failure')
    expect(refusedDtls.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaEncryptionRequired' })
    const refusedCodec = await escalateWith(silkOnlyOffer())
    expect(refusedCodec.status).toBe('Failure')
    expect(refusedCodec.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaNegotiationFailure' })
    expect(refusedCodec.reason!.message).toMatch(/^CodecMismatch: .*SILK/)
    // make before break: the refused escalations left the P2P call as it was, media still flowing
    p2p.a.startSending()
    await expect.poll(() => p2p.b.count('caller-p2p', 'audio'), { timeout: 8000 }).toBeGreaterThan(10)
  })

  it("refuses a DTLS-only addAudioVideo in an online meeting with MediaEncryptionRequired", { timeout: 30_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const m = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { subject: 'Stand-up' })).json
    expect((await alice.post(alice.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: m.onlineMeetingUri })).status).toBe(201)
    const conversation = (await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'added')).href
    const peer = new TestPeer('alice')
    closers.push(peer)
    const audioVideo = (await alice.get(`${conversation}/audioVideo`)).json
    const mark = alice.events.length
    const r = await alice.post(audioVideo._links.addAudioVideo.href, { operationId: 'av', sessionContext: 'av', _links: { mediaOffer: { href: toDataUrl('application/sdp', await peer.offer()) } } })
    expect(r.status).toBe(201)
    const done = await alice.waitFor((e) => isInv(e) && e.type === 'completed', { after: mark })
    expect(done.status).toBe('Failure')
    expect(done.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaEncryptionRequired' })
  })
})
