// The re-offer after ICE in the sfb2015 dialect ([MS-ICE2], RFC 5245 9.1.2.2; ../shared/sfb-media.md): the simulated SfB
// endpoint sends it as the controlling agent once its ICE completed, and the pool's SfB clients (bots) check what it names.
import { describe, expect, it } from 'vitest'
import { parseMediaBody, toDataUrl } from '../../../main/media-bridge/body'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import type { Simulator } from '../index'
import { SfbEndpoint } from '../sfb/endpoint'
import { fromDataUrl, signIn, withSimulator, type Session } from './helpers'
import { closeAfterEach } from './teardown'

let sim: Simulator
const closers: Array<{ close(): Promise<void> }> = []
closeAfterEach(closers, () => sim)

/** Alice's SfB endpoint calls echo (an SfB client in sfb2015); its re-offer after ICE goes out as Alice's audioVideoRenegotiation over HTTP. */
async function endpointCallsEcho(alice: Session, edit: (sdp: string) => string = (x) => x) {
  const completed: { status?: string; reason?: { subcode?: string } }[] = []
  const ep: SfbEndpoint = new SfbEndpoint({
    reoffer: async (sdp) => {
      const av = (await alice.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.audioVideoSession)).embedded
      const session = (await alice.get(av._links.audioVideoSession.href)).json
      const posted = await alice.post(`${session._links.renegotiations.href}?operationId=after-ice`, edit(sdp), { type: 'application/sdp' })
      expect(posted.status).toBe(201)
      const done = await alice.waitFor((e) => e.rel === 'audioVideoRenegotiation' && e.type === 'completed')
      completed.push(done)
      return done.status === 'Success' ? fromDataUrl(done.embedded._links.mediaAnswer.href) : null
    },
  })
  closers.push(ep)
  const offer = await ep.offer()
  await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, { to: 'sip:echo@contoso.test', _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
  const neg = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
  const answer = fromDataUrl(neg.embedded._links.mediaAnswer.href)
  await ep.answered(answer)
  await expect.poll(() => ep.reoffers.length, { timeout: 20_000 }).toBe(1)
  const echo = [...sim.control.world.apps.values()].find((a) => a.user.sip === 'echo@contoso.test')!
  const peer = sim.control.sfbPeer('echo@contoso.test', [...echo.conversations.values()].at(-1)!.id)!
  return { ep, offered: readSfbSdp(parseMediaBody(offer.body, offer.contentType).parts.at(-1)!.sdp).sections[0]!, answer, completed, peer }
}

describe('the re-offer after ICE (sfb2015)', () => {
  it('the SfB endpoint re-offers once its ICE completed: a=remote-candidates names the pair per component, the same ufrag, pwd and key; the SfB client checks it, takes it and answers with its selected candidate', { timeout: 30_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const { ep, offered, answer, peer } = await endpointCallsEcho(alice)
    const { sdp, answer: reanswer } = ep.reoffers[0]!
    const audio = readSfbSdp(sdp).sections[0]!
    const answered = readSfbSdp(answer).sections[0]!
    // the endpoint names the echo client's candidates (component 1 and 2: no mux) and keeps its credentials and key
    expect(audio.remoteCandidates).toEqual(answered.candidates.map((c) => ({ component: c.component, address: c.address, port: c.port })))
    expect(audio.remoteCandidates.map((c) => c.component)).toEqual([1, 2])
    expect(sdp).toMatch(/^o=- 0 1 /m)
    expect([audio.iceUfrag, audio.icePwd, audio.keys[0]!.keySalt]).toEqual([offered.iceUfrag, offered.icePwd, offered.keys[0]!.keySalt])
    // its own side of each pair is the default and the only candidate left (RFC 5245 9.1.2.2)
    expect(audio.candidates.map((c) => [c.component, c.port])).toEqual(peer.reoffers[0]!.selected.audio!.map((p) => [p.component, p.remote.port]))
    expect(peer.reoffers).toEqual([{ remoteCandidates: { audio: audio.remoteCandidates }, selected: { audio: expect.any(Array) }, accepted: true }])
    expect(peer.reoffers[0]!.selected.audio!.map((p) => p.local)).toEqual(audio.remoteCandidates.map((c) => ({ address: c.address, port: c.port })))
    // the answer: no ICE restart, no new key, only the selected candidates
    const re = readSfbSdp(reanswer!).sections[0]!
    expect([re.iceUfrag, re.icePwd, re.keys[0]!.keySalt]).toEqual([answered.iceUfrag, answered.icePwd, answered.keys[0]!.keySalt])
    expect(re.candidates.map((c) => [c.component, c.address, c.port])).toEqual(audio.remoteCandidates.map((c) => [c.component, c.address, c.port]))
    // media goes on
    ep.sendTone(440)
    await expect.poll(() => ep.receivedEnergy(), { timeout: 10_000 }).toBeGreaterThan(2000)
  })

  it('a re-offer naming a pair the SfB client did not select is dismissed with UnsupportedMedia (ReNegotiationDeclineReason_ref.md); the caller sees it declined', { timeout: 30_000 }, async () => {
    sim = await withSimulator({ media: 'sfb2015' })
    const alice = await signIn(sim, 'alice@contoso.test')
    const wrongPort = (sdp: string) => sdp.replace(/^a=remote-candidates:1 (\S+) (\d+)/m, (_, a: string, p: string) => `a=remote-candidates:1 ${a} ${Number(p) + 1}`)
    const { ep, completed, peer } = await endpointCallsEcho(alice, wrongPort)
    expect(ep.reoffers[0]!.answer).toBeNull()
    expect(completed[0]).toMatchObject({ status: 'Failure', reason: { subcode: 'Declined' } })
    expect(peer.reoffers).toHaveLength(1)
    expect(peer.reoffers[0]!.accepted).toBe(false)
    expect([...sim.control.world.calls.renegotiations.values()].map((r) => [r.state, r.dismissReason])).toEqual([['Dismissed', 'UnsupportedMedia']])
  })
})
