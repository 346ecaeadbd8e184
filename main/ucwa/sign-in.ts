// Autodiscovery to the user's pool (CreateAnApplication.md): root → user (401 → token) → redirect* → applications.
import { parseChallenge, passwordGrant, type Token } from './auth'
import { UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { link } from './resource'

export type SignInStep = 'discovering' | 'authenticating' | 'redirected'

export interface Credentials {
  sipAddress: string
  password: string
  /** explicit discovery URL (the simulator, a test pool); default https://lyncdiscover.<domain>/ */
  discoveryUrl?: string
}

export interface Discovered {
  poolOrigin: string
  applicationsHref: string
  token: Token
}

export const MAX_REDIRECTS = 4

/** the domain of a sign-in address ("sip:" or not), as typed */
export function sipDomain(address: string): string | undefined {
  return address.replace(/^sip:/i, '').split('@')[1]
}

export function discoveryUrlFor(sipAddress: string): string {
  const domain = sipDomain(sipAddress)
  if (!domain || !/^[a-z0-9.-]+$/i.test(domain)) throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: 'Enter a sign-in address like name@company.com.' })
  return `https://lyncdiscover.${domain}/`
}

/**
 * Finds the user's pool and gets a token for it. A password goes only to the token endpoint the
 * challenging server named on its own origin; a token goes only back to the origin that issued it.
 */
export async function discover(http: UcwaHttp, creds: Credentials, onStep: (s: SignInStep) => void = () => {}, now = () => Date.now()): Promise<Discovered> {
  onStep('discovering')
  const rootUrl = creds.discoveryUrl ?? discoveryUrlFor(creds.sipAddress)
  const root = http.parse(http.check(await http.send(rootUrl, { auth: false })))
  let userHref = link(root, 'user')
  if (!userHref) throw new UcwaError({ status: 200, code: 'BadResponse', message: userMessage('BadResponse') })
  userHref = new URL(userHref, rootUrl).toString()
  const tokens = new Map<string, Token>()
  const visited: string[] = []
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const origin = new URL(userHref).origin
    visited.push(origin)
    let res = await http.send(userHref, { auth: false, bearer: tokens.get(origin)?.accessToken })
    if (res.status === 401) {
      onStep('authenticating')
      const challenge = parseChallenge(res.headers['www-authenticate'])
      if (!challenge) throw new UcwaError({ status: 401, code: 'Unauthorized', message: 'The server asked for a sign-in method Parley does not support.' })
      if (new URL(challenge.href).origin !== origin) {
        throw new UcwaError({ status: 0, code: 'Forbidden', subcode: 'ForeignOrigin', message: userMessage('Forbidden', 'ForeignOrigin') })
      }
      tokens.set(origin, await passwordGrant(http, challenge, creds.sipAddress.replace(/^sip:/i, ''), creds.password, now()))
      res = await http.send(userHref, { auth: false, bearer: tokens.get(origin)!.accessToken })
    }
    const user = http.parse(http.check(res))
    const applications = link(user, 'applications')
    if (applications) {
      const href = new URL(applications, userHref)
      if (href.origin !== origin) throw new UcwaError({ status: 0, code: 'Forbidden', subcode: 'ForeignOrigin', message: userMessage('Forbidden', 'ForeignOrigin') })
      return { poolOrigin: origin, applicationsHref: href.toString(), token: tokens.get(origin)! }
    }
    const redirect = link(user, 'redirect')
    if (!redirect) throw new UcwaError({ status: 200, code: 'BadResponse', message: userMessage('BadResponse') })
    onStep('redirected')
    const target = http.parse(http.check(await http.send(new URL(redirect, userHref).toString(), { auth: false, bearer: tokens.get(origin)?.accessToken })))
    const next = link(target, 'user')
    if (!next) throw new UcwaError({ status: 200, code: 'BadResponse', message: userMessage('BadResponse') })
    userHref = new URL(next, userHref).toString()
  }
  throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'RedirectLoop', message: userMessage('Conflict', 'RedirectLoop') })
}
