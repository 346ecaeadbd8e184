// Which URLs may carry a password or a token (requireSecure): https anywhere, plain http only by a loopback host name.
import { describe, expect, it } from 'vitest'
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
