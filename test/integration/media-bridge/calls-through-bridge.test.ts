// The media bridge inside the call engine: a real core against the simulator in the SfB 2015 dialect, with a werift
// renderer stand-in that speaks only WebRTC. What the pool received and what flows on the wire is asserted.
import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createCore, type Core } from '../../../main/core/core'
import { toDataUrl } from '../../../main/media-bridge/body'
import { UcwaClient } from '../../../main/ucwa/client'
import type { UcwaEvent } from '../../../main/ucwa/events'
import { writeMultipartAlternative } from '../../../main/media-bridge/body'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { formatCrypto, newSdesKey } from '../../../main/media-bridge/sdes'
import { MemoryTokenStore } from '../../../main/credentials/token-store'
import { parseMediaBody } from '../../../main/media-bridge/body'
import { mulawRms } from '../../simulator/sfb/g711'
import { startSimulator, type Simulator } from '../../simulator/index'
import type { CallSnapshot } from '../../../preload/contract'
import { closeAfterEach } from '../../support/close-after-each'
import { ok } from '../../support/dispatch-result'
import { coreRenderer, type CoreRenderer } from './core-renderer'
import { until } from './renderer-peer'

let sim: Simulator
const cleanup: (() => Promise<unknown>)[] = []
closeAfterEach(cleanup, () => sim)

