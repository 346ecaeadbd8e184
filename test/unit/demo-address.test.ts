// With no server configured, the embedded pool is the default for its own addresses only.
import { describe, expect, it } from 'vitest'
import { demoDiscoveryFor } from '../../main/core/demo-address'

const demo = { discoveryUrl: 'http://127.0.0.1:4080/autodiscover/autodiscoverservice.svc/root', users: [{ sip: 'alice@contoso.test', name: 'Alice', password: 'p' }] }

describe('demo pool as the default server', () => {
  it('an address of the demo domain (any person, any case, with sip:) goes to the demo pool; others are discovered; no demo, no default', () => {
    expect(demoDiscoveryFor(demo, 'bob@contoso.test')).toBe(demo.discoveryUrl)
    expect(demoDiscoveryFor(demo, 'sip:Carol@CONTOSO.test')).toBe(demo.discoveryUrl)
    expect(demoDiscoveryFor(demo, 'erin@fabrikam.com')).toBeUndefined()
    expect(demoDiscoveryFor(demo, 'contoso.test')).toBeUndefined()
    expect(demoDiscoveryFor(null, 'bob@contoso.test')).toBeUndefined()
  })
})
