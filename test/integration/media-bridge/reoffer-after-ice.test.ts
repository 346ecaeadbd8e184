// The re-offer after ICE with a=remote-candidates ([MS-ICE2], RFC 5245 9.1.2.2; ../shared/sfb-media.md) through a real core
// and the simulator in the SfB 2015 dialect, both directions: Parley controlling (its own offer) and controlled (an SfB client's).
import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createCore } from '../../../main/core/core'
import { parseMediaBody, toDataUrl } from '../../../main/media-bridge/body'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { MemoryTokenStore } from '../../../main/credentials/token-store'
import { UcwaClient } from '../../../main/ucwa/client'
import type { CallSnapshot } from '../../../preload/contract'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { startSimulator, type Simulator } from '../../simulator/index'
import { closeAfterEach } from '../../support/close-after-each'
import { ok } from '../../support/dispatch-result'
import { coreRenderer } from './core-renderer'
import { until } from './renderer-peer'

let sim: Simulator
const cleanup: (() => Promise<unknown>)[] = []
closeAfterEach(cleanup, () => sim)

async function parley(name: string) {
  const core = await createCore({ host: 'browser', version: '1.2.3', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000, log: () => {}, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  const renderer = coreRenderer(core)
  cleanup.push(() => core.close(), () => renderer.close())
  await ok(core.dispatch('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url }))
  return { core, renderer, calls: async () => (await ok(core.dispatch('calls.list', undefined))) as CallSnapshot[] }
}

const appOf = (sip: string) => sim.control.world.apps.get(sim.control.applications(sip)[0]!.id)!
const renegotiations = () => [...sim.control.world.calls.renegotiations.values()]
/** what a section's ICE and SDES were: the same values after the re-offer mean no ICE restart and no re-keying */
const iceAndKey = (sdp: string) => readSfbSdp(sdp).sections.filter((s) => s.port !== 0).map((s) => [s.iceUfrag, s.icePwd, s.keys[0]?.keySalt.toString('base64')])

describe('the re-offer after ICE (sfb2015)', { timeout: 90_000 }, () => {
  for (const mux of [true, false]) {
    it(`Parley offered (controlling), ${mux ? 'RTCP muxed' : 'RTCP on component 2'}: the pool gets exactly one re-offer naming the pair the bridge's ICE chose, the endpoint takes it, the renderer sees nothing, audio flows on`, async () => {
      sim = await startSimulator({ port: 0, media: 'sfb2015' })
      sim.control.world.sfbRtcpMux = mux
      const alice = await parley('alice')
      const call = (await ok(alice.core.dispatch('calls.start', { to: 'echo@contoso.test' }))) as CallSnapshot
      await expect.poll(async () => (await alice.calls())[0]?.state, { timeout: 30_000 }).toBe('connected')
      const peer = alice.renderer.peers.get(call.id)!
      peer.sendTone(440)

      await expect.poll(() => renegotiations()[0]?.state, { timeout: 30_000 }).toBe('Answered')
      const [r] = renegotiations()
      expect(r!.views.find((v) => v.direction === 'Outgoing')!.app.user.sip).toBe('alice@contoso.test')
      // the SfB client's own view: its ICE (controlled) selected these pairs, and it took the re-offer
      const echoConversation = r!.views.find((v) => v.direction === 'Incoming')!.conversation
      const answerer = sim.control.sfbPeer('echo@contoso.test', echoConversation.id)!
      expect(answerer.reoffers).toHaveLength(1)
      expect(answerer.reoffers[0]!.accepted).toBe(true)
      const pairs = answerer.reoffers[0]!.selected.audio!
      expect(pairs).toHaveLength(mux ? 1 : 2)

      // a=remote-candidates names the endpoint's side of each pair, both components (component 2 = component 1 when muxed, [MS-SDPEXT] 3.1.5.38)
      const audio = readSfbSdp(r!.offer).sections.find((s) => s.kind === 'audio')!
      const endpointSide = mux ? [pairs[0]!.local, pairs[0]!.local] : [pairs[0]!.local, pairs[1]!.local]
      expect(audio.remoteCandidates).toEqual(endpointSide.map((e, i) => ({ component: i + 1, address: e.address, port: e.port })))
      // the bridge's side of each pair is the default and the only candidate left (RFC 5245 9.1.2.2)
      expect(audio.port).toBe(pairs[0]!.remote.port)
      expect(audio.candidates.map((c) => [c.component, c.address, c.port])).toEqual(pairs.map((p) => [p.component, p.remote.address, p.remote.port]))
      expect(r!.offer.includes('a=rtcp:')).toBe(!mux)
      // same ufrag/pwd and key as the SfB part of the call's offer: no ICE restart, no re-keying
      const inv = [...appOf('echo@contoso.test').invitations.values()].at(-1)!
      expect(iceAndKey(r!.offer)).toEqual(iceAndKey(parseMediaBody(inv.mediaOffer, inv.mediaOfferType!).parts.at(-1)!.sdp))

      // media never stopped; the renderer was not renegotiated; no second re-offer came
      const before = peer.received.length
      await until(() => peer.received.length >= before + 50, '50 more echoed packets after the re-offer', 20_000)
      expect(alice.renderer.seen.map((s) => s.kind)).toEqual(['answer'])
      expect(renegotiations()).toHaveLength(1)
      expect((await alice.calls())[0]).toMatchObject({ state: 'connected', held: false })
      expect((await alice.calls())[0]?.notice).toBeUndefined()
    })
  }

  for (const mux of [false, true]) {
  it(`an SfB client offered (Parley controlled), ${mux ? 'a=rtcp-mux offered (SfB 2016)' : 'RTCP on component 2'}: Parley answers its re-offer through the bridge with no ICE restart or re-keying, the renderer is not asked, and audio flows on both ways`, async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice')
    const bob = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
    cleanup.push(() => bob.signOut())
    await bob.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
    // the endpoint's re-offer goes out as Bob's audioVideoRenegotiation once the call is connected (renegotiations_ref.md)
    const endpoint = new SfbEndpoint({
      rtcpMux: mux,
      reoffer: async (sdp) => {
        const bobApp = appOf('bob@contoso.test')
        await until(() => sim.control.world.calls.connectedPeer([...bobApp.conversations.values()].at(-1)!) !== null, 'the call connected', 20_000)
        const r = sim.control.world.calls.renegotiate(bobApp, [...bobApp.conversations.values()].at(-1)!, sdp, 'bob-after-ice')
        await until(() => r.state !== 'Pending', 'the re-offer answered', 20_000)
        return r.answer ?? null
      },
    })
    cleanup.push(() => endpoint.close())
    const offer = await endpoint.offer()
    await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
    await expect.poll(async () => (await alice.calls())[0]?.state, { timeout: 20_000 }).toBe('ringing')
    const callId = (await alice.calls())[0]!.id
    await ok(alice.core.dispatch('calls.accept', { callId }))
    const bobInvitation = () => [...appOf('bob@contoso.test').invitations.values()].at(-1)!
    await expect.poll(() => bobInvitation().negotiation?.answer, { timeout: 20_000 }).toBeTruthy()
    const answer = bobInvitation().negotiation!.answer!
    await endpoint.answered(answer)
    const peer = alice.renderer.peers.get(callId)!
    endpoint.sendTone(440)
    peer.sendTone(300)

    await expect.poll(() => endpoint.reoffers.length, { timeout: 30_000 }).toBe(1)
    const { sdp: reoffer, answer: reanswer } = endpoint.reoffers[0]!
    // both components named, the same address twice when muxed ([MS-SDPEXT] 3.1.5.38)
    const rc = readSfbSdp(reoffer).sections[0]!.remoteCandidates
    expect(rc.map((c) => c.component)).toEqual([1, 2])
    expect(rc[0]!.port === rc[1]!.port).toBe(mux)
    expect(readSfbSdp(answer).sections[0]!.rtcpMux).toBe(mux)
    expect(reanswer).not.toBeNull()
    // Parley's re-answer: the same ICE credentials and key as its answer, and only the candidate of the selected pair per component
    expect(iceAndKey(reanswer!)).toEqual(iceAndKey(answer))
    const named = readSfbSdp(reoffer).sections[0]!.remoteCandidates
    // muxed, component 2 is named with component 1's address and has no candidate of its own
    expect(readSfbSdp(reanswer!).sections[0]!.candidates.map((c) => [c.component, c.address, c.port])).toEqual(named.filter((n) => !mux || n.component === 1).map((n) => [n.component, n.address, n.port]))
    expect(readSfbSdp(reanswer!).sections[0]!.remoteCandidates).toEqual([])

    // media goes on both ways after the re-offer; the renderer saw only the call's offer, no renegotiation
    const [toEndpoint, toRenderer] = [endpoint.received.length, peer.received.length]
    await until(() => endpoint.received.length >= toEndpoint + 50 && peer.received.length >= toRenderer + 50, '50 more packets each way', 20_000)
    expect(endpoint.receivedEnergy()).toBeGreaterThan(2000)
    expect(alice.renderer.seen.map((s) => s.kind)).toEqual(['offer'])
    expect((await alice.calls())[0]).toMatchObject({ state: 'connected', held: false, remoteHeld: false })
  })
  }
})
