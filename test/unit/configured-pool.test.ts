import { describe, expect, it } from 'vitest'
import { configuredDiscoveryUrl } from '../../main/core/configured-pool'

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
