import { isStoredToken, KEYCHAIN_SERVICE, type StoredToken, type TokenStore } from './token-store'

/** The slice of keytar used here; the real module is loaded lazily by openTokenStore. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>
}

export class KeytarTokenStore implements TokenStore {
  readonly kind = 'keychain' as const

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  async get(account: string): Promise<StoredToken | null> {
    const raw = await this.keytar.getPassword(this.service, account)
    if (raw === null) return null
    try {
      const parsed: unknown = JSON.parse(raw)
      return isStoredToken(parsed) ? parsed : null
    } catch {
      return null // a foreign or damaged entry is not a token
    }
  }

  async set(account: string, token: StoredToken): Promise<void> {
    await this.keytar.setPassword(this.service, account, JSON.stringify(token))
  }

  async delete(account: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, account)
  }
}
