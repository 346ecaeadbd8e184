// An online meeting as one member sees it (meeting-joins.ts): the conversation, its participants' role and lobby
// state, and the links the viewer may use on them (participant_ref.md, participantAudio_ref.md).
import type { Link, Prop } from '../http/resource'
import type { Application } from './application'
import { newConversation, type Conversation } from './conversation'
import type { User } from './directory'
import type { JoinInput, Member, Room } from './meeting-joins'
import { meetingUri } from './meetings'

/** The joiner's view of the meeting conversation; participants are what the room says, seen as this member may. */
export function meetingView(app: Application, room: Room, input: JoinInput, ids: { id(): string }, now: () => number): Conversation {
  const meeting = room.meeting
  const member = (u: User): Member | undefined => [...room.members.values()].find((m) => m.app.user.sip === u.sip)
  const self = (): Member | undefined => room.members.get(app.id)
  // a meeting conversation has no audio/video invitation until addAudioVideo
  const c = newConversation(app, meeting.organizer, {
    id: ids.id(),
    threadId: input.threadId ?? ids.id(),
    subject: input.subject ?? meeting.subject,
    importance: input.importance ?? 'Normal',
    state: 'Connecting',
    created: now(),
    audioVideo: 'Disconnected',
    conference: {
      focusUri: meetingUri(meeting),
      // a member in the lobby sees only itself; leaders also see who waits
      members: () => {
        const me = self()
        if (!me || me.inLobby) return [app.user]
        return [...room.members.values()].filter((m) => !m.inLobby || me.role === 'Leader').map((m) => m.app.user)
      },
      muted: (u, kind) => {
        const m = member(u)
        return !!m && !!room.muted.get(m.app.id)?.has(kind)
      },
      source: (u, kind) => {
        const m = member(u)
        return m && room.sources.get(m.app.id)?.[kind]
      },
    },
    participant: (u) => {
      const m = member(u)
      const me = self()
      const props: Record<string, Prop> = {
        role: m?.role ?? 'Attendee',
        inLobby: !!m?.inLobby,
        organizer: u === meeting.organizer,
        anonymous: !!m?.app.guest,
        // SourceNetwork_ref.md has no member for a guest: Unknown
        sourceNetwork: m?.app.guest ? 'Unknown' : 'SameEnterprise',
      }
      const waiting = !!m?.inLobby && u.sip !== app.user.sip && me?.role === 'Leader' && !me.inLobby
      const href = app.href(`/communication/conversations/${c.id}/participants/${u.sip}`)
      // participant_ref.md: a leader promotes an attendee, demotes a leader, ejects anyone but the organizer
      const leads = !!m && !m.inLobby && u.sip !== app.user.sip && me?.role === 'Leader' && !me.inLobby && u !== meeting.organizer
      const links: Record<string, Link | undefined> = {
        admit: waiting ? { href: `${href}/admit` } : undefined,
        reject: waiting ? { href: `${href}/reject` } : undefined,
        promote: leads && m.role === 'Attendee' ? { href: `${href}/promote` } : undefined,
        demote: leads && m.role === 'Leader' ? { href: `${href}/demote` } : undefined,
        eject: leads ? { href: `${href}/eject` } : undefined,
      }
      return { props, links, guest: !!m?.app.guest }
    },
    audienceMute: () => {
      const me = self()
      return { state: room.audienceLocked ? 'Enabled' : 'Disabled', leader: !!me && !me.inLobby && me.role === 'Leader' }
    },
    // muteAudio_ref.md on another's participantAudio: a leader's (lobby_ref.md's "organizer or presenter role")
    mayMute: (u) => {
      const me = self()
      return !!me && !me.inLobby && me.role === 'Leader' && !!member(u) && !member(u)!.inLobby
    },
  })
  return c
}
