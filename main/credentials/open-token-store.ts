import { keychainAdvice } from './keychain-advice'
import { KeytarTokenStore, type KeytarLike } from './keytar-token-store'
import { KEYCHAIN_SERVICE, MemoryTokenStore, type TokenStore } from './token-store'

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike
  return mod.default ?? mod
}

/**
 * The keychain if it answers (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows),
 * else memory for this session with the reason, so the app can tell the user.
 */
export async function openTokenStore(
  options: { service?: string; load?: () => Promise<KeytarLike> } = {},
): Promise<TokenStore> {
  const service = options.service ?? KEYCHAIN_SERVICE
  try {
    const keytar = await (options.load ?? loadKeytar)()
    await keytar.findCredentials(service) // fails fast when no Secret Service or a locked keyring
    return new KeytarTokenStore(keytar, service)
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return new MemoryTokenStore(keychainAdvice(process.platform, detail))
  }
}
