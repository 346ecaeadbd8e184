// OAuth tokens per pool (AuthenticationInUCWA.md): `cwt=…`, Bearer, expires_in; 8 hours by default.
import type { Clock } from '../clock'
import type { IdSource } from '../ids'
import type { User } from './directory'

/** How the pool answers a token it no longer accepts: 401 with the challenge, or 403 InvalidToken (see server.ts). */
export type Refusal = 401 | 403

export interface Grant {
  user: User
  pool: string
  expiresAt: number
  /** a guest's grant (urn:microsoft.rtc:anonmeeting): the one meeting it may join */
  guest?: { meetingUri: string }
}

export class Tokens {
  readonly #grants = new Map<string, Grant>()
  /** tokens taken back by a fault, and how a request carrying one is answered */
  readonly #refused = new Map<string, Refusal>()
  /** users whose every token the UCWA resources refuse (the autodiscover service still accepts them) */
  readonly #refusedUsers = new Map<string, Refusal>()

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

  /** The grant behind an Authorization header, if valid for this pool and not expired; `ucwa`: a UCWA resource, not autodiscovery. */
  check(authorization: string | undefined, pool: string, ucwa = true): Grant | null {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    const grant = m ? this.#grants.get(m[1]!) : undefined
    if (!grant || grant.pool !== pool) return null
    if (ucwa && this.#refusedUsers.has(grant.user.sip)) return null
    if (grant.expiresAt <= this.clock.now()) {
      this.#grants.delete(m![1]!)
      return null
    }
    return grant
  }

  /** How a refused Authorization header is answered: 403 for a token taken back `as: 403` or a refused user's, else 401. */
  refusal(authorization: string | undefined): Refusal {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) return 401
    const grant = this.#grants.get(token)
    return (grant && this.#refusedUsers.get(grant.user.sip)) ?? this.#refused.get(token) ?? 401
  }

  /** Fault injection: every token of this user (or all) stops working now; `as` is how the pool answers them. */
  expire(sip?: string, as: Refusal = 401): number {
    let n = 0
    for (const [token, g] of this.#grants) {
      if (!sip || g.user.sip === sip.replace(/^sip:/i, '').toLowerCase()) {
        this.#grants.delete(token)
        if (as === 403) this.#refused.set(token, as)
        n++
      }
    }
    return n
  }

  /** Fault injection: the user's UCWA resources refuse every token, those issued later too (null: accept again). */
  refuseUser(sip: string, as: Refusal | null): void {
    const key = sip.replace(/^sip:/i, '').toLowerCase()
    if (as) this.#refusedUsers.set(key, as)
    else this.#refusedUsers.delete(key)
  }

  /** the tokens issued to a user (tests that prove a token never leaks) */
  issuedTo(sip: string): string[] {
    return [...this.#grants].filter(([, g]) => g.user.sip === sip.replace(/^sip:/i, '').toLowerCase()).map(([t]) => t)
  }

  clear(): void {
    this.#grants.clear()
    this.#refused.clear()
    this.#refusedUsers.clear()
  }
}
