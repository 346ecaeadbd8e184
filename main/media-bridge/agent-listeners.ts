// The call engine's listeners on the bridging agent: failures that end a call, notices, and the bridge's own re-offers.
import type { MediaNotice } from '../ucwa/call/media-agent'
import { UcwaError } from '../ucwa/errors'
import { BridgeFault } from './fault'
import { refuse } from './refusal'

/** A failure that ends a call: a MediaRefusal (the answer cannot be bridged) or a BridgeFault (the media stopped). */
export type MediaFailureListener = (callId: string, error: UcwaError) => void

/** Each kind of listener the engine registers (MediaAgent.onFailure, onNotice, onReoffer), and telling them. */
export class AgentListeners {
  readonly failure: MediaFailureListener[] = []
  readonly notice: ((callId: string, notice: MediaNotice) => void)[] = []
  readonly reoffer: ((callId: string, reoffer: () => Promise<string>) => void)[] = []

  /**
   * Tells the failure listeners `e` as a UcwaError: while the call rang, a BridgeFault IceFailed is the decline reason
   * MediaConnectivityFailure (no address of the far side answered, CallDeclineReason_ref.md); a UcwaError as it is;
   * anything else LocalFailure/MediaFailure. Returns the error told.
   */
  failed(callId: string, e: unknown, ringing: boolean): UcwaError {
    const unreachable = ringing && e instanceof BridgeFault && e.reason === 'IceFailed'
    const error = unreachable ? refuse.unreachable() : e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'LocalFailure', subcode: 'MediaFailure', message: `The call's media failed: ${String(e)}` })
    for (const l of this.failure) l(callId, error)
    return error
  }
}
