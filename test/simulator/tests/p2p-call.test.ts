// P2P audio/video signalling between two signed-in users, every ending, in JSON and XML.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { ENDED_INVITATIONS_KEPT } from '../pool/application'
import { dataUrl, fromDataUrl, sdp, signIn, withSimulator, type Ev, type Session } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const invitation = (e: Ev) => e.rel === 'audioVideoInvitation'

async function call(caller: Session, to: string, extra: Record<string, unknown> = {}) {
  const r = await caller.post(caller.app._embedded.communication._links.startAudioVideo.href, {
    to,
    subject: 'Roadmap',
    operationId: 'op-1',
    sessionContext: 'ctx-caller',
    _links: { mediaOffer: { href: dataUrl(sdp('offer')) } },
    ...extra,
  })
  return r
}

describe('P2P audio/video call signalling', () => {
  it('offer → provisional answer → answer → connected → stopAudioVideo, both sides', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const started = await call(alice, 'sip:bob@contoso.test')
    expect(started.status).toBe(201)
    expect(started.headers.get('location')).toBe(started.json._links.self.href)
    expect(started.json).toMatchObject({ rel: 'audioVideoInvitation', direction: 'Outgoing', state: 'Connecting', operationId: 'op-1', sessionContext: 'ctx-caller', to: 'sip:bob@contoso.test' })

    const out = await alice.waitFor((e) => invitation(e) && e.type === 'started')
    expect(out.sender).toBe('communication')
    expect(alice.events.map((e) => `${e.type}:${e.rel}`)).toEqual(expect.arrayContaining(['added:conversation', 'added:localParticipant', 'updated:audioVideo']))

    const incoming = await bob.waitFor((e) => invitation(e) && e.type === 'started')
    const inv = incoming.embedded
    expect(inv).toMatchObject({ direction: 'Incoming', state: 'Connecting', subject: 'Roadmap' })
    expect(fromDataUrl(inv._links.mediaOffer.href)).toBe(sdp('offer'))
    expect(inv._embedded.from).toMatchObject({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })

    const prov = await bob.post(`${inv._links.sendProvisionalAnswer.href}?sessionContext=ctx-bob`, sdp('early'), { type: 'application/sdp' })
    expect(prov.status).toBe(204)
    const early = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation')
    expect(early).toMatchObject({ type: 'updated', sender: 'audioVideoInvitation', senderHref: started.json._links.self.href })
    expect(fromDataUrl(early.embedded._links.mediaProvisionalAnswer.href)).toBe(sdp('early'))
    expect(early.embedded).toMatchObject({ sessionContext: 'ctx-caller', remoteEndpoint: expect.stringContaining('sip:bob@contoso.test;opaque=user:epid:') })

    const accepted = await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=ctx-bob`, sdp('answer'), { type: 'application/sdp' })
    expect(accepted.status).toBe(204)
    const answer = await alice.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer)
    expect(fromDataUrl(answer.embedded._links.mediaAnswer.href)).toBe(sdp('answer'))
    expect(answer.embedded._links.audioVideoSession).toBeDefined()
    const done = await alice.waitFor((e) => invitation(e) && e.type === 'completed')
    expect(done.status).toBe('Success')
    expect(done.embedded.state).toBe('Connected')
    const av = await alice.waitFor((e) => e.rel === 'audioVideo' && e.embedded.state === 'Connected')
    expect(av.embedded._links.stopAudioVideo).toBeDefined()
    await alice.waitFor((e) => e.rel === 'participant' && e.type === 'added')
    await bob.waitFor((e) => invitation(e) && e.type === 'completed' && e.status === 'Success')

    // GET of the negotiation as the seed page shapes it
    const neg = await alice.get(answer.href)
    expect(Object.keys(neg.json).sort()).toEqual(['_links', 'msAcceptedContentId', 'rel', 'remoteEndpoint', 'sessionContext'])
    const negXml = await alice.get(answer.href, 'xml')
    expect(negXml.xml.resource[0].link.map((l: { '@_rel': string }) => l['@_rel'])).toEqual(['mediaAnswer', 'mediaProvisionalAnswer', 'audioVideoInvitation', 'audioVideoSession'])

    const stop = await bob.post(av.embedded._links.stopAudioVideo.href.replace(alice.appHref, bob.appHref).replace(/conversations\/[^/]+/, `conversations/${inv._links.conversation.href.split('/').at(-1)}`))
    expect(stop.status).toBe(204)
    const ended = await alice.waitFor((e) => e.rel === 'audioVideo' && e.embedded?.state === 'Disconnected')
    expect(ended.reason).toMatchObject({ subcode: 'CallTerminated' })
    await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'deleted')
    await bob.waitFor((e) => e.rel === 'conversation' && e.type === 'deleted')
  })

  it('decline ends the call on both sides with Declined', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    await call(alice, 'bob@contoso.test')
    const inv = (await bob.waitFor((e) => invitation(e) && e.type === 'started')).embedded
    expect((await bob.post(inv._links.decline.href, { reason: 'Global' })).status).toBe(204)
    const failed = await alice.waitFor((e) => invitation(e) && e.type === 'completed')
    expect(failed).toMatchObject({ status: 'Failure', reason: { subcode: 'Declined' } })
    expect(failed.embedded.state).toBe('Declined')
    const mine = await bob.waitFor((e) => invitation(e) && e.type === 'completed')
    expect(mine.embedded.state).toBe('Declined')
    expect((await bob.post(inv._links.acceptWithAnswer.href + '?sessionContext=x', sdp('late'), { type: 'application/sdp' })).status).toBe(410)
  })

  it('cancel before answer reaches the callee as Canceled', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const started = await call(alice, 'bob@contoso.test')
    await bob.waitFor((e) => invitation(e) && e.type === 'started')
    expect((await alice.post(started.json._links.cancel.href)).status).toBe(204)
    const theirs = await bob.waitFor((e) => invitation(e) && e.type === 'completed')
    expect(theirs).toMatchObject({ status: 'Failure', reason: { subcode: 'Canceled' } })
    expect(theirs.embedded.state).toBe('Cancelled')
    const mine = await alice.waitFor((e) => invitation(e) && e.type === 'completed')
    expect(mine.embedded.state).toBe('Cancelled')
  })

  it('no answer: the caller gets Timeout, the callee a Missed call', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock, config: { ringTimeoutMs: 20_000 } })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    await call(alice, 'bob@contoso.test')
    await bob.waitFor((e) => invitation(e) && e.type === 'started')
    await alice.waitFor((e) => invitation(e) && e.type === 'started')
    clock.advance(20_000)
    expect((await alice.waitFor((e) => invitation(e) && e.type === 'completed')).reason).toMatchObject({ subcode: 'Timeout' })
    expect((await bob.waitFor((e) => invitation(e) && e.type === 'completed')).reason).toMatchObject({ subcode: 'Missed' })
  })

  it('an unknown, signed-out, not-available or do-not-disturb callee fails the invitation with a reason', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    await signIn(sim, 'carol@contoso.test', { available: false })
    const dnd = await signIn(sim, 'bob@contoso.test')
    expect((await dnd.post(`${dnd.appHref}/me/presence`, { availability: 'DoNotDisturb' })).status).toBe(204)
    const cases: Array<[string, string]> = [
      ['nobody@contoso.test', 'DestinationNotFound'],
      ['dave@contoso.test', 'Unreachable'],
      ['carol@contoso.test', 'Unreachable'],
      ['bob@contoso.test', 'DoNotDisturb'],
    ]
    for (const [to, subcode] of cases) {
      const r = await call(alice, to, { operationId: `op-${subcode}-${to}`.slice(0, 50) })
      expect(r.status).toBe(201)
      const done = await alice.waitFor((e) => invitation(e) && e.type === 'completed' && e.embedded.to === `sip:${to}`)
      expect(done, to).toMatchObject({ status: 'Failure', reason: { subcode } })
    }
  })

  it('rings every available endpoint; answering on one ends the others with ConnectedElsewhere', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const desk = await signIn(sim, 'bob@contoso.test', { endpointId: 'desk' })
    const laptop = await signIn(sim, 'bob@contoso.test', { endpointId: 'laptop' })
    await call(alice, 'bob@contoso.test')
    const onDesk = (await desk.waitFor((e) => invitation(e) && e.type === 'started')).embedded
    await laptop.waitFor((e) => invitation(e) && e.type === 'started')
    await desk.post(`${onDesk._links.acceptWithAnswer.href}?sessionContext=d`, sdp('desk'), { type: 'application/sdp' })
    expect((await laptop.waitFor((e) => invitation(e) && e.type === 'completed')).reason).toMatchObject({ subcode: 'ConnectedElsewhere' })
    expect((await alice.waitFor((e) => invitation(e) && e.type === 'completed')).status).toBe('Success')
  })

  it('works in XML end to end: XML input, XML events with data: links', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const body = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="to">sip:bob@contoso.test</property><property name="operationId">x-op</property><property name="sessionContext">x-ctx</property><link rel="mediaOffer" href="${dataUrl(sdp('xml-offer'))}" /></input>`
    const r = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, body, { type: 'application/xml', accept: 'xml' })
    expect(r.status).toBe(201)
    const res = r.xml.resource[0]
    expect(res['@_rel']).toBe('audioVideoInvitation')
    expect(res.link.find((l: { '@_rel': string }) => l['@_rel'] === 'mediaOffer')['@_href']).toBe(dataUrl(sdp('xml-offer')))
    const polled = await bob.poll({ accept: 'xml' })
    expect(polled.status).toBe(200)
    const started = polled.xml.events.sender.find((s: { '@_rel': string }) => s['@_rel'] === 'communication').started
    expect(started['@_rel']).toBe('audioVideoInvitation')
    const offer = started.resource[0].link.find((l: { '@_rel': string }) => l['@_rel'] === 'mediaOffer')
    expect(fromDataUrl(offer['@_href'])).toBe(sdp('xml-offer'))
  })

  it('validates startAudioVideo and the answer operations', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const bad = async (extra: Record<string, unknown>) => (await call(alice, 'bob@contoso.test', extra)).json
    expect(await bad({ operationId: 'x'.repeat(51) })).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect(await bad({ sessionContext: 'x'.repeat(51) })).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect(await bad({ to: 'not an address' })).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect(await bad({ importance: 'Whenever' })).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect(await bad({ _links: { mediaOffer: { href: 'data:text/plain,hello' } } })).toMatchObject({ subcode: 'InvalidMediaDescription' })
    expect(await bad({ _links: {} })).toMatchObject({ subcode: 'ParameterValidationFailure' })
    await call(alice, 'bob@contoso.test')
    const inv = (await bob.waitFor((e) => invitation(e) && e.type === 'started')).embedded
    const accept = inv._links.acceptWithAnswer.href
    expect((await bob.post(accept, sdp('a'), { type: 'application/sdp' })).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect((await bob.post(`${accept}?sessionContext=${'x'.repeat(51)}`, sdp('a'), { type: 'application/sdp' })).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    expect((await bob.post(`${accept}?sessionContext=s`, 'hello', { type: 'application/sdp' })).json).toMatchObject({ subcode: 'DeserializationFailure' })
    expect((await bob.post(`${accept}?sessionContext=s`, sdp('a'), { type: 'text/plain' })).status).toBe(415)
    expect((await bob.post(`${accept}?sessionContext=s`, sdp('a'), { type: 'application/sdp' })).status).toBe(204)
  })
})

