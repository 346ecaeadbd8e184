// One audio/video call as the engine keeps it, and the snapshot (preload/contract.ts CallSnapshot) it shows.
import type { CallSnapshot, CallState, Person } from '../../../preload/contract'
import type { StateMachine } from '../state-machine'
import type { Conversation } from './conversation'
import type { Escalation } from './escalation'
import type { Invitation } from './invitation'
import type { Invitees } from './invitees'
import type { CallChange } from './media-agent'

export type EndReason = NonNullable<CallSnapshot['endReason']>

export interface Call {
  readonly id: string
  readonly machine: StateMachine<CallState>
  readonly invitation: Invitation
  /** its own until the pool names it; then the one at that href, shared with a chat there (call/conversations.ts) */
  conversation: Conversation
  readonly escalation: Escalation
  /** people I invited who have not joined yet (addParticipant) */
  readonly invitees: Invitees
  remote: Person
  readonly subject: string
  readonly operationId: string
  readonly sessionContext: string
  readonly startedAt: number
  connectedAt?: number
  audioVideoHref?: string
  /** our provisional answer on its way (sendProvisionalAnswer); the final one follows it */
  early?: Promise<void>
  /** Accept under way: one answer per call, however many times the person clicks */
  accepting?: Promise<void>
  endReason?: EndReason
  notice?: string
  /** links learnt from the call's resources, by `${resource href} ${rel}` (hrefs are followed, never built) */
  readonly links: Record<string, string>
  /** invitations whose final answer was applied: a link-only negotiation event read later shows the same answer */
  readonly answeredBy: Set<string>
  /** a video call (the caller's offer sends video), not an audio one */
  video: boolean
  held: boolean
  remoteHeld: boolean
  sendingVideo: boolean
  /** the two-person call carries no video either way: the media side dropped the far side's video (call/media-failure.ts mediaNotice) */
  videoUnavailable?: boolean
  /** an online meeting's audio/video (call/meeting-call.ts): its media is the conference connection from the start */
  meeting?: boolean
  /** our renegotiation waiting for its answer: a person's change, or 'candidates', the media side's re-offer after ICE (media-reoffer.ts) */
  renegotiation?: { href?: string; operationId: string; change: CallChange | 'candidates' }
  /** resolves when the call ends: nothing waits on media for a call that is over */
  readonly ended: Promise<null>
  readonly markEnded: () => void
}

export function snapshot(c: Call): CallSnapshot {
  const roster = c.conversation.roster
  const participants = roster.list()
  // an invitee shows "calling…" until the roster has them (participantInvitation completes only after that)
  const invited = c.invitees.list().filter((i) => !participants.some((p) => p.uri === i.uri))
  return {
    id: c.id,
    state: c.machine.state,
    direction: c.invitation.direction,
    remote: c.remote,
    subject: c.subject,
    participants,
    ...(invited.length && { invited }),
    video: c.video,
    conference: c.conversation.conferenced,
    startedAt: c.startedAt,
    ...(c.connectedAt && { connectedAt: c.connectedAt }),
    ...(c.endReason && { endReason: c.endReason }),
    ...(c.notice && { notice: c.notice }),
    held: c.held,
    remoteHeld: c.remoteHeld,
    sendingVideo: c.sendingVideo,
    // the conference that may take the call over is another connection: the refusal was the two-person one's
    ...(c.videoUnavailable && !c.conversation.conferenced && { videoUnavailable: true }),
    audioMuted: roster.muted.audio,
    videoMuted: roster.muted.video,
  }
}
