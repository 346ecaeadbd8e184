// OAuth tokens per pool (AuthenticationInUCWA.md): `cwt=…`, Bearer, expires_in; 8 hours by default.
import type { Clock } from '../clock'
import type { IdSource } from '../ids'
import type { User } from './directory'

export interface Grant {
  user: User
  pool: string
  expiresAt: number
  /** a guest's grant (urn:microsoft.rtc:anonmeeting): the one meeting it may join */
  guest?: { meetingUri: string }
}

export class Tokens {
  readonly #grants = new Map<string, Grant>()

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdSource,
    public lifetimeSeconds = 8 * 3600,
  ) {}

  issue(user: User, pool: string, guest?: Grant['guest']): { access_token: string; expires_in: number; token_type: 'Bearer'; ms_rtc_identityscope: 'local' } {
    const token = `cwt=${this.ids.token()}`
    this.#grants.set(token, { user, pool, expiresAt: this.clock.now() + this.lifetimeSeconds * 1000, ...(guest && { guest }) })
    return { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer', ms_rtc_identityscope: 'local' }
  }

  /** The grant behind an Authorization header, if valid for this pool and not expired. */
  check(authorization: string | undefined, pool: string): Grant | null {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    const grant = m ? this.#grants.get(m[1]!) : undefined
    if (!grant || grant.pool !== pool) return null
    if (grant.expiresAt <= this.clock.now()) {
      this.#grants.delete(m![1]!)
      return null
    }
    return grant
  }

  /** Fault injection: every token of this user (or all) stops working now. */
  expire(sip?: string): number {
    let n = 0
    for (const [token, g] of this.#grants) {
      if (!sip || g.user.sip === sip.replace(/^sip:/i, '').toLowerCase()) {
        this.#grants.delete(token)
        n++
      }
    }
    return n
  }

  /** the tokens issued to a user (tests that prove a token never leaks) */
  issuedTo(sip: string): string[] {
    return [...this.#grants].filter(([, g]) => g.user.sip === sip.replace(/^sip:/i, '').toLowerCase()).map(([t]) => t)
  }

  clear(): void {
    this.#grants.clear()
  }
}
