// When a pool refuses the session's token (AuthenticationInUCWA.md, RootURL.md): 401 with a challenge means
// "get a new token"; 403 with a challenge or a Warning naming InvalidToken means the cached UCWA URL is stale
// too and autodiscovery must run again. Any other 403 is a real "not allowed" and is not a token matter.
import { UcwaError, userMessage } from './errors'
import type { HttpResult } from './http'

export interface Refusal {
  status: 401 | 403
  /** the WWW-Authenticate challenges that came with it (a new token is asked where they say) */
  challenge?: string | string[]
}

/** The refusal in a response, or null when the pool did not refuse the token. */
export function refusalOf(res: Pick<HttpResult, 'status' | 'headers'>): Refusal | null {
  const challenge = res.headers['www-authenticate']
  if (res.status === 401) return { status: 401, challenge }
  if (res.status !== 403) return null
  const warning = [res.headers.warning ?? []].flat().join(',')
  return challenge || /"?InvalidToken"?/i.test(warning) ? { status: 403, challenge } : null
}

/** A token was refused and nothing can renew it (no remembered password): the person signs in again. */
export function signInAgainError(refusal?: Refusal): UcwaError {
  return new UcwaError({ status: refusal?.status ?? 401, code: 'Unauthorized', subcode: 'SignInRequired', message: userMessage('Unauthorized', 'SignInRequired') })
}

/** The token renewed for a refusal was refused in turn: the session ends rather than ask again and again. */
export function refusedAgainError(refusal: Refusal): UcwaError {
  return new UcwaError({ status: refusal.status, code: 'Unauthorized', subcode: 'TokenRefused', message: userMessage('Unauthorized', 'TokenRefused') })
}
