// Main's own calls into the dispatcher (tray, alerts, menus), typed like the renderer's api().invoke: the method's
// input is checked by the compiler and its output comes typed, instead of `unknown` read with a cast.
import type { RequestInput, RequestName, RequestOutput } from '../../preload/contract'
import type { Envelope } from '../../preload/errors'
import type { Dispatch } from './dispatcher'

export type LocalDispatch = <K extends RequestName>(
  method: K,
  ...input: undefined extends RequestInput<K> ? [input?: RequestInput<K>] : [input: RequestInput<K>]
) => Promise<Envelope<RequestOutput<K>>>

/** The same dispatcher (validated against the contract as every call is), typed per method; never rejects: an envelope. */
export function localDispatch(dispatch: Dispatch): LocalDispatch {
  return ((method: RequestName, input?: unknown) => dispatch(method, input)) as LocalDispatch
}
