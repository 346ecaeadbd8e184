// Finding the Autodiscover root (RootURL.md steps 2-8): internal name first, then external; the step-6 domain check.
import { UcwaError, userMessage } from './errors'
import type { HttpResult, UcwaHttp } from './http'
import { link, type Resource } from './resource'

/** hops followed through one Autodiscover name's 3xx and `redirect` links, and through user redirects */
export const MAX_REDIRECTS = 4
/** a discovery name that does not answer in this long is passed over for the next (RootURL.md step 3: "timeout") */
export const ROOT_TIMEOUT_MS = 15_000

export type DiscoveryStep = 'root' | 'user' | 'token' | 'redirect' | 'applications'

/** Which servers may take part in a sign-in: the SIP domain and its subdomains, and a discovery URL's host the person typed. */
export interface Trust {
  /** the SIP domain, lower case; undefined when only a typed discovery URL is trusted */
  domain?: string
  /** the host of a discovery URL the person typed: trusted as typed */
  typedHost?: string
  /** hosts outside the domain the person confirmed for this sign-in domain (the step-6 check, answered by them) */
  confirmedHosts?: readonly string[]
}

/** RootURL.md step 2 and 4, HTTPS only as the page recommends: ["https://lyncdiscoverinternal.<domain>/", "https://lyncdiscover.<domain>/"]. */
export function discoveryCandidates(domain: string): string[] {
  return [`https://lyncdiscoverinternal.${domain}/`, `https://lyncdiscover.${domain}/`]
}

/** host is domain or one of its subdomains (case and a trailing dot ignored): RootURL.md step 6 */
export function inDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '')
  const d = domain.toLowerCase().replace(/\.$/, '')
  return d !== '' && (h === d || h.endsWith(`.${d}`))
}

/** host may take part in this sign-in: the typed discovery URL's host, in the SIP domain, or confirmed by the person */
export function trusted(host: string, trust: Trust): boolean {
  const h = host.toLowerCase()
  return (
    (trust.typedHost !== undefined && h === trust.typedHost.toLowerCase()) ||
    (trust.domain !== undefined && inDomain(h, trust.domain)) ||
    (trust.confirmedHosts ?? []).some((c) => c.toLowerCase() === h)
  )
}

/**
 * The step-6 security check on one hop: returns the absolute URL, or throws UcwaError Forbidden/DomainMismatch
 * naming the host and the domain (debugInfo: host, domain, step).
 */
export function checkHop(href: string, base: string, trust: Trust, step: DiscoveryStep): URL {
  let url: URL
  try {
    url = new URL(href, base)
  } catch {
    throw new UcwaError({ status: 0, code: 'BadResponse', message: `${new URL(base).hostname} sent a link Parley could not read.`, debugInfo: { host: new URL(base).hostname, step } })
  }
  if (trusted(url.hostname, trust)) return url
  const expected = trust.domain ?? trust.typedHost ?? ''
  throw new UcwaError({
    status: 0,
    code: 'Forbidden',
    subcode: 'DomainMismatch',
    message: `The server sent the sign-in to ${url.hostname}, which is not ${expected}. Parley did not follow it.`,
    debugInfo: { host: url.hostname, domain: expected, step },
  })
}

/** Why one discovery name gave no root; the next name is tried (RootURL.md step 3). */
interface Miss {
  host: string
  why: 'no-answer' | 'not-found' | 'elsewhere' | 'unreadable'
  to?: string
}

/**
 * RootURL.md steps 2-8: the Autodiscover root with a `user` link, from the typed discovery URL or else the
 * internal then the external name, each given timeoutMs (ms) to answer. Throws UcwaError: NetworkError/NotFound with subcode AutodiscoveryFailed
 * naming every host asked, Forbidden/DomainMismatch, Conflict/RedirectLoop, BadResponse.
 */
export async function findRoot(http: UcwaHttp, candidates: string[], trust: Trust, timeoutMs = ROOT_TIMEOUT_MS): Promise<{ root: Resource; url: string }> {
  const misses: Miss[] = []
  for (const start of candidates) {
    const found = await tryName(http, start, trust, timeoutMs)
    if ('root' in found) return found
    misses.push(found)
  }
  throw noRoot(misses)
}

