// The conference unit in the sfb2015 dialect, run apart as the pool runs it: SfB clients joining by offer (plain or
// multipart) and by answering the unit's offer hear each other through SDES-SRTP over ICE-19, and see a member's
// video only after asking for it (VSR).
import { afterEach, describe, expect, it } from 'vitest'
import { parseMediaBody, writeMultipartAlternative } from '../../../main/media-bridge/body'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { MediaNegotiationError } from '../conference/mcu'
import { UnitRefusal } from '../conference/sfb-admission'
import { TestPeer } from '../conference/test-peer'
import { MediaUnit } from '../conference/unit'
import { SfbMember } from '../sfb/member'

const msi = (n: number) => ({ audio: n * 100, video: n * 100 + 1 })
const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const x of open.splice(0)) await x.close() // in order: members and conferences before their unit
})

function sfbUnit(): MediaUnit {
  const unit = new MediaUnit()
  unit.dialect = 'sfb2015'
  open.push(unit)
  return unit
}

describe('the conference unit in the sfb2015 dialect', () => {
  it('three SfB clients hear each other mixed, and get a member’s X-H264UC video only after asking for it', { timeout: 90_000 }, async () => {
    const conf = sfbUnit().open('c1')
    const [a, b, c] = [new SfbMember('alice', { video: true }), new SfbMember('bob', { video: true, mki: 1 }), new SfbMember('carol', { video: true, mux: true, pcma: true })]
    open.unshift(a, b, c, { close: () => conf.close() })

    // Alice escalates with a multipart body: the unit takes the ICE-19 part and names it
    const offerA = await a.offer(true)
    const joinedA = await conf.joinWithOffer('alice', offerA.body, msi(1), offerA.contentType)
    expect(joinedA.processedOfferId).toBe('<ice19-alice@sfb.test>')
    const answerA = readSfbSdp(joinedA.answer).sections
    expect(answerA.map((s) => [s.kind, s.port > 0, s.keys.length, s.fingerprint, s.iceVersion, s.rtcpMux])).toEqual([
      ['audio', true, 1, undefined, 19, false],
      ['video', true, 1, undefined, 19, false],
    ])
    // RTCP on component 2 (neither side offered mux), SfB payload types, the unit's SSRC ranges and Alice's MSIs
    expect(answerA[0]!.candidates.map((x) => x.component).sort()).toEqual([1, 2])
    expect(answerA[0]!.codecs.map((x) => `${x.payloadType} ${x.name}`)).toEqual(['0 PCMU', '9 G722'])
    expect(answerA[1]!.codecs.map((x) => `${x.payloadType} ${x.name}`)).toEqual(['122 X-H264UC'])
    expect(answerA[1]!.codecs[0]!.fmtp).toBe('packetization-mode=1;mst-mode=NI-TC')
    expect(answerA.map((s) => s.ssrcRange!.last - s.ssrcRange!.first)).toEqual([0, 99])
    expect(answerA.map((s) => s.sourceStreamId)).toEqual(['100', '101'])
    await a.answered(joinedA.answer)
    await joinedA.connected

    // Bob, the moved P2P peer, answers the unit's offer (his keys carry an MKI)
    const o = await conf.offerTo('bob', msi(2))
    const offerB = readSfbSdp(o.offer).sections
    expect(offerB.map((s) => [s.kind, s.keys.length, s.fingerprint, s.rtcpMux, s.sourceStreamId])).toEqual([
      ['audio', 1, undefined, false, '200'],
      ['video', 1, undefined, false, '201'],
    ])
    await (await o.complete(await b.answer(o.offer))).connected

    // Carol offers a plain ICE-19 SDP with rtcp-mux and PCMA: both offered mux, so the answer muxes (component 1 only)
    const offerC = await c.offer()
    const joinedC = await conf.joinWithOffer('carol', offerC.body, msi(3), offerC.contentType)
    expect(joinedC.processedOfferId).toBeNull()
    const answerC = readSfbSdp(joinedC.answer).sections
    expect(answerC.map((s) => [s.rtcpMux, s.candidates.map((x) => x.component)])).toEqual([
      [true, [1]],
      [true, [1]],
    ])
    await c.answered(joinedC.answer)
    await joinedC.connected

    const tones = { alice: 400, bob: 1000, carol: 1600 }
    for (const [m, hz] of [[a, tones.alice], [b, tones.bob], [c, tones.carol]] as const) {
      m.sendTone(hz)
      m.sendVideo()
    }
    // each hears the two others (a tone of amplitude 8000 each) and not themself; the CSRCs name who is in the mix
    const hears = (m: SfbMember, others: number[], own: number) => others.every((hz) => m.toneLevel(hz) > 4000) && m.toneLevel(own) < 500
    await expect.poll(() => hears(a, [tones.bob, tones.carol], tones.alice) && hears(b, [tones.alice, tones.carol], tones.bob) && hears(c, [tones.alice, tones.bob], tones.carol), { timeout: 20_000, interval: 200 }).toBe(true)
    expect(new Set(a.audio.slice(-10).flatMap((h) => h.csrc))).toEqual(new Set([200, 300]))
    // each gets the mix in the law it sends: PCMU to Alice, PCMA to Carol (Carol's A-law voice reached Alice as μ-law)
    expect(a.audio.every((h) => h.payloadType === 0)).toBe(true)
    expect(c.audio.every((h) => h.payloadType === 8)).toBe(true)

    // everyone has been sending video for a while: nobody asked, so nobody got any
    await new Promise((r) => setTimeout(r, 1500))
    expect([a.video.length, b.video.length, c.video.length]).toEqual([0, 0, 0])

    // Alice asks for Bob's video: the unit asks Bob for a key frame and forwards his frames, PACSI and all
    const plisBefore = b.plis
    a.requestVideo(201)
    await expect.poll(() => a.videoFrom(201).frames, { timeout: 15_000, interval: 100 }).toBeGreaterThan(10)
    expect(b.plis).toBeGreaterThan(plisBefore)
    expect(a.videoFrom(201).idr).toBeGreaterThan(0)
    // X-H264UC as Bob sent it: a PACSI packet before every frame (one more or fewer: the route opened, or the count ran, mid-frame)
    const bobs = a.videoFrom(201)
    expect(Math.abs(bobs.pacsi - bobs.frames)).toBeLessThanOrEqual(1)
    expect(a.video.every((h) => h.payloadType === 122)).toBe(true)
    expect(a.videoFrom(301).packets).toBe(0) // Carol's video was not asked for
    expect([b.video.length, c.video.length]).toEqual([0, 0])

    // muted on the server (muteAudio), Bob's voice reaches nobody; unmuted, it is back; Carol gone, she is out of the mix
    conf.setMuted('bob', 'audio', true)
    await expect.poll(() => a.toneLevel(tones.bob, 10) < 500 && c.toneLevel(tones.bob, 10) < 500 && a.toneLevel(tones.carol, 10) > 4000, { timeout: 10_000, interval: 100 }).toBe(true)
    conf.setMuted('bob', 'audio', false)
    await expect.poll(() => a.toneLevel(tones.bob, 10) > 4000, { timeout: 10_000, interval: 100 }).toBe(true)
    await conf.leave('carol')
    await expect.poll(() => a.toneLevel(tones.carol, 10) < 500 && a.toneLevel(tones.bob, 10) > 4000 && b.toneLevel(tones.alice, 10) > 4000, { timeout: 10_000, interval: 100 }).toBe(true)
  })

  it('refuses what an AVMCU refuses with typed reasons: a DTLS-only offer, no codec in common, ICE version 6 only', { timeout: 60_000 }, async () => {
    const unit = sfbUnit()
    const [dtls, silk, ice6] = [new TestPeer('x'), new SfbMember('silk'), new SfbMember('ice6', { video: true })]
    open.unshift(dtls, silk, ice6)
    const refusal = async (offer: string, type?: string) => {
      const e = await unit.open('c1').joinWithOffer('x', offer, msi(1), type).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(UnitRefusal)
      return (e as UnitRefusal).reason
    }
    expect(await refusal(await dtls.offer(0))).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaEncryptionRequired' })
    // SILK alone: the unit answers G.711 and G.722 only (avmcu-answer.txt)
    const silkOnly = (await silk.offer()).body.replace(/^m=audio (\d+) RTP\/SAVP .*$/m, 'm=audio $1 RTP/SAVP 104').replace(/^a=rtpmap:9 .*$/m, 'a=rtpmap:104 SILK/16000').replace(/^a=rtpmap:0 .*\r\n/m, '')
    expect(await refusal(silkOnly)).toMatchObject({ subcode: 'MediaNegotiationFailure', message: expect.stringMatching(/^CodecMismatch: .*SILK/) })
    // an ICE-6 body alone (the fallback part without its ICE-19 sibling): refused inside the unit, the reason crossing to the pool
    const body = await ice6.offer(true)
    const fallback = parseMediaBody(body.body, body.contentType).parts[0]!.sdp
    const reason = await refusal(fallback)
    expect(reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaNegotiationFailure', message: expect.stringMatching(/^UnsupportedMedia: .*ICE version 6/) })
  })

  it('takes the SfB part of a body that also carries a WebRTC part (Parley’s own offers) and names it', { timeout: 60_000 }, async () => {
    const conf = sfbUnit().open('c1')
    const [sfb, webrtc] = [new SfbMember('parley'), new TestPeer('parley')]
    open.unshift(sfb, webrtc, { close: () => conf.close() })
    const body = writeMultipartAlternative(
      [
        { contentId: '<sfb@parley.test>', fallback: false, sdp: (await sfb.offer()).body },
        { contentId: '<webrtc@parley.test>', fallback: false, sdp: await webrtc.offer(0) },
      ],
      'parley-boundary',
    )
    const joined = await conf.joinWithOffer('parley', body.body, msi(1), body.contentType)
    expect(joined.processedOfferId).toBe('<sfb@parley.test>')
    expect(readSfbSdp(joined.answer).sections[0]!.keys).toHaveLength(1)
    await sfb.answered(joined.answer)
    await joined.connected
  })

  it('refuses an answer to its offer that has no SDES key, and a WebRTC conference is unchanged beside it', { timeout: 60_000 }, async () => {
    const unit = sfbUnit()
    const bob = new SfbMember('bob')
    open.unshift(bob)
    const o = await unit.open('c1').offerTo('bob', msi(2))
    const noKeys = (await bob.answer(o.offer)).replace(/^a=crypto:.*\r\n/gm, '')
    const e = await o.complete(noKeys).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MediaNegotiationError)
    expect((e as UnitRefusal).reason).toMatchObject({ subcode: 'MediaEncryptionRequired' })
    unit.dialect = 'webrtc'
    const w = await unit.open('c2').offerTo('alice', msi(1))
    expect(w.offer).toMatch(/^a=fingerprint:/m) // DTLS, as before
    await w.cancel()
  })
})
