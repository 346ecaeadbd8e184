// Which URLs may carry a password or a token: https, or http to this machine (the simulator, a test pool).

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine (RFC 6890, RFC 6761 §6.3). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  // exactly these: a name under .localhost may be sent to DNS by some resolvers, so it is not trusted with a secret
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** https anywhere, http only on loopback: the only URLs sign-in may send a password or a bearer token to. */
export function isSecureOrLoopback(url: string | URL): boolean {
  let u: URL
  try {
    u = typeof url === 'string' ? new URL(url) : url
  } catch {
    return false
  }
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname))
}