async function tryName(http: UcwaHttp, start: string, trust: Trust, timeoutMs: number): Promise<{ root: Resource; url: string } | Miss> {
  let url = new URL(start)
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const host = url.hostname
    let res
    try {
      // no retries: the next name is the fallback (an unreachable internal name must not hold up the external one)
      res = await http.send(url.toString(), { auth: false, timeoutMs, retries: 0 })
    } catch (e) {
      if (e instanceof UcwaError && e.code === 'NetworkError') return { host, why: 'no-answer' }
      throw e
    }
    if (res.status === 404) return { host, why: 'not-found' }
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      // step 3: a 3xx to another domain is no answer; within the domain it is followed like any hop
      if (!URL.canParse(String(res.headers.location), url.toString())) return { host, why: 'unreadable' }
      const to = new URL(String(res.headers.location), url)
      if (!trusted(to.hostname, trust)) return { host, why: 'elsewhere', to: to.hostname }
      url = to
      continue
    }
    const root = readRoot(http, res, host)
    const user = link(root, 'user')
    if (user) {
      checkHop(user, url.toString(), trust, 'user')
      return { root, url: url.toString() }
    }
    const redirect = link(root, 'redirect') // step 5: validated (step 6) before it is followed (step 7)
    if (!redirect) throw new UcwaError({ status: res.status, code: 'BadResponse', message: `${host} answered without a way to sign in.`, debugInfo: { host, step: 'root' } })
    url = checkHop(redirect, url.toString(), trust, 'root')
  }
  throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'RedirectLoop', message: userMessage('Conflict', 'RedirectLoop'), debugInfo: { host: url.hostname, step: 'root' } })
}

function readRoot(http: UcwaHttp, res: HttpResult, host: string): Resource {
  try {
    return http.parse(http.check(res))
  } catch (e) {
    throw withStep(e, 'root', host)
  }
}

function noRoot(misses: Miss[]): UcwaError {
  const hosts = misses.map((m) => m.host)
  const debugInfo = { step: 'root', hosts: hosts.join(', '), causes: misses.map((m) => m.why).join(', ') }
  if (misses.every((m) => m.why === 'no-answer')) {
    return new UcwaError({ status: 0, code: 'NetworkError', subcode: 'AutodiscoveryFailed', message: `${hosts.join(' and ')} did not answer. Check your connection and the sign-in address.`, debugInfo })
  }
  const phrase = (m: Miss) =>
    m.why === 'no-answer' ? `${m.host} did not answer` : m.why === 'not-found' ? `${m.host} has no sign-in service (HTTP 404)` : m.why === 'unreadable' ? `${m.host} redirected to an address that is not a URL` : `${m.host} sent the sign-in to ${m.to}, outside your domain`
  const text = misses.map(phrase).join('; ')
  return new UcwaError({ status: 0, code: 'NotFound', subcode: 'AutodiscoveryFailed', message: `Parley could not find your server: ${text}.`, debugInfo })
}

/**
 * The same error with the step and the server that failed in debugInfo, and a message naming that server:
 * "<host> did not answer", "<host> refused the sign-in (HTTP 503): …". Messages that already say what happened stay.
 */
export function withStep(e: unknown, step: DiscoveryStep, host: string): unknown {
  if (!(e instanceof UcwaError) || e.debugInfo?.step) return e // the innermost step already said where
  const keep = ['InvalidGrant', 'Aborted'].includes(e.code) || ['ResponseTooLarge', 'UnexpectedRedirect', 'DomainMismatch', 'ForeignOrigin', 'RedirectLoop', 'GrantNotOffered', 'AutodiscoveryFailed'].includes(e.subcode ?? '')
  const message = keep
    ? e.message
    : e.code === 'NetworkError'
      ? `${host} did not answer. Check your connection.`
      : e.status >= 400
        ? `${host} refused the sign-in (HTTP ${e.status}): ${e.message}`
        : e.code === 'BadResponse'
          ? `${host} sent something Parley could not read.`
          : e.message
  return new UcwaError({ status: e.status, code: e.code, subcode: e.subcode, message, debugInfo: { ...e.debugInfo, step, host } })
}
