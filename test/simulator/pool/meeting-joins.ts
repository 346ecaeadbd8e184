// Joining an online meeting (joinOnlineMeeting_ref.md, onlineMeetingInvitation_ref.md), its lobby (lobby_ref.md,
// admit_ref.md, reject_ref.md) and roles (participant_ref.md: role, inLobby). Signalling only: media joins through
// addAudioVideo on the meeting's conversation, the next step.
import { errors, SimError, type Reason } from '../http/errors'
import type { MediaSources } from '../conference/forwarding'
import type { ConferenceMedia } from '../conference/mcu'
import type { Application } from './application'
import type { Conversation } from './conversation'
import type { User } from './directory'
import { onlineMeetingInvitationRes } from './meeting-render'
import { bypassesLobby, meetingUri, type Meeting, type Meetings } from './meetings'
import { conversationRes, participantRes } from './render'
import { meetingView } from './meeting-view'

/** ErrorSubcode_ref.md: "Denied — The lobby participant was denied from the conference." */
export const denied: Reason = { code: 'Forbidden', subcode: 'Denied', message: 'The lobby participant was denied from the conference.' }

export interface MeetingInvitation {
  id: string
  operationId?: string
  threadId: string
  importance: string
  state: 'Connecting' | 'Connected' | 'Failed'
  onlineMeetingUri: string
  subject: string
  anonymousDisplayName?: string
  conversation: Conversation
  /** an invitation someone in the meeting sent (meeting-invites.ts): Incoming, from them */
  from?: User
  /** called once the member is in the roster (an inviter's participantInvitation then completes) */
  entered?: () => void
}

/** An accepted incoming invitation the join goes through (meeting-invites.ts): its id, who sent it, what follows entry. */
export interface Invited {
  id: string
  from: User
  entered: () => void
}

export interface Member {
  app: Application
  c: Conversation
  role: 'Leader' | 'Attendee'
  inLobby: boolean
  invitation: MeetingInvitation
}

export interface Room {
  meeting: Meeting
  members: Map<string, Member>
  /** the meeting's media (meeting-media.ts): opened by the first addAudioVideo */
  media?: ConferenceMedia
  /** each member's media source ids (MSIs), by application id, once its media joined */
  sources: Map<string, MediaSources>
  /** what the server mutes (muteAudio/muteVideo by the member or a leader), by application id */
  muted: Map<string, Set<'audio' | 'video'>>
  /** the audience mute lock (enableAudienceMuteLock_ref.md): attendees muted and unable to unmute themselves */
  audienceLocked?: boolean
}

export interface JoinInput {
  onlineMeetingUri: string
  operationId?: string
  subject?: string
  threadId?: string
  importance?: string
  anonymousDisplayName?: string
}

export class MeetingJoins {
  readonly #rooms = new Map<string, Room>()
  /** onlineMeetingInvitations by id, per application (the event channel embeds them) */
  readonly invitations = new Map<string, MeetingInvitation>()

  constructor(
    private readonly meetings: Meetings,
    private readonly ids: { id(): string },
    private readonly now: () => number,
  ) {}

