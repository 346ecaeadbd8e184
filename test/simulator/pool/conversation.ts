// One application's view of a conversation and its invitations; the call (calls.ts) ties two views together.
import type { Application } from './application'
import type { User } from './directory'
import type { Link, Prop } from '../http/resource'

export type ConversationState = 'Connecting' | 'Connected' | 'Conferencing' | 'Conferenced' | 'Disconnected' | 'Incoming'
export type ModalityState = 'Connecting' | 'Connected' | 'Disconnected'
export type InvitationState = 'Connecting' | 'Alerting' | 'Connected' | 'Declined' | 'Cancelled' | 'Failed'

export interface Negotiation {
  provisionalAnswer?: string
  answer?: string
  /** the Content-ID of the offer part the answer took (processedOfferId), shown as msAcceptedContentId */
  acceptedContentId?: string
  remoteEndpoint: string
  sessionContext: string
}

/** What the answer operations do for an invitation that is not a plain P2P call (conference joins). */
export interface InvitationHandlers {
  accept(sdp: string, sessionContext: string): void
  /** sendProvisionalAnswer: the unit's early connectivity checks on the answer ([MS-SDPEXT] 3.1.5.13), or nothing */
  provisional(sdp: string): void
  decline(reason: string): void
}

export interface Invitation {
  id: string
  handlers?: InvitationHandlers
  /** cancel of an outgoing invitation that is not a P2P call (an escalation under way) */
  onCancel?: () => void
  /** the P2P audioVideo this invitation replaces (the peer moved into a conference) */
  replaces?: Conversation
  direction: 'Incoming' | 'Outgoing'
  state: InvitationState
  operationId?: string
  sessionContext?: string
  to: string
  subject?: string
  threadId: string
  importance: string
  mediaOffer: string
  /** the offer's Content-Type when it is not application/sdp (a multipart/alternative SfB offer) */
  mediaOfferType?: string
  from: User
  conversation: Conversation
  negotiation?: Negotiation
}

/** A conversation as `app`'s user sees it with `remote`: the remote not joined yet, no audio/video invitation until one is made. */
export function newConversation(
  app: Application,
  remote: User,
  o: Pick<Conversation, 'id' | 'threadId' | 'subject' | 'importance' | 'state' | 'created' | 'conference' | 'participant' | 'mayMute' | 'audienceMute'> & { audioVideo: ModalityState },
): Conversation {
  const { audioVideo, ...rest } = o
  return { ...rest, local: app.user, remote, participantKeys: { local: app.user.sip, remote: remote.sip }, remoteJoined: false, audioVideo: { state: audioVideo }, invitation: undefined as unknown as Invitation }
}

/** A new outgoing invitation (Connecting) from `app`'s user in `c` to `to`, carrying `offer`; kept in app.invitations. */
export function outgoingInvitation(id: string, app: Application, c: Conversation, to: string, offer: string, operationId?: string, sessionContext?: string): Invitation {
  const inv: Invitation = { id, direction: 'Outgoing', state: 'Connecting', operationId, sessionContext, to, subject: c.subject, threadId: c.threadId, importance: c.importance, mediaOffer: offer, from: app.user, conversation: c }
  app.addInvitation(inv)
  return inv
}

export interface Conversation {
  id: string
  threadId: string
  subject: string
  importance: string
  state: ConversationState
  created: number
  local: User
  remote: User
  /** ids of participant resources in this view */
  participantKeys: { local: string; remote: string }
  remoteJoined: boolean
  audioVideo: { state: ModalityState; sessionContext?: string }
  /** the messaging modality of this view (pool/messaging.ts), absent until it is started or invited */
  messaging?: { state: ModalityState }
  session?: { id: string; state: 'Establishing' | 'Established'; remoteEndpoint: string; sessionContext: string }
  invitation: Invitation
  /** addParticipant asked for escalation: audioVideo offers the escalateAudioVideo link */
  escalationOffered?: boolean
  /** contacts addParticipant named before the conversation became a conference */
  pendingInvitees?: Array<{ user: User; pi: ParticipantInvitation }>
  /** set while this view is a member of (or joining) a conference */
  conference?: {
    focusUri: string
    members: () => User[]
    muted: (u: User, kind: 'audio' | 'video') => boolean
    /** the member's media source id (MSI) of that kind, stamped on its forwarded packets */
    source: (u: User, kind: 'audio' | 'video') => number | undefined
  }
  /** an online meeting's view (meeting-joins.ts): each participant's role, lobby state and the viewer's links on it */
  participant?: (u: User) => { props: Record<string, Prop>; links: Record<string, Link | undefined>; guest: boolean }
  /** an online meeting's leader may mute another member (meeting-joins.ts) */
  mayMute?: (u: User) => boolean
  /** an online meeting's audience mute lock (AudienceMuteLock_ref.md) and whether this viewer, a leader, may change it */
  audienceMute?: () => { state: 'Enabled' | 'Disabled'; leader: boolean }
}

/** A mid-call offer (hold, resume, video on or off) from one side of a P2P call to the other. */
export interface Renegotiation {
  id: string
  operationId: string
  offer: string
  answer?: string
  state: 'Pending' | 'Answered' | 'Dismissed'
  /** the ReNegotiationDeclineReason a dismiss gave (dismiss_ref.md) */
  dismissReason?: string
  /** each side's view of it */
  views: Array<{ app: Application; conversation: Conversation; direction: 'Outgoing' | 'Incoming' }>
}

export interface ParticipantInvitation {
  id: string
  operationId?: string
  to: string
  state: 'Connecting' | 'Connected' | 'Failed' | 'Declined' | 'Cancelled'
  from: User
  conversation: Conversation
}
