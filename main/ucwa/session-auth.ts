// The session's credentials and the HTTP that carries them: the token (AuthenticationInUCWA.md), the pool that issued it
// (the only origin it goes to), its renewal (token-renewal.ts) and its keychain entry. The access token stays in here.
import type { StoredToken, TokenStore } from '../credentials/token-store'
import { tokenAccount } from '../credentials/token-store'
import type { Token } from './auth'
import { couldNotReachPool } from './errors'
import { UcwaHttp } from './http'
import type { ClientOptions, SavedSession } from './session-options'
import type { Credentials } from './sign-in'
import { refusedAgainError, type Refusal } from './token-refusal'
import { TokenRenewal } from './token-renewal'

type Remembered = Credentials & { remember: boolean }

/** what the session does when its credentials change (client.ts) */
export interface SessionAuthHooks {
  /** there is an application to renew a refused token for */
  live(): boolean
  /** the session cannot go on (the renewal was refused, or its token refused again) */
  lose(error: unknown): void
  /** a renewed token is in use: schedule the next renewal */
  renewed(): void
  /** what to keep between runs changed (null: nothing to keep) */
  saved(session: SavedSession | null): void
}

export class SessionAuth {
  readonly http: UcwaHttp
  #token: Token | null = null
  #poolOrigin = ''
  #applicationsHref = ''
  #creds: Remembered | null = null
  /** keychain account of the signed-in session; null: a guest's, kept nowhere */
  #account: string | null = null
  readonly #renewer: TokenRenewal

  constructor(
    private readonly tokenStore: TokenStore,
    options: ClientOptions,
    now: () => number,
    private readonly hooks: SessionAuthHooks,
  ) {
    this.http = new UcwaHttp({
      format: options.format,
      token: () => this.#token?.accessToken ?? null,
      allowedOrigins: () => new Set(this.#poolOrigin ? [this.#poolOrigin] : []),
      base: () => this.#poolOrigin,
      userAgent: options.userAgent,
      connectTo: options.connectTo,
      ca: options.ca,
      renewToken: async (refusal) => {
        if (!hooks.live()) return false
        try {
          await this.renew(refusal)
          return true
        } catch (e) {
          // nothing to sign in with, or the pool refused the renewal: the session is over, not retried
          // (a renewal that could not reach the pool fails this request only; the next refusal tries again)
          if (!couldNotReachPool(e)) hooks.lose(e)
          return false
        }
      },
      refusedAgain: (refusal) => hooks.lose(refusedAgainError(refusal)),
    })
    this.#renewer = new TokenRenewal({
      http: this.http,
      credentials: () => this.#creds,
      poolOrigin: () => this.#poolOrigin,
      now,
      discoveryTimeoutMs: options.discoveryTimeoutMs,
      renewed: async (token, applicationsHref) => {
        this.#token = token
        if (applicationsHref) this.#applicationsHref = applicationsHref
        await this.store()
        hooks.renewed()
      },
    })
  }

  get poolOrigin(): string {
    return this.#poolOrigin
  }

  get applicationsHref(): string {
    return this.#applicationsHref
  }

  /** when the token expires, epoch ms; null without one */
  get expiresAt(): number | null {
    return this.#token?.expiresAt ?? null
  }

  /** the person let Parley keep the password: the token can be renewed without them */
  get remember(): boolean {
    return !!this.#creds?.remember
  }

  /** a keychain account to delete when its token is refused (null for a guest) */
  get account(): string | null {
    return this.#account
  }

  /** Sign-in found `token` at `poolOrigin` (sign-in.ts); `guest`: its token is kept nowhere. */
  signedIn(found: { token: Token; poolOrigin: string; applicationsHref: string }, creds: Remembered, guest: boolean): void {
    this.#token = found.token
    this.#poolOrigin = found.poolOrigin
    this.#applicationsHref = found.applicationsHref
    this.#creds = creds
    // a guest signs in under the organizer's address: no keychain entry of anyone's is ever touched for it
    this.#account = guest ? null : tokenAccount(creds.sipAddress, found.poolOrigin)
  }

  /** The keychain's token for `saved`, if it is valid for 5 more minutes: then it is in use (true). */
  async resume(saved: SavedSession, confirmedHosts: Credentials['confirmedHosts'], now: number): Promise<boolean> {
    const stored = await this.tokenStore.get(tokenAccount(saved.sipAddress, saved.poolOrigin))
    if (!stored || stored.expiresAt - now < 5 * 60_000) return false
    this.#token = { accessToken: stored.accessToken, tokenType: stored.tokenType, expiresAt: stored.expiresAt }
    this.#poolOrigin = saved.poolOrigin
    this.#applicationsHref = saved.applicationsHref
    this.#creds = stored.password ? { sipAddress: saved.sipAddress, password: stored.password, discoveryUrl: saved.discoveryUrl, remember: true, confirmedHosts } : null
    this.#account = tokenAccount(saved.sipAddress, saved.poolOrigin)
    return true
  }

  /** The resumed token did not open a session: it is dropped, from the keychain too. */
  async resumeFailed(saved: SavedSession): Promise<void> {
    this.#token = null
    await this.tokenStore.delete(tokenAccount(saved.sipAddress, saved.poolOrigin)).catch(() => false)
  }

  /** One new token (token-renewal.ts); throws its errors. */
  renew(refusal?: Refusal): Promise<void> {
    return this.#renewer.renew(refusal)
  }

  /** Keeps the token (and the password, if remembered) in the keychain, and says what to keep between runs. */
  async store(): Promise<void> {
    const creds = this.#creds!
    const token: StoredToken = { ...this.#token!, ...(creds.remember && { password: creds.password }) }
    await this.tokenStore.set(this.#account!, token)
    this.hooks.saved({ sipAddress: creds.sipAddress, poolOrigin: this.#poolOrigin, applicationsHref: this.#applicationsHref, discoveryUrl: creds.discoveryUrl, remember: creds.remember })
  }

  /** Signing out: the keychain entry, the token and the password are forgotten. */
  async forget(): Promise<void> {
    if (this.#account) await this.tokenStore.delete(this.#account).catch(() => false)
    this.#account = null
    this.hooks.saved(null)
    this.#token = null
    this.#creds = null
  }

  /** The pool refused the token for good: it is no use at the next start either. */
  forgetRefused(): void {
    if (this.#account) void this.tokenStore.delete(this.#account).catch(() => false)
  }
}