  /**
   * POST joinOnlineMeeting: 404 DestinationNotFound for a meeting the pool does not know; 403 for a guest whose grant
   * names another meeting ("The target conference URI does not match the conference URI provisioned in anonymous web
   * ticket."); a guest must give anonymousDisplayName. The joiner is admitted or waits in the lobby (AccessLevel_ref.md).
   */
  join(app: Application, input: JoinInput, invited?: Invited): MeetingInvitation {
    const meeting = this.meetings.byUri(input.onlineMeetingUri)
    if (!meeting) throw new SimError(404, 'DestinationNotFound', 'The meeting could not be found.', 'NotFound')
    if (app.guest && app.guest.meetingUri.toLowerCase() !== meetingUri(meeting).toLowerCase()) {
      throw new SimError(403, undefined, 'The target conference URI does not match the conference URI provisioned in anonymous web ticket.', 'Forbidden')
    }
    if (app.guest && !input.anonymousDisplayName) throw errors.parameter('anonymousDisplayName is required for anonymous users.')
    if (app.guest) app.user.name = input.anonymousDisplayName!
    const room = this.#room(meeting)
    if (room.members.has(app.id)) throw errors.conflict('AlreadyExists', 'This application is already in the meeting.')
    const c = meetingView(app, room, input, this.ids, this.now)
    const invitation: MeetingInvitation = {
      id: invited?.id ?? this.ids.id(),
      from: invited?.from,
      entered: invited?.entered,
      operationId: input.operationId,
      threadId: c.threadId,
      importance: c.importance,
      state: 'Connecting',
      onlineMeetingUri: meetingUri(meeting),
      subject: meeting.subject,
      anonymousDisplayName: app.guest ? input.anonymousDisplayName : undefined,
      conversation: c,
    }
    this.invitations.set(invitation.id, invitation)
    // someone a member invited is let in (a Skype for Business 2015 pool admits a presenter's invitee without the lobby)
    const inLobby = !invited && !bypassesLobby(meeting, { uri: app.user.uri, guest: !!app.guest })
    const member: Member = { app, c, role: this.#roleOf(meeting, app), inLobby, invitation }
    // an accepted invitation already started (it rang): it now names its conversation
    app.emitResource(app.communicationSender(), invited ? 'updated' : 'started', onlineMeetingInvitationRes(app, invitation))
    app.conversations.set(c.id, c)
    room.members.set(app.id, member)
    app.emitResource(app.communicationSender(), 'added', conversationRes(app, c))
    app.emitResource(sender(app, c), 'added', participantRes(app, c, app.user))
    if (member.inLobby) {
      // leaders see who waits, with admit and reject (lobby_ref.md: "admitted by another participant in the organizer or presenter role")
      for (const leader of this.#admitted(room).filter((m) => m.role === 'Leader')) leader.app.emitResource(sender(leader.app, leader.c), 'added', participantRes(leader.app, leader.c, app.user))
    } else this.#enter(room, member)
    return invitation
  }

  /** POST admit on a lobby participant (admit_ref.md): 204; the participant joins. Leaders only. */
  admit(app: Application, c: Conversation, sip: string): void {
    const { room, target } = this.#lobbyAction(app, c, sip)
    target.inLobby = false
    for (const leader of this.#admitted(room).filter((m) => m.role === 'Leader')) leader.app.emitResource(sender(leader.app, leader.c), 'deleted', participantRes(leader.app, leader.c, target.app.user))
    this.#enter(room, target)
  }

  /** POST reject on a lobby participant (reject_ref.md): 204; the participant's invitation fails with Denied. */
  reject(app: Application, c: Conversation, sip: string): void {
    const { room, target } = this.#lobbyAction(app, c, sip)
    room.members.delete(target.app.id)
    for (const leader of this.#admitted(room).filter((m) => m.role === 'Leader')) leader.app.emitResource(sender(leader.app, leader.c), 'deleted', participantRes(leader.app, leader.c, target.app.user))
    const { app: who, c: view, invitation } = target
    invitation.state = 'Failed'
    view.state = 'Disconnected'
    who.emitResource(who.communicationSender(), 'completed', onlineMeetingInvitationRes(who, invitation), { status: 'Failure', reason: denied })
    who.emit(who.communicationSender(), { type: 'deleted', link: { rel: 'conversation', href: who.href(`/communication/conversations/${view.id}`) } })
    who.conversations.delete(view.id)
  }

  /** POST cancel on a join still waiting (onlineMeetingInvitation_ref.md): it leaves the lobby; the invitation fails Canceled. */
  cancel(app: Application, invitation: MeetingInvitation): void {
    const found = this.roomOf(app, invitation.conversation)
    if (invitation.state !== 'Connecting' || !found) throw new SimError(409, undefined, 'The join is no longer waiting.', 'Conflict')
    const { room, member } = found
    room.members.delete(app.id)
    for (const leader of this.#admitted(room).filter((m) => m.role === 'Leader')) leader.app.emitResource(sender(leader.app, leader.c), 'deleted', participantRes(leader.app, leader.c, app.user))
    invitation.state = 'Failed'
    member.c.state = 'Disconnected'
    app.emitResource(app.communicationSender(), 'completed', onlineMeetingInvitationRes(app, invitation), { status: 'Failure', reason: { code: 'Informational', subcode: 'Canceled', message: 'The join was cancelled.' } })
    app.emit(app.communicationSender(), { type: 'deleted', link: { rel: 'conversation', href: app.href(`/communication/conversations/${member.c.id}`) } })
    app.conversations.delete(member.c.id)
  }

  /** POST promote or demote (promote_ref.md, demote_ref.md): 204; every member sees the new role. */
  setRole(app: Application, c: Conversation, sip: string, role: Member['role']): void {
    const { room, target } = this.#leaderAction(app, c, sip)
    if (target.role === role) throw new SimError(409, undefined, `That participant is already ${role === 'Leader' ? 'a leader' : 'an attendee'}.`, 'Conflict')
    target.role = role
    for (const m of this.#admitted(room)) m.app.emitResource(sender(m.app, m.c), 'updated', participantRes(m.app, m.c, target.app.user))
    // the conversation's leader links (enableAudienceMuteLock) come and go with the role
    target.app.emitResource(target.app.communicationSender(), 'updated', conversationRes(target.app, target.c))
  }

  /** POST eject (eject_ref.md): 204; its media leaves first (`leaveMedia`), then the others see it go and its conversation ends. */
  eject(app: Application, c: Conversation, sip: string, leaveMedia: (room: Room, target: Member) => void): void {
    const { room, target } = this.#leaderAction(app, c, sip)
    leaveMedia(room, target)
    for (const m of this.#admitted(room).filter((x) => x !== target)) m.app.emitResource(sender(m.app, m.c), 'deleted', participantRes(m.app, m.c, target.app.user))
    room.members.delete(target.app.id)
    const { app: who, c: view } = target
    view.state = 'Disconnected'
    who.emit(who.communicationSender(), { type: 'deleted', link: { rel: 'conversation', href: who.href(`/communication/conversations/${view.id}`) } })
    who.conversations.delete(view.id)
  }

  #leaderAction(app: Application, c: Conversation, sip: string): { room: Room; target: Member } {
    const found = this.roomOf(app, c)
    if (!found || found.member.inLobby) throw errors.notFound('No such participant.')
    if (found.member.role !== 'Leader') throw new SimError(403, undefined, 'Only a leader does that.', 'Forbidden')
    const target = [...found.room.members.values()].find((m) => m.app.user.sip === sip.toLowerCase() && !m.inLobby)
    if (!target || target === found.member || target.app.user === found.room.meeting.organizer) throw errors.notFound('No such participant a leader can change.')
    return { room: found.room, target }
  }

  /** The room and the member an application's meeting conversation belongs to, if any. */
  roomOf(app: Application, c: Conversation): { room: Room; member: Member } | undefined {
    for (const room of this.#rooms.values()) {
      const member = room.members.get(app.id)
      if (member?.c === c) return { room, member }
    }
    return undefined
  }

  /** An application is gone (signed out, expired): it leaves every room without a word (media leaving comes with addAudioVideo). */
  dropApplication(app: Application): void {
    for (const room of this.#rooms.values()) {
      room.members.delete(app.id)
      if (room.sources.delete(app.id)) void room.media?.leave(app.id).catch(() => {})
    }
  }

  #lobbyAction(app: Application, c: Conversation, sip: string): { room: Room; target: Member } {
    const room = [...this.#rooms.values()].find((r) => r.members.get(app.id)?.c === c)
    const me = room?.members.get(app.id)
    if (!room || !me || me.inLobby) throw errors.notFound('No such participant.')
    if (me.role !== 'Leader') throw new SimError(403, undefined, 'Only a leader admits or rejects people in the lobby.', 'Forbidden')
    const target = [...room.members.values()].find((m) => m.app.user.sip === sip.toLowerCase() && m.inLobby)
    if (!target) throw errors.notFound('No such participant in the lobby.')
    return { room, target }
  }

  #room(meeting: Meeting): Room {
    let room = this.#rooms.get(meeting.id)
    if (!room) this.#rooms.set(meeting.id, (room = { meeting, members: new Map(), sources: new Map(), muted: new Map() }))
    return room
  }

  #admitted(room: Room): Member[] {
    return [...room.members.values()].filter((m) => !m.inLobby)
  }

  /** myOnlineMeeting_ref.md: leaders are the organizer and the leaders list; automaticLeaderAssignment promotes more. */
  #roleOf(m: Meeting, app: Application): Member['role'] {
    if (app.guest) return m.automaticLeaderAssignment === 'Everyone' ? 'Leader' : 'Attendee'
    if (app.user === m.organizer || m.leaders.includes(app.user.uri) || m.automaticLeaderAssignment !== 'Disabled') return 'Leader'
    return 'Attendee'
  }

  /** Admitted: each side learns of the other, the invitation completes and the conversation is a conference. */
  #enter(room: Room, member: Member): void {
    const { app, c } = member
    for (const other of this.#admitted(room).filter((m) => m !== member)) {
      other.app.emitResource(sender(other.app, other.c), 'added', participantRes(other.app, other.c, app.user))
      app.emitResource(sender(app, c), 'added', participantRes(app, c, other.app.user))
    }
    if (member.role === 'Leader') for (const waiting of [...room.members.values()].filter((m) => m.inLobby)) app.emitResource(sender(app, c), 'added', participantRes(app, c, waiting.app.user))
    member.invitation.state = 'Connected'
    c.state = 'Conferenced'
    app.emitResource(sender(app, c), 'updated', participantRes(app, c, app.user))
    app.emitResource(app.communicationSender(), 'completed', onlineMeetingInvitationRes(app, member.invitation), { status: 'Success' })
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
    member.invitation.entered?.()
  }

}

function sender(app: Application, c: Conversation): { rel: string; href: string } {
  return { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) }
}
