// The reason blocks (ErrorsAndInformationalMessages.md) the pool puts on failed or ended calls; one table.
import type { Reason } from '../http/errors'

export const reasons = {
  notFound: { code: 'NotFound', subcode: 'DestinationNotFound', message: 'That person could not be found.' },
  unreachable: { code: 'RemoteFailure', subcode: 'Unreachable', message: 'That person is not signed in.' },
  doNotDisturb: { code: 'RemoteFailure', subcode: 'DoNotDisturb', message: 'That person does not want to be disturbed.' },
  declined: { code: 'RemoteFailure', subcode: 'Declined', message: 'The call was declined.' },
  noAnswer: { code: 'RemoteFailure', subcode: 'Timeout', message: 'There was no answer.' },
  missed: { code: 'RemoteFailure', subcode: 'Missed', message: 'You missed a call.' },
  canceledByCaller: { code: 'RemoteFailure', subcode: 'Canceled', message: 'The caller hung up before the call was answered.' },
  canceledLocally: { code: 'LocalFailure', subcode: 'Canceled', message: 'The call was cancelled.' },
  answeredElsewhere: { code: 'RemoteFailure', subcode: 'ConnectedElsewhere', message: 'The call was answered on another device.' },
  declinedElsewhere: { code: 'RemoteFailure', subcode: 'Declined', message: 'The call was declined on another device.' },
  remoteHungUp: { code: 'Informational', subcode: 'CallTerminated', message: 'The other person ended the call.' },
  localHungUp: { code: 'Informational', subcode: 'CallTerminated', message: 'You ended the call.' },
  remoteGone: { code: 'RemoteFailure', subcode: 'CallTerminated', message: 'The other person was disconnected.' },
  conferenceMediaFailed: { code: 'RemoteFailure', subcode: 'MediaFailure', message: 'The conference could not connect to your media.' },
  escalationFailed: { code: 'ServiceFailure', subcode: 'EscalationFailed', message: 'The call could not be moved to a conference.' },
  ended: { code: 'Informational', subcode: 'Ended', message: 'The conference has finished.' },
  left: { code: 'Informational', subcode: 'CallTerminated', message: 'You left the conference.' },
} satisfies Record<string, Reason>

/**
 * What the caller is told when the callee declined for a media reason (CallDeclineReason_ref.md). The pages give no
 * mapping; a 2015 pool turns the callee's 488 into a RemoteFailure naming the media cause, so each gets the
 * ErrorSubcode_ref.md subcode of that cause. Other reasons (Local, Global, …) are a plain Declined.
 */
const mediaDeclines: Record<string, Reason> = {
  CodecMismatch: { code: 'RemoteFailure', subcode: 'MediaNegotiationFailure', message: 'The call could not start: the other side has no audio or video codec in common with yours.' },
  UnsupportedMedia: { code: 'RemoteFailure', subcode: 'MediaNegotiationFailure', message: 'The call could not start: the other side cannot take the media you offered.' },
  EncryptionMismatch: { code: 'RemoteFailure', subcode: 'MediaEncryptionMismatch', message: 'The call could not start: the other side cannot use the media encryption you offered.' },
  IPv6NotSupported: { code: 'RemoteFailure', subcode: 'IPv6NotSupported', message: 'The call could not start: the other side does not support IPv6 addresses.' },
  MediaConnectivityFailure: { code: 'RemoteFailure', subcode: 'MediaFailure', message: 'The call could not start: no network path for its media was found.' },
  InvalidMediaOffer: { code: 'RemoteFailure', subcode: 'InvalidMediaDescription', message: 'The call could not start: the other side found your media description invalid.' },
}

/** The caller's reason for a decline with `declineReason` (decline_ref.md). */
export function declinedFor(declineReason: string): Reason {
  return mediaDeclines[declineReason] ?? reasons.declined
}
