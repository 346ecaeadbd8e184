// Where UCWA tokens live: the OS keychain, or memory for this session when there is none. Never a plain file.

export interface StoredToken {
  accessToken: string
  tokenType: string
  /** epoch ms */
  expiresAt: number
  /** only when the person chose "keep me signed in": lets Parley renew the token by itself */
  password?: string
}

export interface TokenStore {
  readonly kind: 'keychain' | 'memory'
  /** Set when the keychain could not be used: shown to the user. */
  readonly unavailableReason?: string
  /** Settles once `kind` and `unavailableReason` are final (a store still opening the keychain); absent when they already are. */
  readonly ready?: Promise<void>
  get(account: string): Promise<StoredToken | null>
  set(account: string, token: StoredToken): Promise<void>
  delete(account: string): Promise<boolean>
}

export const KEYCHAIN_SERVICE = 'Parley (Skype for Business)'

/** The keychain account for a user at a pool: "user@pool-origin". */
export function tokenAccount(user: string, poolOrigin: string): string {
  return `${user.toLowerCase()}@${new URL(poolOrigin).origin}`
}

export function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== 'object' || value === null) return false
  const t = value as Record<string, unknown>
  return typeof t.accessToken === 'string' && typeof t.tokenType === 'string' && typeof t.expiresAt === 'number'
}

export class MemoryTokenStore implements TokenStore {
  readonly kind = 'memory' as const
  readonly #tokens = new Map<string, StoredToken>()

  constructor(readonly unavailableReason?: string) {}

  async get(account: string): Promise<StoredToken | null> {
    return this.#tokens.get(account) ?? null
  }

  async set(account: string, token: StoredToken): Promise<void> {
    this.#tokens.set(account, { ...token })
  }

  async delete(account: string): Promise<boolean> {
    return this.#tokens.delete(account)
  }
}
