// One meeting as OnlineMeetings keeps it, and the snapshot the page shows of it (preload/contract.ts MeetingSnapshot):
// the join's state, who waits and who is in, and what ended it in the person's words (the pool's code and subcode kept).
import type { MeetingSnapshot } from '../../preload/contract'
import type { Invitees } from './call/invitees'
import type { UcwaError } from './errors'
import type { Audience } from './meeting-audience'
import type { MeetingJoin } from './meeting-join'
import type { MeetingPeople } from './meeting-people'

export interface MeetingEntry {
  readonly id: string
  readonly operationId: string
  readonly onlineMeetingUri: string
  subject: string
  joinUrl?: string
  readonly guest: boolean
  join?: MeetingJoin
  readonly people: MeetingPeople
  /** people I invited while no call of the meeting could show them (meeting-invites.ts) */
  readonly invitees: Invitees
  /** what the person reads of the last invitation that failed */
  inviteNotice?: string
  callId?: string
  /** the person is hanging up its call */
  leaving?: boolean
  /** why its call ended when the pool ended it */
  callEnded?: MeetingSnapshot['endReason']
  /** the conversation's audienceMute (AudienceMuteLock_ref.md) and its enable/disable links, as last seen */
  audience: Audience
  left: boolean
  error?: UcwaError
}

/** The page's view of one meeting. */
export function snapshotOf(e: MeetingEntry): MeetingSnapshot {
  // a call the pool ended (its media failed, or a leader removed us: the conversation's deletion follows) leaves the join as it is
  const state = e.left ? 'left' : (e.join?.state ?? 'joining')
  const reason = e.join?.reason
  const pool = e.error ?? e.callEnded ?? (reason && state !== 'in' ? { code: reason.code, subcode: reason.subcode, message: reason.message || 'The meeting ended.' } : undefined)
  // the person reads what happened to them in the meeting's words, the pool's code and subcode kept
  const words = state === 'denied' ? 'A leader of the meeting did not let you in.' : state === 'removed' ? 'You were removed from the meeting, or it ended.' : undefined
  const endReason = state === 'denied' || state === 'removed' ? { code: pool?.code ?? 'Informational', subcode: pool?.subcode, message: words! } : pool
  return {
    id: e.id,
    state,
    subject: e.subject,
    ...(e.joinUrl && { joinUrl: e.joinUrl }),
    onlineMeetingUri: e.onlineMeetingUri,
    guest: e.guest,
    ...(e.people.myRole && { role: e.people.myRole }),
    ...(e.callId && !e.callEnded && { callId: e.callId }),
    lobby: e.people.myRole === 'leader' ? e.people.lobby() : [],
    members: e.people.members(),
    canMuteEveryone: e.people.myRole === 'leader' && state === 'in' && !e.audience.locked,
    audienceMuted: e.audience.locked,
    ...(e.invitees.list().length > 0 && { invited: e.invitees.list() }),
    ...(e.inviteNotice && { notice: e.inviteNotice }),
    ...(endReason && { endReason: { code: endReason.code, ...(endReason.subcode && { subcode: endReason.subcode }), message: endReason.message } }),
  }
}
