// A new token for a session whose token was refused or is about to expire (AuthenticationInUCWA.md, RootURL.md):
// 401 → the password grant where the pool's own challenge says; 403 InvalidToken (or no usable challenge) →
// autodiscovery again. One renewal at a time: the channel and commands refused together share it.
import { parseChallenge, passwordGrant, type Token } from './auth'
import { foreignOriginError } from './errors'
import type { UcwaHttp } from './http'
import { discover, type Credentials } from './sign-in'
import { signInAgainError, type Refusal } from './token-refusal'

export interface RenewalDeps {
  http: UcwaHttp
  /** the remembered sign-in, if the person let Parley keep it */
  credentials(): (Credentials & { remember: boolean }) | null
  /** the session's pool: a renewal never moves the token elsewhere */
  poolOrigin(): string
  now(): number
  /** how long one discovery name may stay silent, ms (sign-in's default when absent) */
  discoveryTimeoutMs?: number
  /** the new token, for the session to use, store and schedule the next renewal of; after autodiscovery, the applications URL it found */
  renewed(token: Token, applicationsHref?: string): Promise<void>
}

export class TokenRenewal {
  #running: Promise<void> | null = null

  constructor(private readonly deps: RenewalDeps) {}

  /**
   * Renews once for `refusal` (none: a scheduled renewal, by autodiscovery). Throws Unauthorized/SignInRequired
   * with nothing remembered, Forbidden/ForeignOrigin if discovery now names another pool, or the grant's error.
   */
  renew(refusal?: Refusal): Promise<void> {
    this.#running ??= this.#renew(refusal).finally(() => (this.#running = null))
    return this.#running
  }

  async #renew(refusal?: Refusal): Promise<void> {
    const creds = this.deps.credentials()
    if (!creds?.remember) throw signInAgainError(refusal)
    const token = refusal?.status === 401 ? await this.#fromChallenge(refusal, creds) : null
    if (token) return this.deps.renewed(token)
    const found = await discover(this.deps.http, creds, undefined, undefined, this.deps.discoveryTimeoutMs)
    if (found.poolOrigin !== this.deps.poolOrigin()) throw foreignOriginError()
    await this.deps.renewed(found.token, found.applicationsHref) // the cached UCWA URL is replaced too (RootURL.md)
  }

  /** the password grant at the token service a 401 named, if it is the pool's own (the password goes nowhere else) */
  async #fromChallenge(refusal: Refusal, creds: Credentials): Promise<Token | null> {
    const challenge = parseChallenge(refusal.challenge)
    if (!challenge || new URL(challenge.href).origin !== this.deps.poolOrigin() || !challenge.grantTypes.includes('password')) return null
    return passwordGrant(this.deps.http, challenge, creds.sipAddress.replace(/^sip:/i, ''), creds.password, this.deps.now())
  }
}
