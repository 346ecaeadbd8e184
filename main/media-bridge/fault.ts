// Why a bridged call's media stopped: a typed fault that ends that call, never the process.
import { UcwaError } from '../ucwa/errors'

/** What went wrong on the packet path; each ends the call it belongs to. */
export type BridgeFaultReason =
  /** every SRTP/SRTCP packet from the pool failed its auth tag (RFC 3711 3.3): the SDES keys do not match */
  | 'SrtpAuthenticationFailed'
  /** a packet carried an MKI that is not the one a=crypto gave (RFC 3711 3.3 step 1) */
  | 'SrtpUnknownMki'
  /** no ICE pair succeeded on the pool leg or the renderer leg (RFC 5245 7, [MS-ICE2]) */
  | 'IceFailed'
  /** the renderer leg's DTLS-SRTP did not come up */
  | 'RendererConnectionFailed'
  /** the relay's own code threw or its worker died */
  | 'RelayCrashed'

/** A UcwaError { status 0, code 'LocalFailure', subcode 'MediaFailure' } (ErrorSubcode_ref.md) naming the BridgeFaultReason. */
export class BridgeFault extends UcwaError {
  constructor(
    readonly reason: BridgeFaultReason,
    message: string,
  ) {
    super({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message })
    this.name = 'BridgeFault'
  }
}
