// Sign-in to the user's pool (RootURL.md, CreateAnApplication.md): root → user (401 → token) → redirect* → applications.
import { parseChallenge, passwordGrant, type Challenge, type Token } from './auth'
import { checkHop, discoveryCandidates, findRoot, MAX_REDIRECTS, withStep, type DiscoveryStep, type Trust } from './autodiscovery'
import { foreignOriginError, UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { link } from './resource'
import { requireSecure } from './secure-transport'

export type SignInStep = 'discovering' | 'authenticating' | 'redirected'

export interface Credentials {
  sipAddress: string
  password: string
  /** a discovery URL the person typed (the simulator, a test pool): its host is trusted; default lyncdiscoverinternal.<domain>, then lyncdiscover.<domain> */
  discoveryUrl?: string
  /** hosts outside the SIP domain the person confirmed for it (RootURL.md step 6 answered by them), asked at each discovery */
  confirmedHosts?: (domain: string) => readonly string[]
  /** another grant than the password grant (a guest's urn:microsoft.rtc:anonmeeting, anonymous.ts); password is then unused */
  grant?: (http: UcwaHttp, challenge: Challenge, now: number) => Promise<Token>
}

export interface Discovered {
  poolOrigin: string
  applicationsHref: string
  token: Token
}

export { MAX_REDIRECTS } from './autodiscovery'

/** the domain of a sign-in address ("sip:" or not), as typed */
export function sipDomain(address: string): string | undefined {
  return address.replace(/^sip:/i, '').split('@')[1]
}

/** the SIP domain to discover, lower case; BadRequest when the address has none */
export function validDomain(sipAddress: string): string {
  const domain = sipDomain(sipAddress)
  if (!domain || !/^[a-z0-9.-]+$/i.test(domain)) throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: 'Enter a sign-in address like name@company.com.' })
  return domain.toLowerCase()
}

/**
 * Finds the user's pool and gets a token for it (RootURL.md, CreateAnApplication.md). Every hop (root redirects,
 * the user link, user redirects, the applications link) must stay in the SIP domain or on a typed discovery URL's
 * host (RootURL.md step 6). A password goes only to the token endpoint the challenging server named on its own
 * origin; a token goes only back to the origin that issued it; neither goes without TLS (Forbidden/InsecureTransport,
 * loopback excepted). rootTimeoutMs: how long each discovery name may take
 * (default 15 s). Errors are UcwaError with debugInfo.step and .host.
 */
export async function discover(
  http: UcwaHttp,
  creds: Credentials,
  onStep: (s: SignInStep) => void = () => {},
  now = () => Date.now(),
  rootTimeoutMs?: number,
): Promise<Discovered> {
  onStep('discovering')
  const typed = creds.discoveryUrl ? typedUrl(creds.discoveryUrl) : undefined
  const domain = typed ? sipDomain(creds.sipAddress)?.toLowerCase() : validDomain(creds.sipAddress)
  const trust: Trust = { domain, typedHost: typed?.hostname, confirmedHosts: domain ? creds.confirmedHosts?.(domain) : undefined }
  const { root, url: rootUrl } = await findRoot(http, typed ? [typed.toString()] : discoveryCandidates(trust.domain!), trust, rootTimeoutMs)
  // each hop that will carry the password or a token must have TLS (loopback excepted): refused before any request
  let userHref = requireSecure(checkHop(link(root, 'user')!, rootUrl, trust, 'user'), 'password', 'user').toString()
  const tokens = new Map<string, Token>()
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const origin = new URL(userHref).origin
    const host = new URL(userHref).hostname
    const user = await atStep('user', host, async () => {
      let res = await http.send(userHref, { auth: false, bearer: tokens.get(origin)?.accessToken })
      if (res.status === 401) {
        onStep('authenticating')
        const challenge = parseChallenge(res.headers['www-authenticate'])
        if (!challenge) throw new UcwaError({ status: 401, code: 'Unauthorized', message: `${host} asked for a sign-in method Parley does not support.` })
        if (new URL(challenge.href).origin !== origin) {
          throw foreignOriginError()
        }
        const grant = creds.grant ? creds.grant(http, challenge, now()) : passwordGrant(http, challenge, creds.sipAddress.replace(/^sip:/i, ''), creds.password, now())
        tokens.set(origin, await grant.catch((e: unknown) => Promise.reject(withStep(e, 'token', host))))
        res = await http.send(userHref, { auth: false, bearer: tokens.get(origin)!.accessToken })
      }
      return http.parse(http.check(res))
    })
    // a guest's token leads to anonApplications (anonApplications_ref.md) where a user's leads to applications
    const applications = link(user, creds.grant ? 'anonApplications' : 'applications') ?? (creds.grant && link(user, 'applications'))
    if (applications) {
      const href = requireSecure(checkHop(applications, userHref, trust, 'applications'), 'token', 'applications')
      if (href.origin !== origin) throw foreignOriginError({ step: 'applications', host })
      const token = tokens.get(origin)
      // a pool that hands out its applications without ever asking who we are has given us nothing to sign in with
      if (!token) throw new UcwaError({ status: 0, code: 'Unauthorized', subcode: 'NoChallenge', message: `${host} did not ask Parley to sign in, so there is no session to use.`, debugInfo: { step: 'applications', host } })
      return { poolOrigin: origin, applicationsHref: href.toString(), token }
    }
    const redirect = link(user, 'redirect')
    if (!redirect) throw new UcwaError({ status: 200, code: 'BadResponse', message: `${host} answered without a way to sign in.`, debugInfo: { step: 'user', host } })
    onStep('redirected')
    const redirectHref = requireSecure(checkHop(redirect, userHref, trust, 'redirect'), 'token', 'redirect').toString()
    // the token goes only back to the origin that issued it, even within the domain
    const bearer = new URL(redirectHref).origin === origin ? tokens.get(origin)?.accessToken : undefined
    const target = await atStep('redirect', new URL(redirectHref).hostname, async () => http.parse(http.check(await http.send(redirectHref, { auth: false, bearer }))))
    const next = link(target, 'user')
    if (!next) throw new UcwaError({ status: 200, code: 'BadResponse', message: `${host} redirected the sign-in without saying where.`, debugInfo: { step: 'redirect', host } })
    userHref = requireSecure(checkHop(next, redirectHref, trust, 'redirect'), 'password', 'redirect').toString()
  }
  throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'RedirectLoop', message: userMessage('Conflict', 'RedirectLoop'), debugInfo: { step: 'redirect', host: new URL(userHref).hostname } })
}

/** run, an error placed at this step and server (withStep) */
async function atStep<T>(step: DiscoveryStep, host: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    throw withStep(e, step, host)
  }
}

function typedUrl(href: string): URL {
  try {
    return new URL(href)
  } catch {
    throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: 'The discovery URL is not a web address (https://…).' })
  }
}
