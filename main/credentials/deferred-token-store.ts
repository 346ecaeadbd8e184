import type { StoredToken, TokenStore } from './token-store'

/**
 * A TokenStore available at once while the keychain is still being opened (the window never waits on the probe):
 * get/set/delete wait for it; `ready` settles when it is known; until then `kind` reads 'memory' with a reason saying so.
 */
export class DeferredTokenStore implements TokenStore {
  #store: TokenStore | null = null
  readonly ready: Promise<void>

  constructor(opening: Promise<TokenStore>) {
    this.ready = opening.then((store) => void (this.#store = store))
  }

  get kind(): TokenStore['kind'] {
    return this.#store?.kind ?? 'memory'
  }

  get unavailableReason(): string | undefined {
    return this.#store ? this.#store.unavailableReason : 'Parley is still checking the system keychain.'
  }

  async get(account: string): Promise<StoredToken | null> {
    await this.ready
    return this.#store!.get(account)
  }

  async set(account: string, token: StoredToken): Promise<void> {
    await this.ready
    return this.#store!.set(account, token)
  }

  async delete(account: string): Promise<boolean> {
    await this.ready
    return this.#store!.delete(account)
  }
}
