// A sign-in failure as the form shows it: the step that failed, in words, before the message naming the server.
import { UcwaError } from '../ucwa/errors'

/** the steps of sign-in (RootURL.md, AuthenticationInUCWA.md) as a person would name them */
export const STEP_WORDS: Record<string, string> = {
  root: 'Finding your server',
  user: 'Asking your server how to sign in',
  token: 'Checking your password',
  redirect: 'Following your server to your pool',
  applications: 'Starting your session',
}

/**
 * `e` with its step (debugInfo.step) named at the start of its message: "Finding your server: 127.0.0.1 did not
 * answer." A wrong password (InvalidGrant) and a server outside the domain (DomainMismatch, which the person is asked
 * about) say all they need; anything not a UcwaError or without a step is as it was.
 */
export function placeSignInError(e: unknown): unknown {
  if (!(e instanceof UcwaError) || e.code === 'InvalidGrant' || e.subcode === 'DomainMismatch') return e
  const words = STEP_WORDS[e.debugInfo?.step ?? '']
  if (!words) return e
  return new UcwaError({ status: e.status, code: e.code, subcode: e.subcode, message: `${words}: ${e.message}`, debugInfo: e.debugInfo })
}