async function parley(name: string, options: { video?: boolean } = {}): Promise<{ core: Core; renderer: CoreRenderer; logs: string[]; changes: CallSnapshot[]; calls: () => Promise<CallSnapshot[]>; ended: () => CallSnapshot | undefined }> {
  const logs: string[] = []
  const core = await createCore({ host: 'browser', version: '1.2.3', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000, log: (m) => logs.push(m), ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  const renderer = coreRenderer(core, options)
  const changes: CallSnapshot[] = []
  core.events.subscribe((name, payload) => name === 'calls.changed' && changes.push(payload as CallSnapshot))
  cleanup.push(() => core.close(), () => renderer.close())
  await ok(core.dispatch('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url }))
  return { core, renderer, logs, changes, calls: async () => (await ok(core.dispatch('calls.list', undefined))) as CallSnapshot[], ended: () => changes.find((c) => c.state === 'ended') }
}

/** An SfB 2015 client calling `to`: signs in as `name` and sends `offer` (a multipart body) with startAudioVideo, as the pool's own clients do. */
async function sfbCall(name: string, to: string, offer: { contentType: string; body: string }) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  cleanup.push(() => client.signOut())
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  await client.http.post(client.communicationLink('startAudioVideo'), { to: `sip:${to}`, operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
  const app = sim.control.world.apps.get(sim.control.applications(`${name}@contoso.test`)[0]!.id)!
  const events: UcwaEvent[] = []
  client.on('events', (list) => void events.push(...list))
  /** the caller's invitation as the pool keeps it (state, the callee's answer); how it completed, as the caller's events said */
  return { client, invitation: () => [...app.invitations.values()].at(-1)!, completed: () => events.find((e) => e.link.rel === 'audioVideoInvitation' && e.type === 'completed') }
}

/** A pool in the SfB 2015 dialect, Alice's Parley and an SfB endpoint for Bob (closed after the test), both with `video` or not. */
async function aliceAndSfbEndpoint(options: { video?: boolean } = {}) {
  sim = await startSimulator({ port: 0, media: 'sfb2015' })
  const alice = await parley('alice', options)
  const endpoint = new SfbEndpoint(options)
  cleanup.push(() => endpoint.close())
  return { alice, endpoint }
}

/** Waits (20 s) until the Parley's first call rings. */
const ringsAt = (p: { calls: () => Promise<CallSnapshot[]> }) => expect.poll(async () => (await p.calls())[0]?.state, { timeout: 20_000 }).toBe('ringing')

/** the G.711 μ-law energy of what a renderer peer received (RMS, 0..32767) */
const energy = (r: CoreRenderer, callId: string) => mulawRms(Buffer.concat((r.peers.get(callId)?.received ?? []).filter((p) => p.payloadType === 0).map((p) => p.payload)))

describe('calls through the media bridge (simulator in sfb2015)', { timeout: 60_000 }, () => {
  it('a call to an SfB endpoint: the pool gets one multipart offer (WebRTC part, SfB ICE-19 part last), the endpoint takes the SfB part, and audio goes both ways through the bridge', async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice')
    const call = (await ok(alice.core.dispatch('calls.start', { to: 'echo@contoso.test' }))) as CallSnapshot
    await expect.poll(async () => (await alice.calls())[0]?.state, { timeout: 20_000 }).toBe('connected')

    // what the pool received: the callee's invitation carries Parley's multipart body as it came
    const echoApp = sim.control.world.apps.get(sim.control.applications('echo@contoso.test')[0]!.id)!
    const inv = [...echoApp.invitations.values()].at(-1)!
    expect(inv.mediaOfferType).toMatch(/^multipart\/alternative;boundary=/)
    const parts = parseMediaBody(inv.mediaOffer, inv.mediaOfferType!).parts
    expect(parts).toHaveLength(2)
    expect(parts[0]!.sdp).toMatch(/^a=fingerprint:/m)
    expect(parts[1]!.sdp).not.toMatch(/^a=fingerprint:/m)
    expect(parts[1]!.sdp).toMatch(/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 /m)
    // the SfB endpoint named the part it took, and answered in its dialect
    const callerInv = [...sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!.invitations.values()].at(-1)!
    expect(callerInv.negotiation?.acceptedContentId).toBe(parts[1]!.contentId)

    // the renderer saw only WebRTC: its own offer went out, the bridge's DTLS answer came back
    const answer = alice.renderer.seen.find((s) => s.kind === 'answer')!.sdp
    expect(answer).toMatch(/^a=fingerprint:sha-256 /m)
    expect(answer).not.toMatch(/a=crypto/)

    // audio: the renderer's tone goes to the endpoint (SDES-SRTP), which echoes it back through the bridge
    const peer = alice.renderer.peers.get(call.id)!
    peer.sendTone(440)
    await until(() => peer.received.filter((p) => p.payloadType === 0).length >= 25, '25 echoed packets', 20_000)
    expect(energy(alice.renderer, call.id)).toBeGreaterThan(2000)
    // sent by the bridge's renderer leg (the SSRC its answer announced), rewritten from the endpoint's SDES-SRTP
    expect(new Set(peer.received.map((p) => p.ssrc))).toEqual(new Set([Number(/^a=ssrc:(\d+) /m.exec(answer)![1])]))
    await ok(alice.core.dispatch('calls.hangUp', { callId: call.id }))
  })

  it('an SfB client calls: Parley answers the ICE-19 part and names it (processedOfferId), the renderer gets only WebRTC, and audio goes both ways', async () => {
    const { alice, endpoint } = await aliceAndSfbEndpoint()
    const bob = await sfbCall('bob', 'alice@contoso.test', await endpoint.offer())
    await ringsAt(alice)
    const callId = (await alice.calls())[0]!.id
    // while it rings: the bridge's provisional answer to the ICE-19 part, named as the endpoint wrote it, in the SfB
    // dialect; the endpoint connects to it before anyone accepts, and the renderer has not been asked anything yet
    await expect.poll(() => bob.invitation().negotiation?.provisionalAnswer, { timeout: 20_000 }).toBeTruthy()
    expect(bob.invitation().negotiation?.acceptedContentId).toBe('<ice19@sfb.test>')
    const early = bob.invitation().negotiation!.provisionalAnswer!
    expect(early).toMatch(/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/m)
    expect(early).not.toMatch(/a=fingerprint/)
    await endpoint.answered(early)
    expect(alice.renderer.seen).toEqual([])

    await ok(alice.core.dispatch('calls.accept', { callId }))
    await expect.poll(() => bob.invitation().negotiation?.answer, { timeout: 20_000 }).toBeTruthy()
    expect(bob.invitation().negotiation!.answer).toBe(early)
    expect(bob.invitation().negotiation?.acceptedContentId).toBe('<ice19@sfb.test>')
    // the renderer was handed the bridge's WebRTC offer, never the SfB body
    const offered = alice.renderer.seen.find((s) => s.kind === 'offer')!.sdp
    expect(offered).toMatch(/^a=fingerprint:sha-256 /m)
    expect(offered).not.toMatch(/a=crypto|multipart|ice19@sfb\.test/)

    const peer = alice.renderer.peers.get(callId)!
    endpoint.sendTone(440)
    peer.sendTone(300)
    await until(() => endpoint.received.length >= 25 && peer.received.length >= 25, '25 packets each way', 20_000)
    expect(endpoint.receivedEnergy()).toBeGreaterThan(2000)
    expect(energy(alice.renderer, callId)).toBeGreaterThan(2000)
    expect((await alice.calls())[0]?.state).toBe('connected')
  })

  it('hold both ways on a bridged call: the pool gets SfB-dialect re-offers and re-answers, the renderer only WebRTC, and the call shows who holds', async () => {
    const { alice, endpoint } = await aliceAndSfbEndpoint()
    const offer = await endpoint.offer()
    const bob = await sfbCall('bob', 'alice@contoso.test', offer)
    await ringsAt(alice)
    const callId = (await alice.calls())[0]!.id
    await ok(alice.core.dispatch('calls.accept', { callId }))
    await expect.poll(async () => (await alice.calls())[0]?.state, { timeout: 20_000 }).toBe('connected')
    await endpoint.answered(bob.invitation().negotiation!.answer!)
    const calls = sim.control.world.calls
    const bobApp = sim.control.world.apps.get(sim.control.applications('bob@contoso.test')[0]!.id)!
    const pending = () => [...calls.renegotiations.values()].find((r) => r.state === 'Pending')

    // Alice holds: the pool carries an SfB re-offer (SDES, no fingerprint) with every line inactive; Bob's SfB client answers
    await ok(alice.core.dispatch('calls.change', { callId, change: 'hold' }))
    await expect.poll(() => pending(), { timeout: 20_000 }).toBeTruthy()
    const hold = pending()!
    expect(hold.offer).toMatch(/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 /m)
    expect(hold.offer).not.toMatch(/a=fingerprint/)
    expect(hold.offer.match(/^a=inactive\r$/gm)).toHaveLength(1)
    const ice19 = parseMediaBody(offer.body, offer.contentType).parts.at(-1)!.sdp
    calls.answerRenegotiation(bobApp, hold, ice19.replace(/^(m=audio .*\r\n)/m, '$1a=inactive\r\n'))
    await expect.poll(async () => (await alice.calls())[0]?.held, { timeout: 20_000 }).toBe(true)
    // the renderer got the bridge's WebRTC answer to its own re-offer, never the SfB one
    expect(alice.renderer.seen.filter((s) => s.kind === 'reanswer').map((s) => /^a=fingerprint:/m.test(s.sdp) && /^a=inactive\r?$/m.test(s.sdp))).toEqual([true])

    await ok(alice.core.dispatch('calls.change', { callId, change: 'resume' }))
    await expect.poll(() => pending(), { timeout: 20_000 }).toBeTruthy()
    const resume = pending()!
    expect(resume.offer).not.toMatch(/^a=(inactive|sendonly|recvonly)/m)
    calls.answerRenegotiation(bobApp, resume, ice19)
    await expect.poll(async () => (await alice.calls())[0]?.held, { timeout: 20_000 }).toBe(false)
    // resumed: the same legs, keys and addresses still carry the endpoint's audio to the renderer
    endpoint.sendTone(440)
    await until(() => (alice.renderer.peers.get(callId)?.received.length ?? 0) >= 25, 'audio after resume', 20_000)
    expect(energy(alice.renderer, callId)).toBeGreaterThan(2000)

    // Bob holds (sendonly, as SfB clients do): Parley's SfB re-answer mirrors it (recvonly), the renderer was offered the change in WebRTC
    const bobConversation = [...bobApp.conversations.values()].at(-1)!
    const theirs = calls.renegotiate(bobApp, bobConversation, ice19.replace(/^(m=audio .*\r\n)/m, '$1a=sendonly\r\n'), 'bob-hold')
    await expect.poll(() => theirs.state, { timeout: 20_000 }).toBe('Answered')
    expect(theirs.answer).toMatch(/^a=recvonly\r$/m)
    expect(theirs.answer).toMatch(/^a=crypto:1 /m)
    const reoffered = alice.renderer.seen.filter((s) => s.kind === 'offer').at(-1)!.sdp
    expect(reoffered).toMatch(/^a=fingerprint:/m)
    expect(reoffered).toMatch(/^a=recvonly\r?$/m)
    await expect.poll(async () => (await alice.calls())[0]?.remoteHeld).toBe(true)

    // a re-offer with a new key would need new legs: dismissed with UnsupportedMedia (ReNegotiationDeclineReason_ref.md), the call goes on, the renderer not asked
    const offersSeen = alice.renderer.seen.length
    const rekeyed = ice19.replace(/^a=crypto:.*$/m, `a=crypto:${formatCrypto(newSdesKey(1))}\r`)
    const refused = calls.renegotiate(bobApp, bobConversation, rekeyed, 'bob-rekey')
    await expect.poll(() => refused.state, { timeout: 20_000 }).toBe('Dismissed')
    expect(refused.dismissReason).toBe('UnsupportedMedia')
    expect(alice.renderer.seen.length).toBe(offersSeen)
    expect((await alice.calls())[0]?.state).toBe('connected')
  })

  it('Parley calls Parley: the callee takes the WebRTC part, names it, and media flows between the two renderers with no bridge', async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice')
    const bob = await parley('bob')
    const call = (await ok(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))) as CallSnapshot
    await expect.poll(async () => (await bob.calls())[0]?.state, { timeout: 20_000 }).toBe('ringing')
    const bobCallId = (await bob.calls())[0]!.id
    await ok(bob.core.dispatch('calls.accept', { callId: bobCallId }))
    await expect.poll(async () => (await alice.calls())[0]?.state, { timeout: 20_000 }).toBe('connected')

    // bob's renderer answered alice's renderer's own offer, untouched; alice's renderer applied bob's renderer's answer
    const aliceOffer = alice.renderer.made[0]!.sdp
    expect(bob.renderer.seen.find((s) => s.kind === 'offer')!.sdp).toBe(aliceOffer)
    const aliceApp = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
    const inv = [...aliceApp.invitations.values()].at(-1)!
    const parts = parseMediaBody(inv.mediaOffer, inv.mediaOfferType!).parts
    expect(inv.negotiation?.acceptedContentId).toBe(parts[0]!.contentId)
    expect(parts[0]!.sdp).toBe(aliceOffer.replace(/\r?\n/g, '\r\n'))
    expect(alice.renderer.seen.find((s) => s.kind === 'answer')!.sdp).toBe(inv.negotiation!.answer)

    const alicePeer = alice.renderer.peers.get(call.id)!
    const bobPeer = bob.renderer.peers.get(bobCallId)!
    alicePeer.sendTone(440)
    bobPeer.sendTone(300)
    await until(() => alicePeer.received.length >= 25 && bobPeer.received.length >= 25, '25 packets each way', 20_000)
    // the packets come from the other renderer's own sender: nothing in between rewrote them
    expect(new Set(bobPeer.received.map((p) => p.ssrc))).toEqual(new Set([alicePeer.pc.getTransceivers()[0]!.sender.ssrc]))
    expect(energy(bob.renderer, bobCallId)).toBeGreaterThan(2000)
  })

  describe('what cannot be bridged is refused with its reason on both sides', () => {
    /** the SfB endpoint's offer, each part changed by `edit` (or only the parts `keep` keeps) */
    async function offerOf(endpoint: SfbEndpoint, edit: (sdp: string) => string = (x) => x, keep: (fallback: boolean) => boolean = () => true) {
      const o = await endpoint.offer()
      const parts = parseMediaBody(o.body, o.contentType).parts.filter((p) => keep(p.fallback))
      return writeMultipartAlternative(parts.map((p) => ({ ...p, contentId: p.contentId!, sdp: edit(p.sdp) })), 'refusal-test')
    }

    const cases = [
      {
        what: 'only SILK and RTAudio (x-msrta) audio',
        edit: (sdp: string) => sdp.replace(/^(m=audio \d+ RTP\/SAVP) 9 0$/m, '$1 103 104').replace('a=rtpmap:9 G722/8000', 'a=rtpmap:103 SILK/16000').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:104 x-msrta/16000'),
        keep: () => true,
        declineReason: 'CodecMismatch',
        local: { code: 'LocalFailure', subcode: 'MediaNegotiationFailure', message: 'The other side offered no audio codec Parley can use (it offered SILK, x-msrta; Parley needs G.722, PCMU or PCMA).' },
        remote: { code: 'RemoteFailure', subcode: 'MediaNegotiationFailure' },
      },
      {
        what: 'only the ICE version 6 part',
        edit: (sdp: string) => sdp,
        keep: (fallback: boolean) => fallback,
        declineReason: 'UnsupportedMedia',
        local: { code: 'LocalFailure', subcode: 'MediaNegotiationFailure', message: 'The other side uses an old connection method (ICE version 6, Office Communicator 2007) that Parley does not support.' },
        remote: { code: 'RemoteFailure', subcode: 'MediaNegotiationFailure' },
      },
      {
        what: 'only IPv6 candidates',
        edit: (sdp: string) => sdp.replace(/^a=candidate:(\S+) (\d) UDP (\d+) 127\.0\.0\.1 (\d+) typ host$/gm, 'a=x-candidate-ipv6:$1 $2 UDP $3 ::1 $4 typ host'),
        keep: (fallback: boolean) => !fallback,
        declineReason: 'IPv6NotSupported',
        local: { code: 'LocalFailure', subcode: 'IPv6NotSupported', message: 'The other side can only be reached over IPv6, which Parley does not support yet.' },
        remote: { code: 'RemoteFailure', subcode: 'IPv6NotSupported' },
      },
    ]
    for (const c of cases) {
      it(`${c.what}: declined (${c.declineReason}) while it would ring, the caller told why, the renderer never asked`, async () => {
        const { alice, endpoint } = await aliceAndSfbEndpoint()
        const bob = await sfbCall('bob', 'alice@contoso.test', await offerOf(endpoint, c.edit, c.keep))
        await expect.poll(() => bob.completed(), { timeout: 20_000 }).toBeTruthy()
        expect(bob.completed()).toMatchObject({ status: 'Failure', reason: c.remote })
        expect(bob.invitation().state).toBe('Declined')
        await expect.poll(() => alice.ended()).toBeTruthy()
        expect(alice.ended()!.endReason).toEqual(c.local)
        expect(alice.renderer.seen).toEqual([])
        // it never rang here: the person sees it only as a call that could not be taken
        expect(alice.changes.map((c) => c.state)).not.toContain('ringing')
      })
    }

    it('video only as RTVideo (x-rtvc1): the call is answered with audio, the video line rejected, and the person told why', async () => {
      const { alice, endpoint } = await aliceAndSfbEndpoint({ video: true })
      const rtvc1 = (sdp: string) => sdp.replace('a=rtpmap:122 X-H264UC/90000', 'a=rtpmap:122 x-rtvc1/90000').replace(/^a=fmtp:122 .*\r\n/m, '')
      const bob = await sfbCall('bob', 'alice@contoso.test', await offerOf(endpoint, rtvc1))
      await ringsAt(alice)
      const why = "Neither of you can see the other: the other side's video uses an older Microsoft format (RTVideo) that Parley cannot show or send. The call goes on with audio only."
      // known while it rings, so the card offers no video the call cannot have
      expect((await alice.calls())[0]).toMatchObject({ state: 'ringing', videoUnavailable: true, notice: why })
      const callId = (await alice.calls())[0]!.id
      await ok(alice.core.dispatch('calls.accept', { callId }))
      await expect.poll(() => bob.invitation().negotiation?.answer, { timeout: 20_000 }).toBeTruthy()
      const answer = bob.invitation().negotiation!.answer!
      expect(answer).toMatch(/^m=audio [1-9]\d* RTP\/SAVP /m)
      expect(answer).toMatch(/^m=video 0 RTP\/SAVP 122\r$/m)
      // the renderer was offered audio only
      expect(alice.renderer.seen[0]!.sdp).not.toMatch(/^m=video/m)
      await expect.poll(async () => (await alice.calls())[0]?.state).toBe('connected')
      // told as a fact too (the view offers no camera and claims no far camera state), not only in words
      expect((await alice.calls())[0]).toMatchObject({ notice: why, videoUnavailable: true })
    })

    it('no address of the other side answers while it rings: declined with MediaConnectivityFailure before anyone answers, the caller told why', async () => {
      const { alice, endpoint } = await aliceAndSfbEndpoint()
      // the endpoint never runs its connectivity checks: none of its addresses answers ours
      const bob = await sfbCall('bob', 'alice@contoso.test', await endpoint.offer())
      await ringsAt(alice)
      await expect.poll(() => bob.completed(), { timeout: 30_000 }).toBeTruthy()
      expect(bob.completed()).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'MediaFailure' } })
      expect(bob.invitation().state).toBe('Declined')
      expect(alice.ended()!.endReason).toEqual({ code: 'LocalFailure', subcode: 'MediaFailure', message: "The call could not be taken: no network path to the other side's media was found (its addresses did not answer)." })
      expect(alice.renderer.seen).toEqual([])
    })
  })
})
