// joinOnlineMeeting, the lobby and roles against the pages: joinOnlineMeeting_ref.md (201 + Location, 404
// DestinationNotFound, 403 for a guest's other meeting), onlineMeetingInvitation_ref.md (anonymousDisplayName,
// started/completed), participant_ref.md (role, inLobby, admit, reject links), AccessLevel_ref.md, admit_ref.md and
// reject_ref.md (204), ErrorSubcode_ref.md's Denied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
import { guestSession as guestOf, signIn, withSimulator, type Ev, type Session } from './helpers'
import { enumerations, pageNames, xmlProperties } from './pages'

let sim: Simulator
let alice: Session
let bob: Session
let meeting: { onlineMeetingUri: string; onlineMeetingId: string; _links: { self: { href: string } } }

const guestSession = (m: { onlineMeetingUri: string; onlineMeetingId: string }) => guestOf(sim, m)
const join = (s: Session, body: Record<string, unknown>) => s.post(s.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: meeting.onlineMeetingUri, ...body })
const completed = (e: Ev) => e.rel === 'onlineMeetingInvitation' && e.type === 'completed'
const participant = (uri: string) => (e: Ev) => (e.rel === 'participant' || e.rel === 'localParticipant') && e.embedded?.uri === uri

beforeAll(async () => {
  sim = await withSimulator()
  alice = await signIn(sim, 'alice@contoso.test')
  bob = await signIn(sim, 'bob@contoso.test')
  meeting = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { subject: 'Roadmap' })).json
})
afterAll(() => sim.close())

describe('joinOnlineMeeting and the lobby', () => {
  let guest: Session
  let conversationOf: (s: Session) => string

  it('the organizer joins: 201 with Location; started, the conversation, herself as Leader and organizer, completed, Conferenced', async () => {
    const r = await join(alice, { operationId: 'op-a' })
    expect(r.status).toBe(201)
    expect(r.headers.get('location')).toMatch(/\/communication\/invitations\/\w+$/)
    const started = await alice.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'started')
    expect(started.sender).toBe('communication')
    expect(started.href).toBe(r.headers.get('location'))
    expect(started.embedded).toMatchObject({ direction: 'Outgoing', state: 'Connecting', onlineMeetingUri: meeting.onlineMeetingUri, operationId: 'op-a', subject: 'Roadmap' })
    const page = pageNames('onlineMeetingInvitation')
    expect(Object.keys(started.embedded).filter((k) => !['rel', '_links', '_embedded'].includes(k) && !page.properties.has(k))).toEqual([])
    const me = await alice.waitFor(participant('sip:alice@contoso.test'))
    expect(me.sender).toBe('conversation')
    expect(me.embedded).toMatchObject({ role: 'Leader', organizer: true, inLobby: false, anonymous: false })
    const done = await alice.waitFor(completed)
    expect(done).toMatchObject({ status: 'Success', sender: 'communication' })
    const conv = await alice.waitFor((e) => e.rel === 'conversation' && e.type === 'updated')
    expect(conv.embedded).toMatchObject({ state: 'Conferenced', subject: 'Roadmap' })
    conversationOf = (s) => s.events.find((e) => e.rel === 'conversation' && e.type === 'added')!.href
  })

  it('a colleague (SameEnterprise) goes straight in as Attendee; each sees the other', async () => {
    expect((await join(bob, {})).status).toBe(201)
    expect(await bob.waitFor(completed)).toMatchObject({ status: 'Success' })
    expect((await bob.waitFor(participant('sip:bob@contoso.test'))).embedded).toMatchObject({ role: 'Attendee', inLobby: false, organizer: false })
    expect((await bob.waitFor(participant('sip:alice@contoso.test'))).embedded).toMatchObject({ role: 'Leader', organizer: true })
    const seen = await alice.waitFor(participant('sip:bob@contoso.test'))
    expect(seen).toMatchObject({ type: 'added', rel: 'participant' })
    expect(seen.embedded._links.admit).toBeUndefined()
  })

  it('a guest waits in the lobby under its name; only leaders see it, with admit and reject', async () => {
    guest = await guestSession(meeting)
    const noName = await join(guest, {})
    expect(noName.status).toBe(400)
    expect(noName.json.subcode).toBe('ParameterValidationFailure')
    expect((await join(guest, { anonymousDisplayName: 'Gina Guest' })).status).toBe(201)
    const started = await guest.waitFor((e) => e.rel === 'onlineMeetingInvitation' && e.type === 'started')
    expect(started.embedded.anonymousDisplayName).toBe('Gina Guest')
    const me = await guest.waitFor((e) => e.rel === 'localParticipant')
    expect(me.embedded).toMatchObject({ name: 'Gina Guest', inLobby: true, anonymous: true, role: 'Attendee' })

    const waiting = await alice.waitFor(participant(me.embedded.uri))
    expect(waiting.embedded).toMatchObject({ inLobby: true, anonymous: true, name: 'Gina Guest' })
    expect(waiting.embedded._links.admit.href).toBe(`${waiting.href}/admit`)
    expect(waiting.embedded._links.reject.href).toBe(`${waiting.href}/reject`)
    expect(waiting.embedded._links.contact).toBeUndefined()
    expect(Object.keys(waiting.embedded._links).filter((l) => !pageNames('participant').links.has(l))).toEqual([])
    expect(enumerations.get('Role')!.has(waiting.embedded.role)).toBe(true)
    expect(enumerations.get('SourceNetwork')!.has(waiting.embedded.sourceNetwork)).toBe(true)
    // the same in XML on GET
    const x = await alice.get(waiting.href, 'xml')
    expect(xmlProperties(x.text).get('inLobby')!.text).toBe('True')
    expect(x.text).toContain(`<link rel="admit" href="${waiting.href}/admit"`)
    // an attendee cannot admit (and is told nothing of the lobby: checked once Gina is in)
    const byBob = await bob.post(`${conversationOf(bob)}/participants/${me.embedded.uri.slice(4)}/admit`)
    expect(byBob.status).toBe(403)
  })

  it('admit: 204; the guest’s invitation completes, it sees the others, and Bob sees Gina join', async () => {
    const waiting = alice.events.find((e) => e.embedded?.inLobby === true)!
    // until admitted, the guest's invitation stayed pending and it saw nobody
    expect(guest.events.filter((e) => completed(e) || e.rel === 'participant')).toEqual([])
    const r = await alice.post(waiting.embedded._links.admit.href)
    expect(r.status).toBe(204)
    expect(await guest.waitFor(completed)).toMatchObject({ status: 'Success' })
    expect((await guest.waitFor((e) => e.rel === 'localParticipant' && e.type === 'updated')).embedded.inLobby).toBe(false)
    expect((await guest.waitFor(participant('sip:alice@contoso.test'))).embedded).toMatchObject({ role: 'Leader' })
    // a guest's view names no contact of the directory
    expect((await guest.waitFor(participant('sip:bob@contoso.test'))).embedded._links.contact).toBeUndefined()
    const joined = await bob.waitFor((e) => e.rel === 'participant' && e.embedded?.name === 'Gina Guest')
    expect(joined.embedded).toMatchObject({ inLobby: false, anonymous: true })
    expect(joined.embedded._links.contact).toBeUndefined()
    expect(bob.events.filter((e) => e.embedded?.inLobby === true)).toEqual([])
    // admitted once: a second admit finds nobody waiting
    expect((await alice.post(waiting.embedded._links.admit.href)).status).toBe(404)
  })

  it('reject: 204; the guest’s invitation fails with Denied and its conversation goes; leaders see it leave the lobby', async () => {
    const second = await guestSession(meeting)
    await join(second, { anonymousDisplayName: 'Rex' })
    const me = await second.waitFor((e) => e.rel === 'localParticipant')
    const waiting = await alice.waitFor((e) => participant(me.embedded.uri)(e) && e.embedded.inLobby)
    expect((await alice.post(waiting.embedded._links.reject.href)).status).toBe(204)
    const failed = await second.waitFor(completed)
    expect(failed).toMatchObject({ status: 'Failure', reason: { code: 'Forbidden', subcode: 'Denied' } })
    expect(await second.waitFor((e) => e.rel === 'conversation' && e.type === 'deleted')).toBeTruthy()
    expect(await alice.waitFor((e) => e.type === 'deleted' && e.href === waiting.href)).toBeTruthy()
  })

  it('refusals: an unknown meeting 404 DestinationNotFound; a guest’s other meeting 403; joining twice 409', async () => {
    const unknown = await bob.post(bob.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: meeting.onlineMeetingUri.replace(/id:\w+$/, 'id:ZZZZ9999') })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toMatchObject({ code: 'NotFound', subcode: 'DestinationNotFound' })
    const other = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, {})).json
    const g = await guestSession(meeting)
    const wrong = await g.post(g.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: other.onlineMeetingUri, anonymousDisplayName: 'G' })
    expect(wrong.status).toBe(403)
    expect(wrong.json.code).toBe('Forbidden')
    expect((await join(bob, {})).status).toBe(409)
  })
})

