// Which URLs may carry a password or a token (requireSecure): https anywhere, plain http only by a loopback host name.
import { describe, expect, it } from 'vitest'
import { readToken } from '../../main/ucwa/auth'
import { UcwaError } from '../../main/ucwa/errors'
import { requireSecure } from '../../main/ucwa/secure-transport'

describe('requireSecure', () => {
  it.each(['https://pool1.contoso.com/user', 'http://127.0.0.1:4080/x', 'http://127.9.8.7/x', 'http://localhost:4080/x', 'http://[::1]:4080/x'])('lets %s carry a secret', (href) => {
    expect(requireSecure(new URL(href), 'token').href).toBe(new URL(href).href)
  })

  it.each([
    ['http://pool1.contoso.com/user', 'pool1.contoso.com'],
    ['http://127.0.0.1.nip.io/x', '127.0.0.1.nip.io'],
    ['http://10.0.0.1/x', '10.0.0.1'],
    ['ws://127.0.0.1/x', '127.0.0.1'],
    ['ftp://pool1.contoso.com/x', 'pool1.contoso.com'],
    // a name under .localhost may go to DNS on some resolvers: only the literal loopback names count
    ['http://pool.localhost/x', 'pool.localhost'],
  ])('refuses %s with InsecureTransport naming %s', (href, host) => {
    let error: unknown
    try {
      requireSecure(new URL(href), 'password', 'token')
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ status: 0, code: 'Forbidden', subcode: 'InsecureTransport', debugInfo: { host, secret: 'password', step: 'token' } })
    expect((error as Error).message).toContain(`${host} asked for your password over an unencrypted connection`)
  })
})

describe('a token endpoint answer (readToken)', () => {
  const token = JSON.stringify({ access_token: 'cwt=abc', token_type: 'Bearer', expires_in: 3600 })
  it('takes a token only from a 200 (RFC 6749 §5.1)', () => {
    expect(readToken({ status: 200, body: token }, 0)).toMatchObject({ accessToken: 'cwt=abc', expiresAt: 3600_000 })
    for (const status of [201, 203, 302, 307]) expect(() => readToken({ status, body: token }, 0), String(status)).toThrow(UcwaError)
  })
})
