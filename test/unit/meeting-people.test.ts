import { describe, expect, it } from 'vitest'
import type { UcwaEvent } from '../../main/ucwa/events'
import { MeetingPeople } from '../../main/ucwa/meeting-people'
import type { Resource } from '../../main/ucwa/resource'

const CONV = '/ucwa/oauth/v1/applications/1/communication/conversations/5'
const P = (who: string) => `${CONV}/participants/${who}@contoso.test`
const res = (rel: string, href: string, props: Resource['props'] = {}, links: Record<string, string> = {}): Resource => ({
  rel,
  href,
  props,
  links: Object.fromEntries(Object.entries(links).map(([r, h]) => [r, [{ rel: r, href: h }]])),
  embedded: {},
})
const ev = (type: UcwaEvent['type'], rel: string, href: string, embedded?: Resource): UcwaEvent => ({ type, sender: { rel: 'conversation', href: CONV }, link: { rel, href }, ...(embedded && { embedded }) })
/** a participant as a leader sees it (participant_ref.md): role, inLobby, anonymous, and the links offered on it */
const someone = (who: string, props: Resource['props'], links: string[] = []) =>
  ev('added', 'participant', P(who), res('participant', P(who), { name: who, uri: `sip:${who}@contoso.test`, ...props }, Object.fromEntries(links.map((l) => [l, `${P(who)}/${l}`]))))
const audio = (who: string, muted: boolean, mute = true) =>
  ev('updated', 'participantAudio', `${P(who)}/participantAudio`, res('participantAudio', `${P(who)}/participantAudio`, { audioMuted: muted }, { participant: P(who), ...(mute && !muted && { muteAudio: `${P(who)}/participantAudio/muteAudio` }) }))

describe('meeting people: who waits in the lobby, who is in with which role, and a leader’s links', () => {
  it('a lobby participant (JSON true or XML "true") is waiting, not a member; admitted, it is a member with the links the pool offers', () => {
    const people = new MeetingPeople()
    people.onEvent(ev('added', 'localParticipant', P('alice'), res('localParticipant', P('alice'), { role: 'Leader' })))
    people.onEvent(someone('gina', { inLobby: 'true', anonymous: 'true', role: 'Attendee' }, ['admit', 'reject']))
    people.onEvent(someone('rex', { inLobby: true, role: 'Attendee' }, ['admit', 'reject']))
    expect(people.myRole).toBe('leader')
    expect(people.lobby().map((p) => p.name)).toEqual(['gina', 'rex'])
    expect(people.members()).toEqual([])
    expect(people.linkFor('sip:GINA@contoso.test', 'admit')).toBe(`${P('gina')}/admit`)
    // rejected: the pool deletes the participant
    people.onEvent(ev('deleted', 'participant', P('rex')))
    // admitted: deleted from the lobby, then added as a member
    people.onEvent(ev('deleted', 'participant', P('gina')))
    people.onEvent(someone('gina', { inLobby: false, anonymous: true, role: 'Attendee' }, ['promote', 'eject']))
    people.onEvent(audio('gina', false))
    expect(people.lobby()).toEqual([])
    expect(people.members()).toEqual([{ name: 'gina', uri: 'sip:gina@contoso.test', role: 'attendee', organizer: false, guest: true, can: { promote: true, demote: false, remove: true, mute: true } }])
    expect(() => people.linkFor('sip:gina@contoso.test', 'admit')).toThrow(expect.objectContaining({ code: 'Conflict', subcode: 'NotALeader' }))
  })

  it('mute everyone: the muteAudio links of attendees not muted yet; leaders and the muted are left alone', () => {
    const people = new MeetingPeople()
    people.onEvent(someone('bob', { role: 'Attendee' }))
    people.onEvent(someone('carol', { role: 'Attendee' }))
    people.onEvent(someone('dave', { role: 'Leader' }))
    people.onEvent(audio('bob', false))
    people.onEvent(audio('carol', true))
    people.onEvent(audio('dave', false))
    expect(people.muteLinksOfAttendees()).toEqual([`${P('bob')}/participantAudio/muteAudio`])
    // an attendee's view: the pool offers no mute link on others, so there is nothing to post
    const attendee = new MeetingPeople()
    attendee.onEvent(someone('bob', { role: 'Attendee' }))
    attendee.onEvent(audio('bob', false, false))
    expect(attendee.muteLinksOfAttendees()).toEqual([])
    expect(attendee.members()[0]!.can).toEqual({ promote: false, demote: false, remove: false, mute: false })
  })

  it('events of other rels are not the roster’s: onEvent says so', () => {
    expect(new MeetingPeople().onEvent(ev('updated', 'audioVideo', `${CONV}/audioVideo`))).toBe(false)
  })
})
