// The pure pieces of autodiscovery (RootURL.md): the names asked, in order, and the step-6 domain check.
import { describe, expect, it } from 'vitest'
import { checkHop, discoveryCandidates, inDomain, trusted, withStep } from '../../main/ucwa/autodiscovery'
import { UcwaError } from '../../main/ucwa/errors'
import { validDomain } from '../../main/ucwa/sign-in'

describe('discovery candidates', () => {
  it('are the internal name first, then the external, HTTPS only', () => {
    expect(discoveryCandidates('contoso.com')).toEqual(['https://lyncdiscoverinternal.contoso.com/', 'https://lyncdiscover.contoso.com/'])
  })

  it('come from the address domain, lower case; an address without one is refused', () => {
    expect(validDomain('sip:Alice@Contoso.COM')).toBe('contoso.com')
    expect(() => validDomain('alice')).toThrow(expect.objectContaining({ code: 'BadRequest', subcode: 'ParameterValidationFailure' }))
    expect(() => validDomain('alice@con toso.com')).toThrow(UcwaError)
  })
})

describe('the domain check (RootURL.md step 6)', () => {
  it('accepts the domain and its subdomains, nothing that merely ends alike', () => {
    expect(inDomain('contoso.com', 'contoso.com')).toBe(true)
    expect(inDomain('pool2.EU.contoso.com.', 'Contoso.com')).toBe(true)
    expect(inDomain('evilcontoso.com', 'contoso.com')).toBe(false)
    expect(inDomain('contoso.com.fabrikam.com', 'contoso.com')).toBe(false)
    expect(inDomain('com', 'contoso.com')).toBe(false)
    expect(inDomain('anything', '')).toBe(false)
  })

  it('trusts a typed discovery URL host as typed, besides the domain', () => {
    const trust = { domain: 'contoso.test', typedHost: '127.0.0.1' }
    expect(trusted('127.0.0.1', trust)).toBe(true)
    expect(trusted('pool1.contoso.test', trust)).toBe(true)
    expect(trusted('127.0.0.2', trust)).toBe(false)
    expect(trusted('127.0.0.1', { domain: 'contoso.test' })).toBe(false)
  })

  it('resolves a relative hop and refuses a foreign one with DomainMismatch naming host and domain', () => {
    const trust = { domain: 'contoso.com' }
    expect(checkHop('/root/oauth/user', 'https://lyncdiscover.contoso.com/', trust, 'user').toString()).toBe('https://lyncdiscover.contoso.com/root/oauth/user')
    let error: unknown
    try {
      checkHop('https://pool.fabrikam.com/user', 'https://lyncdiscover.contoso.com/', trust, 'redirect')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UcwaError)
    expect(error).toMatchObject({
      status: 0,
      code: 'Forbidden',
      subcode: 'DomainMismatch',
      message: 'The server sent the sign-in to pool.fabrikam.com, which is not contoso.com. Parley did not follow it.',
      debugInfo: { host: 'pool.fabrikam.com', domain: 'contoso.com', step: 'redirect' },
    })
  })
})

describe('errors of a step', () => {
  it('name the server and keep code, subcode and status', () => {
    const net = withStep(new UcwaError({ status: 0, code: 'NetworkError', message: 'x' }), 'user', 'pool2.contoso.com')
    expect(net).toMatchObject({ code: 'NetworkError', message: 'pool2.contoso.com did not answer. Check your connection.', debugInfo: { step: 'user', host: 'pool2.contoso.com' } })
    const refused = withStep(new UcwaError({ status: 403, code: 'Forbidden', message: 'Your account is not allowed to do that.' }), 'token', 'pool2.contoso.com')
    expect(refused).toMatchObject({ status: 403, code: 'Forbidden', message: 'pool2.contoso.com refused the sign-in (HTTP 403): Your account is not allowed to do that.' })
    const wrongPassword = withStep(new UcwaError({ status: 400, code: 'InvalidGrant', message: 'The sign-in address or password is not right.' }), 'token', 'pool1.contoso.com')
    expect(wrongPassword).toMatchObject({ message: 'The sign-in address or password is not right.', debugInfo: { host: 'pool1.contoso.com' } })
    // an error already placed at an inner step keeps that place and message
    expect(withStep(refused, 'user', 'pool9.contoso.com')).toBe(refused)
  })
})