describe('audioVideoRenegotiation (hold, resume, camera)', () => {
  it('an offer through renegotiations reaches the other side, whose answer comes back; one at a time; dismiss', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    await call(alice, 'bob@contoso.test')
    const inv = (await bob.waitFor((e) => invitation(e) && e.type === 'started')).embedded
    await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=b`, sdp('answer'), { type: 'application/sdp' })
    // audioVideoSession_ref.md lists no events: the session is read through audioVideo's link once connected
    const av = (await alice.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.audioVideoSession)).embedded
    const session = (await alice.get(av._links.audioVideoSession.href)).json
    const renegotiations = session._links.renegotiations.href
    expect((await alice.post(renegotiations, sdp('hold'), { type: 'application/sdp' })).json).toMatchObject({ subcode: 'ParameterValidationFailure' })
    const held = await alice.post(`${renegotiations}?operationId=hold-1`, sdp('hold'), { type: 'application/sdp' })
    expect(held.status).toBe(201)
    expect(held.json).toMatchObject({ rel: 'audioVideoRenegotiation', direction: 'Outgoing', operationId: 'hold-1' })
    expect((await alice.post(`${renegotiations}?operationId=hold-2`, sdp('x'), { type: 'application/sdp' })).json).toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
    const incoming = (await bob.waitFor((e) => e.rel === 'audioVideoRenegotiation' && e.type === 'started')).embedded
    expect(incoming.direction).toBe('Incoming')
    expect(fromDataUrl(incoming._links.mediaOffer.href)).toBe(sdp('hold'))
    expect((await bob.post(incoming._links.answer.href, sdp('held'), { type: 'application/sdp' })).status).toBe(204)
    const done = await alice.waitFor((e) => e.rel === 'audioVideoRenegotiation' && e.type === 'completed')
    expect(done.status).toBe('Success')
    expect(fromDataUrl(done.embedded._links.mediaAnswer.href)).toBe(sdp('held'))

    const again = await alice.post(`${renegotiations}?operationId=resume-1`, sdp('resume'), { type: 'application/sdp' })
    const second = (await bob.waitFor((e) => e.rel === 'audioVideoRenegotiation' && e.type === 'started' && e.embedded.operationId === 'resume-1')).embedded
    expect((await bob.post(second._links.dismiss.href, { reason: 'Conflict' })).status).toBe(204)
    const dismissed = await alice.waitFor((e) => e.rel === 'audioVideoRenegotiation' && e.type === 'completed' && e.href === again.json._links.self.href)
    expect(dismissed).toMatchObject({ status: 'Failure', reason: { subcode: 'Declined' } })
  })

  it('an application keeps only its last ended invitations: 40 declined calls leave each side ENDED_INVITATIONS_KEPT (and the newest), the last still readable (issue #24)', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    let last = ''
    for (let i = 0; i < 40; i++) {
      const [a, b] = [alice.events.length, bob.events.length]
      last = (await call(alice, 'bob@contoso.test')).json._links.self.href
      const inv = (await bob.waitFor((e) => invitation(e) && e.type === 'started', { after: b })).embedded
      expect((await bob.post(inv._links.decline.href, { reason: 'Global' })).status).toBe(204)
      await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'deleted', { after: a })
    }
    // the newest ended one is counted past the bound until the next invitation comes (the pool forgets on adding)
    const kept = (sip: string) => sim.control.world.apps.get(sim.control.applications(sip)[0]!.id)!.invitations.size
    expect(kept('alice@contoso.test')).toBe(ENDED_INVITATIONS_KEPT + 1)
    expect(kept('bob@contoso.test')).toBe(ENDED_INVITATIONS_KEPT + 1)
    expect((await alice.get(last)).json).toMatchObject({ state: 'Declined' })
  })
})
