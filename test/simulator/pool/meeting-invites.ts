// Inviting someone into an online meeting (addParticipant_ref.md on the meeting's conversation; onlineMeetingInvitation_ref.md,
// "Incoming"). The pages say addParticipant "invites a participant" into the conversation and that the participantInvitation
// "completes only after the participant appears in the roster"; the invitee's side is an incoming onlineMeetingInvitation
// with accept and decline (its Links table), which the pages do not show in a sample: a Skype for Business 2015 pool
// sends an invitee the conference's invitation carrying the meeting's URI and subject, and accepting joins that meeting.
import type { Clock } from '../clock'
import { errors, SimError, type Reason } from '../http/errors'
import type { Application } from './application'
import type { Conversation, ParticipantInvitation } from './conversation'
import type { User } from './directory'
import type { MeetingJoins } from './meeting-joins'
import { incomingMeetingInvitationRes } from './meeting-render'
import { meetingUri } from './meetings'
import { reasons } from './reasons'
import { participantInvitationRes } from './render'

/** What an inviter reads when the invitee declined (ErrorSubcode_ref.md: Declined). */
export const inviteDeclined: Reason = { code: 'RemoteFailure', subcode: 'Declined', message: 'The invitation to the meeting was declined.' }

export interface IncomingMeetingInvitation {
  id: string
  app: Application
  from: User
  onlineMeetingUri: string
  subject: string
  state: 'Connecting' | 'Connected' | 'Failed'
  pi: ParticipantInvitation
  inviter: Application
}

export class MeetingInvites {
  /** invitations rung on the invitee's applications, by id */
  readonly incoming = new Map<string, IncomingMeetingInvitation>()

  constructor(
    private readonly joins: MeetingJoins,
    private readonly world: {
      ids: { id(): string }
      directory: { find(sip: string): User | undefined }
      appsOf(u: User): Application[]
      clock: Clock
      ringTimeoutMs: number
    },
  ) {}

  /**
   * POST addParticipant on a meeting's conversation: 201 with an outgoing participantInvitation; every signed-in
   * application of the invitee rings with an incoming onlineMeetingInvitation. 404 when the inviter is not in the meeting.
   */
  invite(app: Application, c: Conversation, to: string, operationId?: string): ParticipantInvitation {
    const found = this.joins.roomOf(app, c)
    if (!found || found.member.inLobby) throw errors.notFound('You are not in this meeting.')
    const user = this.world.directory.find(to)
    if (user && [...found.room.members.values()].some((m) => m.app.user === user && !m.inLobby)) throw errors.conflict('AlreadyExists', 'That person is already in the meeting.')
    const pi: ParticipantInvitation = { id: this.world.ids.id(), operationId, to: `sip:${to.replace(/^sip:/i, '')}`, state: 'Connecting', from: app.user, conversation: c }
    app.addParticipantInvitation(pi)
    app.emitResource(app.communicationSender(), 'started', participantInvitationRes(app, pi))
    if (!user) return (finish(app, pi, 'Failed', reasons.notFound), pi)
    const targets = this.world.appsOf(user).filter((a) => a.available)
    if (targets.length === 0) return (finish(app, pi, 'Failed', reasons.unreachable), pi)
    for (const target of targets) {
      const inv: IncomingMeetingInvitation = { id: this.world.ids.id(), app: target, from: app.user, onlineMeetingUri: meetingUri(found.room.meeting), subject: found.room.meeting.subject, state: 'Connecting', pi, inviter: app }
      this.incoming.set(inv.id, inv)
      target.emitResource(target.communicationSender(), 'started', incomingMeetingInvitationRes(target, inv))
    }
    // unanswered, it stops ringing as a call does (the pool's ring timeout): the inviter reads NoAnswer's Timeout
    this.world.clock.setTimeout(() => this.#noAnswer(pi), this.world.ringTimeoutMs)
    return pi
  }

  /** POST accept: 204; the invitee joins the meeting through this invitation (admitted: a member invited them). */
  accept(app: Application, id: string): void {
    const inv = this.#pending(app, id)
    inv.state = 'Connected'
    this.incoming.delete(inv.id) // from here it is the join's invitation (meeting-joins.ts), under the same id
    this.#withdrawOthers(inv)
    this.joins.join(app, { onlineMeetingUri: inv.onlineMeetingUri, subject: inv.subject }, {
      id: inv.id,
      from: inv.from,
      // the participantInvitation "completes only after the participant appears in the roster" (onlineMeetingInvitation_ref.md)
      entered: () => finish(inv.inviter, inv.pi, 'Connected'),
    })
  }

  /** POST decline: 204; the invitee's invitation ends and the inviter's participantInvitation fails Declined. */
  decline(app: Application, id: string): void {
    const inv = this.#pending(app, id)
    this.#withdrawOthers(inv)
    inv.state = 'Failed'
    this.incoming.delete(inv.id)
    app.emitResource(app.communicationSender(), 'completed', incomingMeetingInvitationRes(app, inv), { status: 'Failure', reason: { code: 'Informational', subcode: 'Declined', message: 'You declined.' } })
    finish(inv.inviter, inv.pi, 'Declined', inviteDeclined)
  }

  #noAnswer(pi: ParticipantInvitation): void {
    const ringing = [...this.incoming.values()].filter((x) => x.pi === pi)
    if (pi.state !== 'Connecting' || ringing.length === 0) return
    for (const inv of ringing) {
      inv.state = 'Failed'
      this.incoming.delete(inv.id)
      inv.app.emitResource(inv.app.communicationSender(), 'completed', incomingMeetingInvitationRes(inv.app, inv), { status: 'Failure', reason: reasons.noAnswer })
    }
    finish(ringing[0]!.inviter, pi, 'Failed', reasons.noAnswer)
  }

  #pending(app: Application, id: string): IncomingMeetingInvitation {
    const inv = this.incoming.get(id)
    if (!inv || inv.app !== app) throw errors.notFound('No such invitation.')
    if (inv.state !== 'Connecting' || inv.pi.state !== 'Connecting') throw new SimError(409, undefined, 'The invitation is no longer ringing.', 'Conflict')
    return inv
  }

  /** the invitee's other applications stop ringing once one answered */
  #withdrawOthers(inv: IncomingMeetingInvitation): void {
    for (const other of [...this.incoming.values()].filter((x) => x.pi === inv.pi && x !== inv)) {
      other.state = 'Failed'
      this.incoming.delete(other.id)
      other.app.emitResource(other.app.communicationSender(), 'completed', incomingMeetingInvitationRes(other.app, other), { status: 'Failure', reason: reasons.answeredElsewhere })
    }
  }
}

function finish(app: Application, pi: ParticipantInvitation, state: ParticipantInvitation['state'], reason?: Reason): void {
  pi.state = state
  app.emitResource(app.communicationSender(), 'completed', participantInvitationRes(app, pi), reason ? { status: 'Failure', reason } : { status: 'Success' })
}
