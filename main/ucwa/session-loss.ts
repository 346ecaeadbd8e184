// A lost session ends its calls: the one place that decides when, and with which typed reason per cause.
import type { CallSnapshot } from '../../preload/contract'
import type { UcwaClient } from './client'
import type { UcwaError } from './errors'

export type CallEndReason = NonNullable<CallSnapshot['endReason']>

/** What a person reads on a call the session's loss ended, by the loss's subcode (then code). */
const because: Record<string, string> = {
  PGetReplaced: 'Parley was opened somewhere else with this session, so the call ended.',
  SignInRequired: 'Your sign-in expired, so the call ended. Sign in again.',
  TokenRefused: 'The server refused your sign-in, so the call ended. Sign in again.',
  MalformedEvents: 'The server kept sending updates Parley could not read, so the call ended.',
  ApplicationNotFound: 'The server lost this session, so the call ended.',
  InactiveApplicationExpired: 'The server lost this session, so the call ended.',
  Unauthorized: 'Your sign-in expired, so the call ended. Sign in again.',
}

/**
 * The reason a call ends with when the session is lost: the loss's own code and subcode (Conflict/PGetReplaced,
 * Unauthorized/SignInRequired or TokenRefused, BadResponse/MalformedEvents, NotFound/ApplicationNotFound,
 * Gone/CannotRedirect…), so each cause reads differently; null error: the connection was lost (CallTerminated).
 */
export function sessionLossReason(error: UcwaError | null | undefined): CallEndReason {
  if (!error) return { code: 'Informational', subcode: 'CallTerminated', message: 'The connection to the server was lost, so the call ended.' }
  const message = (error.subcode && because[error.subcode]) || because[error.code] || 'The session with the server ended, so the call ended.'
  return { code: error.code, ...(error.subcode && { subcode: error.subcode }), message }
}

/**
 * Calls `end` once whenever the session is lost with its calls in it: conversations dropped by the pool
 * (resync, resume, application lost: the pool ended them) or the session leaving signed-in/reconnecting for
 * any reason but the person signing out (replaced, signed out by a refused token, an unreadable channel, an
 * application the pool will not recreate). `tellPool`: the application may still stand, so the other side
 * should be told the call ended (best effort). Returns the unsubscribe.
 */
export function onSessionLoss(client: UcwaClient, end: (reason: CallEndReason, tellPool: boolean) => void): () => void {
  const offLost = client.on('transientStateLost', (cause) => end(sessionLossReason(cause), false))
  const offState = client.machine.onChange((to, from) => {
    if ((from === 'signed-in' || from === 'reconnecting') && (to === 'signed-out' || to === 'replaced')) end(sessionLossReason(client.lastError), true)
  })
  return () => (offLost(), offState())
}
