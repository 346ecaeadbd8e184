// The MsRtcOAuth challenge and the password grant (AuthenticationInUCWA.md).
import { UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { requireSecure } from './secure-transport'

export interface Challenge {
  href: string
  grantTypes: string[]
}

/** Reads `MsRtcOAuth href="…",grant_type="…"` out of one or more WWW-Authenticate headers. */
export function parseChallenge(header: string | string[] | undefined): Challenge | null {
  for (const value of [header ?? []].flat()) {
    const m = /(?:^|,\s*|\s)MsRtcOAuth\s+(.+)$/i.exec(value)
    if (!m) continue
    const params: Record<string, string> = {}
    for (const p of m[1]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? ''
    if (!params.href) continue
    try {
      new URL(params.href)
    } catch {
      continue
    }
    return { href: params.href, grantTypes: (params.grant_type ?? '').split(',').map((g) => g.trim()).filter(Boolean) }
  }
  return null
}

export interface Token {
  accessToken: string
  tokenType: string
  /** epoch ms */
  expiresAt: number
}

/** The password grant at the challenge's token URL (AuthenticationInUCWA.md); Forbidden/InsecureTransport before sending to a URL without TLS. */
export async function passwordGrant(http: UcwaHttp, challenge: Challenge, username: string, password: string, now = Date.now()): Promise<Token> {
  return grant(http, challenge, { grant_type: 'password', username, password }, 'This server does not accept password sign-in.', now)
}

/**
 * One OAuth grant at the challenge's token URL (AuthenticationInUCWA.md): `fields` as the form body (its grant_type
 * must be one the challenge offers), the answer read by readToken.
 * @throws UcwaError Forbidden/GrantNotOffered (with `notOffered` as its message) when the challenge lacks the grant type;
 *   Forbidden/InsecureTransport before sending to a URL without TLS (loopback excepted); readToken's errors.
 */
export async function grant(http: UcwaHttp, challenge: Challenge, fields: { grant_type: string } & Record<string, string>, notOffered: string, now: number): Promise<Token> {
  if (!challenge.grantTypes.includes(fields.grant_type)) {
    throw new UcwaError({ status: 0, code: 'Forbidden', subcode: 'GrantNotOffered', message: notOffered })
  }
  requireSecure(new URL(challenge.href), 'password')
  const form = new URLSearchParams(fields).toString()
  return readToken(await http.send(challenge.href, { method: 'POST', body: form, type: 'form', auth: false }), now)
}

/** A token endpoint's answer (AuthenticationInUCWA.md): the token, or InvalidGrant / the OAuth error as a UcwaError. */
export function readToken(res: { status: number; body: string }, now: number): Token {
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(res.body)
  } catch {
    // not JSON: judged by status below
  }
  if (res.status === 400 && body.error === 'invalid_grant') throw new UcwaError({ status: 400, code: 'InvalidGrant', message: userMessage('InvalidGrant') })
  // only a 200 grants (RFC 6749 §5.1): a redirect or any other status carrying a token is refused
  if (res.status !== 200 || typeof body.access_token !== 'string') {
    const code = typeof body.error === 'string' ? body.error : 'ServiceFailure'
    throw new UcwaError({ status: res.status, code, message: res.status >= 500 ? userMessage('ServiceFailure') : 'The server refused the sign-in request.' })
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 8 * 3600
  return { accessToken: body.access_token, tokenType: String(body.token_type ?? 'Bearer'), expiresAt: now + expiresIn * 1000 }
}
