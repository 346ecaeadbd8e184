// Someone I invite into a meeting whose audio and video is not up, so no call shows them (addParticipant_ref.md on the
// meeting's conversation): registered by operationId until its participantInvitation completes (participantInvitation_ref.md:
// success once they are in the roster, else failure with a reason, after about thirty seconds without an answer), and
// a failure told in the same words as a call's invitee's (call/invitees.ts), or a deadline when no completion comes.
import { randomUUID } from 'node:crypto'
import { inviteeFailure, type Invitees } from './call/invitees'
import { UcwaError } from './errors'
import type { UcwaEvent } from './events'
import type { UcwaHttp } from './http'
import { Operations, type OperationLimits } from './operations'
import { link, prop } from './resource'
import { sipUri } from './sip-uri'

/** what a meeting keeps of its invitations: who is "calling…", and what the person reads of the last one that failed */
export interface InvitingMeeting {
  readonly id: string
  readonly invitees: Invitees
  inviteNotice?: string
}

export class MeetingInvites {
  /** the deadlines of the invitations; an operation's "callId" here is the meeting's id */
  readonly #ops: Operations

  constructor(
    private readonly http: Pick<UcwaHttp, 'get' | 'post'>,
    private readonly find: (meetingId: string) => InvitingMeeting | undefined,
    private readonly changed: (m: InvitingMeeting) => void,
    limits: Partial<OperationLimits> = {},
  ) {
    this.#ops = new Operations(limits, (op) => this.#timedOut(op.operationId, op.callId))
  }

  /**
   * POSTs addParticipant `{ to, operationId }` on the meeting's conversation; `to` (sip: or bare address) shows as
   * invited until the participantInvitation completes. Forbidden when the pool offers no addParticipant link; the pool's
   * refusal (409 AlreadyExists: already in the meeting) as its UcwaError, the invitee then dropped.
   */
  async invite(m: InvitingMeeting, conversationHref: string, to: string): Promise<void> {
    const add = link(await this.http.get(conversationHref), 'addParticipant')
    if (!add) throw new UcwaError({ status: 0, code: 'Forbidden', message: 'You cannot invite people into this meeting.' })
    const operationId = randomUUID().replace(/-/g, '')
    const uri = sipUri(to)
    m.invitees.add({ uri, name: uri.replace(/^sip:/, ''), operationId })
    m.inviteNotice = undefined
    this.changed(m)
    try {
      await this.http.post(add, { to: uri, operationId })
      this.#ops.begin(operationId, 'addParticipant', m.id)
    } catch (e) {
      m.invitees.remove(operationId)
      this.changed(m)
      throw e
    }
  }

  /** A completed participantInvitation of one of `meetings`' invitees: they are no longer invited; a failure is told. */
  onEvent(e: UcwaEvent, meetings: Iterable<InvitingMeeting>): InvitingMeeting | undefined {
    if (e.link.rel !== 'participantInvitation' || e.type !== 'completed') return undefined
    const operationId = prop<string>(e.embedded, 'operationId')
    for (const m of meetings) {
      const who = m.invitees.remove(operationId)
      if (!who) continue
      this.#ops.settle(operationId)
      if (e.status === 'Failure') m.inviteNotice = inviteeFailure(who.name, e.reason)
      return m
    }
    return undefined
  }

  /** no completion came (a lost event, or one whose resource could not be read): not left "calling…" forever */
  #timedOut(operationId: string, meetingId: string): void {
    const m = this.find(meetingId)
    const who = m?.invitees.remove(operationId)
    if (!m || !who) return
    m.inviteNotice = `${who.name} did not join in time.`
    this.changed(m)
  }
}
