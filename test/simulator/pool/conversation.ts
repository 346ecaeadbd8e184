// One application's view of a conversation and its invitations; the call (calls.ts) ties two views together.
import type { User } from './directory'

export type ConversationState = 'Connecting' | 'Connected' | 'Conferencing' | 'Conferenced' | 'Disconnected' | 'Incoming'
export type ModalityState = 'Connecting' | 'Connected' | 'Disconnected'
export type InvitationState = 'Connecting' | 'Alerting' | 'Connected' | 'Declined' | 'Cancelled' | 'Failed'

export interface Negotiation {
  provisionalAnswer?: string
  answer?: string
  remoteEndpoint: string
  sessionContext: string
}

export interface Invitation {
  id: string
  direction: 'Incoming' | 'Outgoing'
  state: InvitationState
  operationId?: string
  sessionContext?: string
  to: string
  subject?: string
  threadId: string
  importance: string
  mediaOffer: string
  from: User
  conversation: Conversation
  negotiation?: Negotiation
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
  session?: { id: string; state: 'Establishing' | 'Established'; remoteEndpoint: string; sessionContext: string }
  invitation: Invitation
}
