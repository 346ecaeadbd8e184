// Inviting into an online meeting against the pages: addParticipant_ref.md on the meeting's conversation (201 with a
// participantInvitation), onlineMeetingInvitation_ref.md Incoming (its properties and accept/decline/from links, in JSON
// and XML; "completes with success only after the participant appears in the roster"), a decline the inviter reads as
// Declined (ErrorSubcode_ref.md), and someone the pool does not know (DestinationNotFound).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { signIn, withSimulator, type Ev, type Session } from './helpers'
import { pageNames, xmlProperties } from './pages'

let sim: Simulator
const clock = new ManualClock()
let alice: Session
let carol: Session
let addParticipant: string

const incoming = (e: Ev) => e.rel === 'onlineMeetingInvitation' && e.type === 'started' && e.embedded?.direction === 'Incoming'
const invitationDone = (e: Ev) => e.rel === 'participantInvitation' && e.type === 'completed'

beforeAll(async () => {
  sim = await withSimulator({ clock, config: { ringTimeoutMs: 20_000 } })
  alice = await signIn(sim, 'alice@contoso.test')
  carol = await signIn(sim, 'carol@contoso.test')
  const meeting = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { subject: 'Roadmap' })).json
  await alice.post(alice.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: meeting.onlineMeetingUri })
  const conv = await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'updated' && e.embedded?.state === 'Conferenced')
  addParticipant = conv.embedded._links.addParticipant.href
})
afterAll(() => sim.close())

describe('addParticipant in an online meeting', () => {
  it('Carol declines: her invitation rang with the subject and who sent it; Alice’s participantInvitation fails Declined', async () => {
    const r = await alice.post(addParticipant, { to: 'sip:carol@contoso.test', operationId: 'add-carol' })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ direction: 'Outgoing', state: 'Connecting', operationId: 'add-carol', to: 'sip:carol@contoso.test' })
    const rang = await carol.waitFor(incoming)
    expect(rang.sender).toBe('communication')
    expect(rang.embedded).toMatchObject({ state: 'Connecting', subject: 'Roadmap', to: 'sip:carol@contoso.test' })
    expect(rang.embedded.onlineMeetingUri).toMatch(/^sip:alice@contoso\.test;gruu;opaque=app:conf:focus:id:/)
    expect(rang.embedded._links.from).toMatchObject({ title: 'Alice Ahlberg' })
    const page = pageNames('onlineMeetingInvitation')
    expect(Object.keys(rang.embedded).filter((k) => !['rel', '_links', '_embedded'].includes(k) && !page.properties.has(k))).toEqual([])
    expect(Object.keys(rang.embedded._links).filter((k) => !page.links.has(k))).toEqual([])
    // the same in XML, read by GET
    const xml = await carol.get(rang.href, 'xml')
    expect(xml.status).toBe(200)
    const props = xmlProperties(xml.text)
    expect([props.get('direction')?.text, props.get('subject')?.text]).toEqual(['Incoming', 'Roadmap'])
    expect(xml.text).toMatch(/<link rel="decline" href="[^"]+\/decline"/)

    expect((await carol.post(rang.embedded._links.decline.href)).status).toBe(204)
    expect(await carol.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'completed')).toMatchObject({ status: 'Failure', reason: { subcode: 'Declined' } })
    expect(await alice.waitFor(invitationDone)).toMatchObject({ status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'Declined' } })
    // answered: no second answer
    expect((await carol.post(rang.embedded._links.accept.href)).status).toBe(404)
  })

  it('Carol accepts: she is let into the meeting through that invitation; Alice’s completes once Carol is in her roster', async () => {
    const before = { alice: alice.events.length, carol: carol.events.length }
    expect((await alice.post(addParticipant, { to: 'carol@contoso.test', operationId: 'add-carol-2' })).status).toBe(201)
    const rang = await carol.waitFor(incoming, { after: before.carol })
    expect((await carol.post(rang.embedded._links.accept.href)).status).toBe(204)
    const done = await carol.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'completed' && e.href === rang.href, { after: before.carol })
    expect(done).toMatchObject({ status: 'Success' })
    expect(done.embedded).toMatchObject({ direction: 'Incoming', state: 'Connected', subject: 'Roadmap' })
    expect(done.embedded._links.conversation.href).toMatch(/\/communication\/conversations\/\w+$/)
    const me = await carol.waitFor((e) => e.rel === 'localParticipant' && e.embedded?.uri === 'sip:carol@contoso.test', { after: before.carol })
    expect(me.embedded).toMatchObject({ inLobby: false, role: 'Attendee' })
    const ok = await alice.waitFor(invitationDone, { after: before.alice })
    expect(ok).toMatchObject({ status: 'Success' })
    const seen = alice.events.slice(before.alice).findIndex((e) => e.rel === 'participant' && e.type === 'added' && e.embedded?.uri === 'sip:carol@contoso.test')
    expect(seen).toBeGreaterThanOrEqual(0)
    expect(seen).toBeLessThan(alice.events.slice(before.alice).indexOf(ok))
  })

  it('someone the pool does not know: the participantInvitation fails DestinationNotFound; one already in: 409', async () => {
    const before = alice.events.length
    expect((await alice.post(addParticipant, { to: 'sip:nobody@contoso.test' })).status).toBe(201)
    expect(await alice.waitFor(invitationDone, { after: before })).toMatchObject({ status: 'Failure', reason: { subcode: 'DestinationNotFound' } })
    const conflict = await alice.post(addParticipant, { to: 'sip:carol@contoso.test' })
    expect(conflict.status).toBe(409)
    expect(conflict.json).toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
  })

  it('unanswered: after the ring timeout it stops ringing and the inviter reads Timeout (no answer)', async () => {
    const erin = await signIn(sim, 'erin@contoso.test')
    const before = { alice: alice.events.length, erin: erin.events.length }
    expect((await alice.post(addParticipant, { to: 'sip:erin@contoso.test' })).status).toBe(201)
    const rang = await erin.waitFor(incoming, { after: before.erin })
    clock.advance(19_000)
    expect((await erin.get(rang.href)).json).toMatchObject({ state: 'Connecting' }) // still ringing
    clock.advance(1_000)
    expect(await alice.waitFor(invitationDone, { after: before.alice })).toMatchObject({ status: 'Failure', reason: { subcode: 'Timeout' } })
    expect(await erin.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'completed' && e.href === rang.href)).toMatchObject({ status: 'Failure' })
    expect((await erin.post(rang.embedded._links.accept.href)).status).toBe(404)
  })
})
