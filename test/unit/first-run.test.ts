import { describe, expect, it } from 'vitest'
import { configuredDiscoveryUrl } from '../../main/core/configured-pool'
import { keychainAdvice } from '../../main/credentials/keychain-advice'
import type { ProbeLauncher } from '../../main/credentials/keychain-probe'
import { openTokenStore } from '../../main/credentials/open-token-store'

describe('PARLEY_DISCOVERY_URL', () => {
  it('is the discovery URL when it is https, or http on this computer; unset or blank is none', () => {
    expect(configuredDiscoveryUrl({ PARLEY_DISCOVERY_URL: 'https://lyncdiscover.contoso.com/' })).toBe('https://lyncdiscover.contoso.com/')
    expect(configuredDiscoveryUrl({ PARLEY_DISCOVERY_URL: ' http://127.0.0.1:4080/autodiscover/autodiscoverservice.svc/root ' })).toBe('http://127.0.0.1:4080/autodiscover/autodiscoverservice.svc/root')
    expect(configuredDiscoveryUrl({})).toBeNull()
    expect(configuredDiscoveryUrl({ PARLEY_DISCOVERY_URL: '  ' })).toBeNull()
  })

  it('refuses with a typed error what sign-in must not send a password to', () => {
    for (const bad of ['http://lyncdiscover.contoso.com/', 'lyncdiscover.contoso.com', 'ftp://x/']) {
      expect(() => configuredDiscoveryUrl({ PARLEY_DISCOVERY_URL: bad }), bad).toThrow(expect.objectContaining({ status: 0, code: 'BadConfiguration', message: expect.stringContaining('PARLEY_DISCOVERY_URL must be an https:// address') }))
    }
  })
})

describe('keychain advice', () => {
  it('names what is missing and how to fix it on each OS, the technical detail last', () => {
    expect(keychainAdvice('linux', 'Cannot autolaunch D-Bus')).toBe(
      'Parley found no keychain (a Secret Service such as GNOME Keyring or KWallet), so it cannot remember your sign-in. Install GNOME Keyring (the gnome-keyring package) or KWallet, make sure it is unlocked when you log in, then restart Parley. Until then you sign in each time Parley starts. (Details: Cannot autolaunch D-Bus)',
    )
    expect(keychainAdvice('darwin', 'x')).toMatch(/^Parley could not use the macOS Keychain.*unlock your login keychain/)
    expect(keychainAdvice('win32', 'x')).toMatch(/^Parley could not use Windows Credential Manager.*Credential Manager service is running/)
  })

  it('is what the app shows when the keychain probe finds none', async () => {
    // a probe child that answers as the real one does when no Secret Service is on the bus
    const launch: ProbeLauncher = () => ({
      onOutput: (listener) => setTimeout(() => listener('{"ok":false,"error":"Cannot autolaunch D-Bus without X11 $DISPLAY"}\n'), 5),
      onExit: () => {},
      kill: () => {},
    })
    const store = await openTokenStore({ probe: launch, timeoutMs: 2_000 })
    expect(store.kind).toBe('memory')
    expect(store.unavailableReason).toBe(keychainAdvice(process.platform, 'Cannot autolaunch D-Bus without X11 $DISPLAY'))
  })
})
