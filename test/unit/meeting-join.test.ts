import { describe, expect, it } from 'vitest'
import type { UcwaEvent } from '../../main/ucwa/events'
import { MeetingJoin } from '../../main/ucwa/meeting-join'
import type { Resource } from '../../main/ucwa/resource'

const INV = '/ucwa/oauth/v1/applications/1/communication/invitations/9'
const CONV = '/ucwa/oauth/v1/applications/1/communication/conversations/5'
const res = (rel: string, props: Resource['props'] = {}, links: Record<string, string> = {}): Resource => ({
  rel,
  href: '',
  props,
  links: Object.fromEntries(Object.entries(links).map(([r, href]) => [r, [{ rel: r, href }]])),
  embedded: {},
})
const ev = (e: Partial<UcwaEvent> & Pick<UcwaEvent, 'type' | 'link'>): UcwaEvent => ({ sender: { rel: 'communication', href: '/c' }, ...e })
const started = ev({ type: 'started', link: { rel: 'onlineMeetingInvitation', href: INV }, embedded: res('onlineMeetingInvitation', { state: 'Connecting' }, { conversation: CONV }) })
const me = (inLobby: boolean | string) => ev({ type: 'added', sender: { rel: 'conversation', href: CONV }, link: { rel: 'localParticipant', href: `${CONV}/participants/g` }, embedded: res('localParticipant', { inLobby }) })
const completed = (status: 'Success' | 'Failure', subcode?: string) =>
  ev({ type: 'completed', link: { rel: 'onlineMeetingInvitation', href: INV }, status, ...(subcode && { reason: { code: 'Forbidden', subcode } }) })
const gone = ev({ type: 'deleted', link: { rel: 'conversation', href: CONV } })

function run(events: UcwaEvent[]): MeetingJoin {
  const j = new MeetingJoin(INV)
  for (const e of events) j.apply(e)
  return j
}

describe('meeting join states (joinOnlineMeeting, the lobby: participant inLobby, admit, reject)', () => {
  it('straight in: joining → in on the invitation completing', () => {
    const j = run([started, me(false)])
    expect(j.state).toBe('joining')
    expect(j.conversationHref).toBe(CONV)
    j.apply(completed('Success'))
    expect(j.state).toBe('in')
  })

  it('through the lobby: inLobby (JSON true or XML "True") → lobby; admitted → in', () => {
    for (const flag of [true, 'True', 'true'] as const) {
      const j = run([started, me(flag)])
      expect(j.state).toBe('lobby')
      j.apply(completed('Success'))
      expect(j.state).toBe('in')
    }
  })

  it('rejected from the lobby: Denied → denied, with the reason; a failed join → failed', () => {
    const denied = run([started, me(true), completed('Failure', 'Denied')])
    expect(denied.state).toBe('denied')
    expect(denied.reason).toEqual({ code: 'Forbidden', subcode: 'Denied' })
    expect(run([started, completed('Failure', 'DestinationNotFound')]).state).toBe('failed')
  })

  it('removed: the meeting conversation deleted while in (ejected) or while waiting', () => {
    expect(run([started, me(false), completed('Success'), gone]).state).toBe('removed')
    expect(run([started, me(true), gone]).state).toBe('removed')
  })

  it('ignores other invitations, other conversations, and events that come after the end', () => {
    const other = ev({ type: 'completed', link: { rel: 'onlineMeetingInvitation', href: `${INV}0` }, status: 'Failure', reason: { code: 'Forbidden', subcode: 'Denied' } })
    const elsewhere = ev({ type: 'added', sender: { rel: 'conversation', href: `${CONV}0` }, link: { rel: 'localParticipant', href: `${CONV}0/participants/g` }, embedded: res('localParticipant', { inLobby: true }) })
    const j = run([started, other, elsewhere])
    expect(j.state).toBe('joining')
    const ended = run([started, completed('Failure', 'Denied'), completed('Success'), me(true), gone])
    expect(ended.state).toBe('denied')
    // a lobby flag with no conversation known yet (no started event seen) changes nothing
    expect(run([me(true)]).state).toBe('joining')
  })
})
