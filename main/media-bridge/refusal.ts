// Why a media offer cannot be taken, as UCWA names it: the decline and dismiss reasons, and the error a person reads.
import { UcwaError } from '../ucwa/errors'

/** CallDeclineReason_ref.md: the `reason` of decline. */
export type CallDeclineReason = 'CodecMismatch' | 'EncryptionMismatch' | 'InvalidMediaOffer' | 'IPv6NotSupported' | 'MediaConnectivityFailure' | 'UnsupportedMedia'
/** ReNegotiationDeclineReason_ref.md: the `reason` of dismiss (it has no CodecMismatch nor MediaConnectivityFailure). */
export type ReNegotiationDeclineReason = 'EncryptionMismatch' | 'InvalidMediaOffer' | 'IPv6NotSupported' | 'UnsupportedMedia'

/** ErrorSubcode_ref.md subcodes this layer reports, under code LocalFailure (ErrorCode_ref.md). */
export type MediaRefusalSubcode = 'InvalidMediaDescription' | 'MediaNegotiationFailure' | 'MediaEncryptionRequired' | 'MediaEncryptionNotSupported' | 'IPv6NotSupported' | 'MediaFailure'

/**
 * A media offer Parley will not take: a UcwaError { status 0, code 'LocalFailure', subcode, message }
 * that also carries the reason to decline the invitation with (decline_ref.md) and the reason to
 * dismiss a renegotiation with (dismiss_ref.md).
 */
export class MediaRefusal extends UcwaError {
  constructor(
    readonly declineReason: CallDeclineReason,
    subcode: MediaRefusalSubcode,
    message: string,
  ) {
    super({ status: 0, code: 'LocalFailure', subcode, message })
    this.name = 'MediaRefusal'
  }

  /** The ReNegotiationDeclineReason for the same cause: the codes that list lacks become UnsupportedMedia. */
  get dismissReason(): ReNegotiationDeclineReason {
    return this.declineReason === 'CodecMismatch' || this.declineReason === 'MediaConnectivityFailure' ? 'UnsupportedMedia' : this.declineReason
  }
}

/** The refusals this layer makes, each with the message a person reads. */
export const refuse = {
  invalidOffer: (why: string) => new MediaRefusal('InvalidMediaOffer', 'InvalidMediaDescription', `The call could not start: the other side's media description was not valid (${why}).`),
  noAudio: () => new MediaRefusal('UnsupportedMedia', 'MediaNegotiationFailure', 'The other side offered no audio Parley can take.'),
  codecMismatch: (kind: string, offered: string[]) =>
    new MediaRefusal('CodecMismatch', 'MediaNegotiationFailure', `The other side offered no ${kind} codec Parley can use (it offered ${offered.join(', ') || 'none'}; Parley needs ${kind === 'audio' ? 'G.722, PCMU or PCMA' : 'H.264'}).`),
  ice6Only: () => new MediaRefusal('UnsupportedMedia', 'MediaNegotiationFailure', 'The other side uses an old connection method (ICE version 6, Office Communicator 2007) that Parley does not support.'),
  encryptionRejected: () => new MediaRefusal('EncryptionMismatch', 'MediaEncryptionRequired', 'The other side wants unencrypted media; Parley always encrypts calls.'),
  unsupportedKey: (suites: string[]) => new MediaRefusal('EncryptionMismatch', 'MediaEncryptionNotSupported', `The other side offered only encryption Parley does not support (${suites.join(', ')}).`),
  ipv6Only: () => new MediaRefusal('IPv6NotSupported', 'IPv6NotSupported', 'The other side can only be reached over IPv6, which Parley does not support yet.'),
  noCandidates: () => new MediaRefusal('MediaConnectivityFailure', 'MediaFailure', 'The other side gave no address Parley can send media to.'),
  unreachable: () => new MediaRefusal('MediaConnectivityFailure', 'MediaFailure', 'The call could not be taken: no network path to the other side\'s media was found (its addresses did not answer).'),
  sessionChanged: () => new MediaRefusal('UnsupportedMedia', 'MediaNegotiationFailure', 'The other side changed its media keys or connection mid-call, which Parley cannot follow yet; the call goes on as it was.'),
}
