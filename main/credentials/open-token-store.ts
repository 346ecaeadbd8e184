import { keychainAdvice } from './keychain-advice'
import { KeytarTokenStore, type KeytarLike } from './keytar-token-store'
import { probeKeychain, type ProbeLauncher } from './keychain-probe'
import { KEYCHAIN_SERVICE, MemoryTokenStore, type TokenStore } from './token-store'

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike
  return mod.default ?? mod
}

/**
 * The keychain if it answers (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows),
 * else memory for this session with the reason, so the app can tell the user. Never rejects.
 * `probe`: ask in a process of its own first (keychain-probe.ts), bounded by `timeoutMs` (ms): a keychain that
 * hangs or crashes keytar then costs this process nothing. Without it keytar is asked here (tests of keytar itself).
 */
export async function openTokenStore(
  options: { service?: string; load?: () => Promise<KeytarLike>; probe?: ProbeLauncher; timeoutMs?: number } = {},
): Promise<TokenStore> {
  const service = options.service ?? KEYCHAIN_SERVICE
  if (options.probe) {
    const outcome = await probeKeychain(options.probe, service, options.timeoutMs)
    // the probe's sentence names the technical cause: the person reads what is missing and how to fix it first
    if (!outcome.ok) return new MemoryTokenStore(keychainAdvice(process.platform, /\((.*)\);/.exec(outcome.reason)?.[1] ?? outcome.reason))
  }
  try {
    const keytar = await (options.load ?? loadKeytar)()
    await keytar.findCredentials(service) // fails fast when no Secret Service or a locked keyring
    return new KeytarTokenStore(keytar, service)
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return new MemoryTokenStore(keychainAdvice(process.platform, detail))
  }
}