describe('access levels at the door', () => {
  it('Locked: even a colleague waits; Everyone: a guest goes straight in', async () => {
    const locked = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { accessLevel: 'Locked' })).json
    const carol = await signIn(sim, 'carol@contoso.test')
    await carol.post(carol.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: locked.onlineMeetingUri })
    expect((await carol.waitFor((e) => e.rel === 'localParticipant')).embedded.inLobby).toBe(true)

    const open = (await alice.post(alice.app._embedded.onlineMeetings._links.myOnlineMeetings.href, { accessLevel: 'Everyone' })).json
    const g = await guestSession(open)
    await g.post(g.app._embedded.communication._links.joinOnlineMeeting.href, { onlineMeetingUri: open.onlineMeetingUri, anonymousDisplayName: 'Walk-in' })
    expect(await g.waitFor(completed)).toMatchObject({ status: 'Success' })
  })
})

describe('the join in XML (PayloadFormat.md)', () => {
  it('joinOnlineMeeting takes XML input, and the events come in XML with the invitation under the communication sender', async () => {
    const carol = await signIn(sim, 'carol@contoso.test', { endpointId: 'ep-xml' })
    const body = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="onlineMeetingUri">${meeting.onlineMeetingUri}</property><property name="operationId">op-xml</property></input>`
    const r = await carol.post(carol.app._embedded.communication._links.joinOnlineMeeting.href, body, { type: 'application/xml', accept: 'xml' })
    expect(r.status).toBe(201)
    const events = await carol.poll({ accept: 'xml' })
    expect(events.status).toBe(200)
    // the started event inside a communication sender block (EventChannelDetails.md's XML form)
    const started = /<sender rel="communication"[^>]*>(?:(?!<\/sender>)[\s\S])*?(<started rel="onlineMeetingInvitation"[\s\S]*?<\/started>)/.exec(events.text)?.[1] ?? ''
    expect(started).toContain(`<property name="onlineMeetingUri">${meeting.onlineMeetingUri}</property>`)
    expect(started).toContain('<property name="operationId">op-xml</property>')
    expect(started).toContain('<property name="direction">Outgoing</property>')
  })
})
