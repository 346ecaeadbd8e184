// A pool in the SfB 2015 media dialect: multipart offers, answers naming the part taken, SDES-SRTP media through loopback.
import { afterEach, describe, expect, it } from 'vitest'
import { readDataUrl, toDataUrl } from '../../../main/media-bridge/body'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import type { Simulator } from '../index'
import { SfbAnswerer } from '../sfb/answerer'
import { SfbEndpoint } from '../sfb/endpoint'
import { fromDataUrl, signIn, withSimulator, type Ev, type Session } from './helpers'

let sim: Simulator
const closers: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()))
  await sim?.close()
})
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
    const accepted = await bob.post(`${incoming._links.acceptWithAnswer.href}?sessionContext=b&processedOfferId=${encodeURIComponent(ice19)}`, answer.sdp, { type: 'application/sdp' })
    expect(accepted.status).toBe(204)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(neg.embedded.msAcceptedContentId).toBe(ice19)
    await ep.answered(fromDataUrl(neg.embedded._links.mediaAnswer.href))
    ep.sendTone(440)
    await expect.poll(() => bobMedia.echoed.audio, { timeout: 10_000 }).toBeGreaterThan(20)
    await expect.poll(() => ep.receivedEnergy(), { timeout: 10_000 }).toBeGreaterThan(2000)
  })

  it("in 'webrtc' (the default) a multipart offer is not taken; control.setMedia switches the pool", { timeout: 30_000 }, async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const refused = await callFromSfbEndpoint(alice, 'sip:echo@contoso.test')
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'BadRequest', subcode: 'InvalidMediaDescription' })
    sim.control.setMedia('sfb2015')
    const taken = await callFromSfbEndpoint(alice, 'sip:echo@contoso.test')
    expect(taken.status).toBe(201)
    const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(neg.embedded.msAcceptedContentId).toBe(ice19)
  })
})
