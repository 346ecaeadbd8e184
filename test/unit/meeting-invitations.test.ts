// Invitations into a meeting that ring here (main/ucwa/meeting-invitations.ts): what starts ringing, what withdraws it,
// what an answer does, and that odd input from a pool neither rings nor throws.
import { describe, expect, it } from 'vitest'
import type { UcwaEvent } from '../../main/ucwa/events'
import { MeetingInvitations, type IncomingMeetingInvitation } from '../../main/ucwa/meeting-invitations'
import { fromJson } from '../../main/ucwa/resource'

const href = '/ucwa/oauth/v1/applications/1/communication/invitations/9'
const sender = { rel: 'communication', href: '/ucwa/oauth/v1/applications/1/communication' }
function event(type: UcwaEvent['type'], body?: Record<string, unknown>, extra: Partial<UcwaEvent> = {}): UcwaEvent {
  return { type, sender, link: { rel: 'onlineMeetingInvitation', href }, ...(body && { embedded: fromJson({ _links: { self: { href } }, ...body }) }), ...extra }
}
const ringing = {
  direction: 'Incoming',
  subject: 'Roadmap',
  onlineMeetingUri: 'sip:alice@contoso.test;gruu;opaque=app:conf:focus:id:ABC',
  _links: { self: { href }, from: { href: '/ucwa/oauth/v1/applications/1/people/alice@contoso.test', title: 'Alice Ahlberg' }, accept: { href: `${href}/accept` }, decline: { href: `${href}/decline` } },
}

function tracker() {
  const seen: string[] = []
  const announced: IncomingMeetingInvitation[] = []
  const invitations = new MeetingInvitations((i: IncomingMeetingInvitation) => (seen.push(i.machine.state), announced.push(i)))
  /** the invitation last announced, if it is still one the list answers for (get by its id) */
  const current = () => invitations.get(announced.at(-1)?.id ?? '')
  return { invitations, seen, current }
}

describe('MeetingInvitations', () => {
  it('an Incoming started event rings with the subject, the meeting and who invites', () => {
    const { invitations, seen, current } = tracker()
    expect(invitations.apply(event('started', ringing))).toBe(true)
    expect(seen).toEqual(['ringing'])
    expect(current()).toMatchObject({ subject: 'Roadmap', onlineMeetingUri: ringing.onlineMeetingUri, from: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, accept: `${href}/accept` })
  })

  it('the pool completing it while it rings (answered elsewhere, the inviter gave up) withdraws it', () => {
    const { invitations, seen, current } = tracker()
    invitations.apply(event('started', ringing))
    expect(invitations.apply(event('completed', { ...ringing, state: 'Failed' }, { status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'ConnectedElsewhere' } }))).toBe(true)
    expect(seen).toEqual(['ringing', 'withdrawn'])
    expect(current()).toBeUndefined()
  })

  it('answered here: it stops ringing, and later events about it are the join’s, not this list’s', () => {
    const { invitations, seen, current } = tracker()
    invitations.apply(event('started', ringing))
    invitations.answered(current()!, 'accepted')
    expect(seen).toEqual(['ringing', 'accepted'])
    expect(invitations.apply(event('completed', ringing, { status: 'Success' }))).toBe(false)
    expect(seen).toHaveLength(2)
  })

  it('my own joins (Outgoing), link-only events and a from link without a name neither ring wrongly nor throw', () => {
    const { invitations, seen, current } = tracker()
    expect(invitations.apply(event('started', { ...ringing, direction: 'Outgoing' }))).toBe(false)
    expect(invitations.apply(event('started'))).toBe(false)
    expect(invitations.apply(event('started', { direction: 'Incoming', _links: { self: { href }, from: { href: 'no-people-here' } } }))).toBe(true)
    expect(seen).toEqual(['ringing'])
    expect(current()).toMatchObject({ subject: '', from: { name: 'Someone', uri: '' }, accept: undefined })
  })
})
