// RootURL.md's domain check answered by the person: what is asked, what is kept, what Continue may trust.
import { describe, expect, it } from 'vitest'
import { checkConfirmation, checkOnlyRemoved, MAX_TRUSTED_PER_DOMAIN, serverToConfirm, trustedFor, withTrusted } from '../../main/core/server-trust'
import { checkHop, trusted } from '../../main/ucwa/autodiscovery'
import { UcwaError } from '../../main/ucwa/errors'

const mismatch = (host: string) => {
  try {
    checkHop(`https://${host}/user`, 'https://lyncdiscover.contoso.com/', { domain: 'contoso.com' }, 'user')
  } catch (e) {
    return e
  }
  throw new Error('not refused')
}

describe('serverToConfirm', () => {
  it('asks about the host a DomainMismatch refused, for the address’s domain', () => {
    expect(serverToConfirm(mismatch('Pool.Fabrikam.com'), 'sip:You@Contoso.com')).toEqual({ host: 'pool.fabrikam.com', domain: 'contoso.com', sipAddress: 'You@Contoso.com' })
  })

  it.each([
    ['another Forbidden', new UcwaError({ status: 0, code: 'Forbidden', subcode: 'ForeignOrigin', message: 'x', debugInfo: { host: 'a.b' } })],
    ['InsecureTransport', new UcwaError({ status: 0, code: 'Forbidden', subcode: 'InsecureTransport', message: 'x', debugInfo: { host: 'a.b' } })],
    ['a wrong password', new UcwaError({ status: 400, code: 'InvalidGrant', message: 'x' })],
    ['no error', null],
    ['a plain Error', new Error('DomainMismatch')],
  ])('asks nothing after %s', (_what, error) => {
    expect(serverToConfirm(error, 'you@contoso.com')).toBeNull()
  })
})

describe('trusted servers per sign-in domain', () => {
  it('adds a host once, lower case, under its domain only', () => {
    let t = withTrusted({}, 'Contoso.com', 'Pool.Fabrikam.com')
    t = withTrusted(t, 'contoso.com', 'pool.fabrikam.com')
    t = withTrusted(t, 'northwind.com', 'sfb.northwind-hosting.net')
    expect(t).toEqual({ 'contoso.com': ['pool.fabrikam.com'], 'northwind.com': ['sfb.northwind-hosting.net'] })
    expect(trustedFor(t, 'CONTOSO.com')).toEqual(['pool.fabrikam.com'])
    expect(trustedFor(t, 'fabrikam.com')).toEqual([])
  })

  it(`keeps at most ${MAX_TRUSTED_PER_DOMAIN} per domain, the newest`, () => {
    let t = {}
    for (let i = 0; i <= MAX_TRUSTED_PER_DOMAIN; i++) t = withTrusted(t, 'contoso.com', `pool${i}.fabrikam.com`)
    expect(trustedFor(t, 'contoso.com')).toHaveLength(MAX_TRUSTED_PER_DOMAIN)
    expect(trustedFor(t, 'contoso.com')).not.toContain('pool0.fabrikam.com')
  })

  it('a confirmed host passes the step-6 check for its domain, and only there', () => {
    expect(trusted('pool.fabrikam.com', { domain: 'contoso.com' })).toBe(false)
    expect(trusted('POOL.fabrikam.com', { domain: 'contoso.com', confirmedHosts: ['pool.fabrikam.com'] })).toBe(true)
    expect(trusted('evil.fabrikam.com', { domain: 'contoso.com', confirmedHosts: ['pool.fabrikam.com'] })).toBe(false)
  })
})

describe('checkConfirmation (Continue)', () => {
  const pending = { host: 'pool.fabrikam.com', domain: 'contoso.com', sipAddress: 'you@contoso.com' }

  it('accepts the host the last sign-in was refused for, for the same address', () => {
    expect(checkConfirmation(pending, 'sip:You@contoso.com', 'POOL.fabrikam.com')).toBe(pending)
  })

  it.each([
    ['nothing was asked', null, 'you@contoso.com', 'pool.fabrikam.com'],
    ['another host', pending, 'you@contoso.com', 'evil.example.com'],
    ['another address', pending, 'someone@contoso.com', 'pool.fabrikam.com'],
  ])('refuses when %s: BadRequest naming the host', (_what, p, address, host) => {
    expect(() => checkConfirmation(p, address, host)).toThrow(expect.objectContaining({ code: 'BadRequest', subcode: 'ParameterValidationFailure', message: expect.stringContaining(host) }))
  })
})

describe('checkOnlyRemoved (settings.update)', () => {
  const current = { 'contoso.com': ['pool.fabrikam.com', 'sfb.fabrikam.com'] }

  it.each([[{}], [{ 'contoso.com': [] }], [{ 'contoso.com': ['SFB.fabrikam.com'] }], [current]])('lets %j through (nothing added)', (next) => {
    expect(() => checkOnlyRemoved(current, next)).not.toThrow()
  })

  it.each([
    [{ 'contoso.com': ['pool.fabrikam.com', 'evil.example.com'] }, 'evil.example.com'],
    [{ 'northwind.com': ['pool.fabrikam.com'] }, 'pool.fabrikam.com'],
  ])('refuses %j: BadRequest naming %s', (next, host) => {
    expect(() => checkOnlyRemoved(current, next)).toThrow(expect.objectContaining({ code: 'BadRequest', subcode: 'ParameterValidationFailure', message: expect.stringContaining(host) }))
  })
})
