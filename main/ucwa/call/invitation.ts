// The two kinds of audioVideoInvitation (audioVideoInvitation_ref.md): one that came to us is accepted or declined,
// one we sent is cancelled; each carries only its own links, so neither can be used as the other.
import { link, type Resource } from '../resource'
import { decodeData } from './sdp'

/** direction Incoming: the caller's offer and the links to answer it (acceptWithAnswer, decline, sendProvisionalAnswer) */
export interface IncomingInvitation {
  readonly direction: 'incoming'
  readonly href: string
  readonly offer: string
  /** absent when the invitation was read after it ended (link-only events): the call still shows, as missed */
  readonly accept?: string
  readonly decline?: string
  readonly sendProvisionalAnswer?: string
}

/** direction Outgoing: ours (startAudioVideo); its href and cancel link come with the POST's answer or its started event */
export interface OutgoingInvitation {
  readonly direction: 'outgoing'
  href?: string
  cancel?: string
}

export type Invitation = IncomingInvitation | OutgoingInvitation

/** An incoming invitation: null when it carries no SDP offer (nothing we could answer). */
export function incomingInvitation(inv: Resource): IncomingInvitation | null {
  const offer = decodeData(link(inv, 'mediaOffer'))
  if (!offer) return null
  return { direction: 'incoming', href: inv.href, offer, accept: link(inv, 'acceptWithAnswer'), decline: link(inv, 'decline'), sendProvisionalAnswer: link(inv, 'sendProvisionalAnswer') }
}

export function outgoingInvitation(): OutgoingInvitation {
  return { direction: 'outgoing' }
}
