// Escalation through the media bridge against the simulator in sfb2015: the conference unit speaks only the SfB dialect,
// mixes G.711 and sends a member's video only after a video source request (VSR) names its MSI ([MS-RTP]). Real cores
// with werift renderer stand-ins (WebRTC only) and an SfB client driven over UCWA; what each one hears and sees is asserted.
import { describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../main/core/core'
import { parseMediaBody, readDataUrl } from '../../../main/media-bridge/body'
import { MemoryTokenStore } from '../../../main/credentials/token-store'
import { startSimulator, type Simulator } from '../../simulator/index'
import { mulawToLinear, toneAmplitude } from '../../simulator/sfb/g711'
import { SfbMember } from '../../simulator/sfb/member'
import { fromDataUrl, signIn, type Ev } from '../../simulator/tests/helpers'
import type { UcwaEvent } from '../../../main/ucwa/events'
import type { CallSnapshot } from '../../../preload/contract'
import { closeAfterEach } from '../../support/close-after-each'
import { ok } from '../../support/dispatch-result'
import { coreRenderer, type CoreRenderer } from './core-renderer'
import type { RendererPeer } from './renderer-peer'

let sim: Simulator
const cleanup: (() => Promise<unknown>)[] = []
closeAfterEach(cleanup, () => sim)

interface Parley {
  core: Core
  renderer: CoreRenderer
  calls: () => Promise<CallSnapshot[]>
  changes: CallSnapshot[]
}

async function parley(name: string, conferenceUnitDialect?: 'sfb2015', page: { answerDelayMs?: number } = {}): Promise<Parley> {
  const core = await createCore({ host: 'browser', version: '1.2.3', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000, conferenceUnitDialect, log: (m) => process.env.BRIDGE_LOG && console.log(name, m), ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  const renderer = coreRenderer(core, { video: true, ...page })
  const changes: CallSnapshot[] = []
  core.events.subscribe((n, payload) => n === 'calls.changed' && changes.push(payload as CallSnapshot))
  cleanup.push(() => core.close(), () => renderer.close())
  await ok(core.dispatch('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url }))
  return { core, renderer, changes, calls: async () => (await ok(core.dispatch('calls.list', undefined))) as CallSnapshot[] }
}

const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'
const state = async (p: Parley) => (await p.calls())[0]?.state
/** the amplitude of `hz` in the last 25 PCMU packets a renderer peer received (0..32767) */
const heard = (peer: RendererPeer | undefined, hz: number) => {
  const recent = (peer?.received ?? []).filter((r) => r.payloadType === 0).slice(-25)
  return recent.length ? recent.reduce((sum, r) => sum + toneAmplitude(Int16Array.from(r.payload, mulawToLinear), hz), 0) / recent.length : 0
}
/** H.264 packets a renderer peer received from media source `msi` (the unit's CSRC) */
const videoFrom = (peer: RendererPeer | undefined, msi: number | undefined) => (peer?.video ?? []).filter((v) => msi !== undefined && v.csrc[0] === msi).length
const videoSourceOf = async (p: Parley, uri: string) => (await p.calls())[0]?.participants.find((x) => x.uri === uri)?.videoSource

/**
 * Carol (Parley) rings with the conference's invitation and accepts (`atOnce`: as soon as it rings, before her core's
 * provisional answer is ready); resolves with her call id once she is in.
 */
async function carolJoins(carol: Parley, o: { answerAfterMs?: number; atOnce?: boolean } = {}): Promise<string> {
  const id = o.atOnce ? await rings(carol) : await ringsThenWaits(carol, o.answerAfterMs ?? 0)
  await ok(carol.core.dispatch('calls.accept', { callId: id }))
  await expect.poll(() => state(carol), { timeout: 30_000 }).toBe('conference')
  return id
}

/** The call id the moment `p`'s call rings, handed on as a click would be: after the event reached the window. */
function rings(p: Parley): Promise<string> {
  return new Promise((resolve) => {
    const off = p.core.events.subscribe((name, payload) => {
      const c = payload as CallSnapshot
      if (name !== 'calls.changed' || c.state !== 'ringing') return
      off()
      setTimeout(() => resolve(c.id))
    })
  })
}

/** The ringing call's id once `p` sees it ring and `ms` more passed with it still ringing. */
async function ringsThenWaits(p: Parley, ms: number): Promise<string> {
  await expect.poll(() => state(p), { timeout: 30_000 }).toBe('ringing')
  const id = (await p.calls())[0]!.id
  if (ms) {
    await new Promise((r) => setTimeout(r, ms))
    expect(await state(p)).toBe('ringing')
  }
  return id
}

describe('escalation through the media bridge (simulator in sfb2015)', { timeout: 120_000 }, () => {
  it('a bridged call with an SfB client escalates: the unit gets the bridge’s SDES offer, all three hear each other, and video comes once the bridge asked for each source by VSR', async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice')
    const carol = await parley('carol')
    const bob = await signIn(sim, 'bob@contoso.test')
    const [pb, eb] = [new SfbMember('bob-p2p'), new SfbMember('bob', { video: true })]
    cleanup.push(() => pb.close(), () => eb.close())

    // P2P: Bob's SfB client takes the ICE-19 part of Parley's multipart offer (the call goes through Alice's bridge)
    const call = (await ok(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))) as CallSnapshot
    const incoming = (await bob.waitFor((e) => isInv(e) && e.type === 'started')).embedded
    const received = readDataUrl(incoming._links.mediaOffer.href)
    const ice19 = parseMediaBody(received.body, received.contentType).parts.at(-1)!
    await bob.post(`${incoming._links.acceptWithAnswer.href}?sessionContext=b&processedOfferId=${encodeURIComponent(ice19.contentId!)}`, await pb.answer(ice19.sdp), { type: 'application/sdp' })
    await expect.poll(() => state(alice), { timeout: 30_000 }).toBe('connected')

    // Alice adds Carol: her escalation offer is the bridge's SfB one; Bob's client is moved with the unit's offer
    await ok(alice.core.dispatch('calls.addParticipant', { callId: call.id, to: 'carol@contoso.test' }))
    const moved = (await bob.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo)).embedded
    await bob.post(`${moved._links.acceptWithAnswer.href}?sessionContext=m`, await eb.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
    await expect.poll(() => state(alice), { timeout: 30_000 }).toBe('conference')
    const carolCall = await carolJoins(carol)
    const aliceApp = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
    const escalation = [...aliceApp.invitations.values()].find((i) => i.mediaOffer && /^a=crypto:/m.test(i.mediaOffer) && !/^a=fingerprint:/m.test(i.mediaOffer) && !i.mediaOfferType)
    expect(escalation, 'an escalation offer in the SfB dialect (SDES, no DTLS)').toBeTruthy()

    const a = alice.renderer.conferences.get(call.id)!
    // invited into the conference, Carol's call has one connection: its first
    const c = carol.renderer.peers.get(carolCall)!
    a.sendTone(400)
    eb.sendTone(1000)
    c.sendTone(700)
    // audio both ways through each bridge: each hears the other two in the unit's G.711 mix
    await expect
      .poll(() => [eb.toneLevel(400) > 2000, eb.toneLevel(700) > 2000, heard(a, 1000) > 2000, heard(a, 700) > 2000, heard(c, 400) > 2000, heard(c, 1000) > 2000], { timeout: 30_000, interval: 250 })
      .toEqual([true, true, true, true, true, true])

    // video: the roster names each member's videoSourceId; the bridges ask the unit for them, and frames arrive
    eb.sendVideo()
    a.sendVideo()
    c.sendVideo()
    const bobMsi = await videoSourceOf(alice, 'sip:bob@contoso.test')
    const carolMsi = await videoSourceOf(alice, 'sip:carol@contoso.test')
    expect(bobMsi).toBeGreaterThan(0)
    await expect.poll(() => videoFrom(a, bobMsi) > 5 && videoFrom(a, carolMsi) > 5, { timeout: 30_000, interval: 250 }).toBe(true)
    // Alice escalated with receiving slots: each source comes on a section (an SSRC) of its own, never mixed with another
    const ssrcsOf = (msi: number | undefined) => new Set(a.video.filter((v) => v.csrc[0] === msi).map((v) => v.ssrc))
    expect(ssrcsOf(bobMsi).size).toBe(1)
    expect(ssrcsOf(carolMsi).size).toBe(1)
    expect([...ssrcsOf(bobMsi)][0]).not.toBe([...ssrcsOf(carolMsi)][0])
    await expect.poll(async () => videoFrom(c, await videoSourceOf(carol, 'sip:bob@contoso.test')) > 5 && videoFrom(c, await videoSourceOf(carol, 'sip:alice@contoso.test')) > 5, { timeout: 30_000, interval: 250 }).toBe(true)
    // Carol was invited into the conference: the bridge offered her renderer a video section per further source
    const [bobAtCarol, aliceAtCarol] = [await videoSourceOf(carol, 'sip:bob@contoso.test'), await videoSourceOf(carol, 'sip:alice@contoso.test')]
    const carolSsrcs = (msi: number | undefined) => [...new Set(c.video.filter((v) => v.csrc[0] === msi).map((v) => v.ssrc))]
    expect(carolSsrcs(bobAtCarol)).toHaveLength(1)
    expect(carolSsrcs(aliceAtCarol)).toHaveLength(1)
    expect(carolSsrcs(bobAtCarol)[0]).not.toBe(carolSsrcs(aliceAtCarol)[0])
    expect(carol.renderer.seen.find((x) => x.callId === carolCall && x.kind === 'offer')!.sdp.match(/^m=video /gm)).toHaveLength(4)
    // the renderer never sees Microsoft's PACSI NAL units (type 30): only the frames
    expect(a.video.filter((v) => (v.payload[0]! & 0x1f) === 30)).toEqual([])
    // and Alice's picture reaches Bob's SfB client through her bridge (PACSI added) once he asks for it
    const aliceMsi = Number((await bob.waitFor((e) => e.rel === 'participantVideo' && e.href.includes('alice@contoso.test'))).embedded.videoSourceId)
    eb.requestVideo(aliceMsi)
    await expect.poll(() => eb.videoFrom(aliceMsi).frames, { timeout: 30_000, interval: 250 }).toBeGreaterThan(5)
    // each frame led by a PACSI, aggregated with the frame's NAL unit in a STAP-A (pacsi.ts)
    const fromAlice = eb.video.filter((h) => h.csrc[0] === aliceMsi)
    expect(fromAlice.filter((h) => (h.payload[0]! & 0x1f) === 24 && (h.payload[3]! & 0x1f) === 30).length).toBe(fromAlice.filter((h) => h.marker).length)
  })

  // Carol answers after the bridge's checks would have given up (10 s): the unit ran them on her provisional answer
  // ([MS-SDPEXT] 3.1.5.13), so her invitation still rings, and Accept joins on that same answer. Or she accepts at once
  // on a busy machine, her page's answer 12 s late: no provisional answer went out, so the unit checks only once Accept
  // brings the answer, and her bridge's checks start then too (they used to start with the unsent answer and give up first).
  it.each([
    { carol: 'answers after 12 s', joins: { answerAfterMs: 12_000 }, page: {}, provisional: 1 },
    { carol: 'accepts at once, her page answering 12 s later', joins: { atOnce: true }, page: { answerDelayMs: 12_000 }, provisional: 0 },
  ])('Parley calls Parley (the WebRTC part, no bridge) and adds a third Parley, who $carol: the escalation offer goes through the bridge in the SfB dialect, everyone hears and sees the others', async ({ joins, page, provisional }) => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice', 'sfb2015')
    const bob = await parley('bob', 'sfb2015')
    const carol = await parley('carol', 'sfb2015', page)
    const call = (await ok(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))) as CallSnapshot
    await expect.poll(() => state(bob), { timeout: 30_000 }).toBe('ringing')
    const bobCall = (await bob.calls())[0]!.id
    await ok(bob.core.dispatch('calls.accept', { callId: bobCall }))
    await expect.poll(() => state(alice), { timeout: 30_000 }).toBe('connected')
    // the two-party call took the WebRTC part: Bob's renderer got Alice's renderer's own offer
    expect(bob.renderer.seen.find((s) => s.kind === 'offer')!.sdp).toBe(alice.renderer.made[0]!.sdp)

    const carolJoined = carolJoins(carol, joins) // from before she is invited: she may accept the moment it rings
    await ok(alice.core.dispatch('calls.addParticipant', { callId: call.id, to: 'carol@contoso.test' }))
    await expect.poll(() => state(alice), { timeout: 30_000 }).toBe('conference')
    await expect.poll(() => state(bob), { timeout: 30_000 }).toBe('conference')
    const carolCall = await carolJoined
    expect(sim.control.requests().filter((q) => q.resource === 'sendProvisionalAnswer').length).toBe(provisional)

    const peers = { alice: alice.renderer.conferences.get(call.id)!, bob: bob.renderer.conferences.get(bobCall)!, carol: carol.renderer.peers.get(carolCall)! }
    const tones = { alice: 400, bob: 1000, carol: 700 }
    for (const [who, p] of Object.entries(peers)) {
      p.sendTone(tones[who as keyof typeof tones])
      p.sendVideo()
    }
    const names = ['alice', 'bob', 'carol'] as const
    const parleys = { alice, bob, carol }
    const hearsAll = () => names.every((me) => names.filter((o) => o !== me).every((o) => heard(peers[me], tones[o]) > 2000))
    await expect.poll(hearsAll, { timeout: 30_000, interval: 250 }).toBe(true)
    const seesAll = async () => {
      for (const me of names) for (const o of names.filter((x) => x !== me)) if (videoFrom(peers[me], await videoSourceOf(parleys[me], `sip:${o}@contoso.test`)) <= 5) return false
      return true
    }
    await expect.poll(seesAll, { timeout: 30_000, interval: 250 }).toBe(true)
  })

  it('a unit that refuses the escalation offer (the WebRTC one, with conferenceUnitDialect left at p2p: DTLS, MediaEncryptionRequired) leaves the P2P call going, with the unit’s reason as its notice', async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const alice = await parley('alice')
    const bob = await parley('bob')
    const call = (await ok(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))) as CallSnapshot
    await expect.poll(() => state(bob), { timeout: 30_000 }).toBe('ringing')
    const bobCall = (await bob.calls())[0]!.id
    await ok(bob.core.dispatch('calls.accept', { callId: bobCall }))
    await expect.poll(() => state(alice), { timeout: 30_000 }).toBe('connected')

    const events: UcwaEvent[] = []
    alice.core.client.on('events', (list) => void events.push(...list))
    await ok(alice.core.dispatch('calls.addParticipant', { callId: call.id, to: 'carol@contoso.test' }))
    await expect.poll(() => alice.changes.some((c) => c.state === 'escalating'), { timeout: 30_000 }).toBe(true)
    // the notice names who could not be added (#22) and the unit's reason (#20)
    await expect.poll(async () => (await alice.calls())[0]?.notice, { timeout: 30_000 }).toMatch(/The media could not be connected: the server requires encryption keys \(SDES\) that were not offered\.$/)
    expect(await state(alice)).toBe('connected')
    expect(await state(bob)).toBe('connected')
    // the pool failed Alice's escalation invitation with the unit's typed reason (ErrorSubcode_ref.md)
    const failed = events.find((e) => e.link.rel === 'audioVideoInvitation' && e.type === 'completed' && e.status === 'Failure')
    expect(failed?.reason).toMatchObject({ code: 'RemoteFailure', subcode: 'MediaEncryptionRequired' })
    // and the two-party call still carries audio
    alice.renderer.peers.get(call.id)!.sendTone(400)
    await expect.poll(() => heard(bob.renderer.peers.get(bobCall), 400), { timeout: 30_000, interval: 250 }).toBeGreaterThan(2000)
  })
})
