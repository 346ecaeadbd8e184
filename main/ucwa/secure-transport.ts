// Passwords and tokens only over TLS: https anywhere, plain http only to this machine (the simulator, a local test pool).
import { isSecureOrLoopback } from '../../preload/urls'
import { UcwaError } from './errors'

/** what would have gone out in clear text */
export type Secret = 'password' | 'token'

/**
 * Refuses to send a secret to url unless it is https, or http to a loopback host (127.0.0.0/8, ::1, localhost:
 * traffic that never leaves this machine — the one exception, for the simulator). The host name decides, not where
 * the socket goes. Throws UcwaError { status: 0, code: 'Forbidden', subcode: 'InsecureTransport' } naming the host
 * (debugInfo: host, secret, and the sign-in step when given); else the url. AuthenticationInUCWA.md and RootURL.md: "Preference should always be given to the HTTPS form."
 */
export function requireSecure(url: URL, secret: Secret, step?: string): URL {
  if (isSecureOrLoopback(url)) return url
  throw new UcwaError({
    status: 0,
    code: 'Forbidden',
    subcode: 'InsecureTransport',
    message: `${url.hostname} asked for your ${secret === 'password' ? 'password' : 'sign-in'} over an unencrypted connection (${url.protocol.replace(':', '')}). Parley did not send it.`,
    debugInfo: { host: url.hostname, secret, ...(step && { step }) },
  })
}
