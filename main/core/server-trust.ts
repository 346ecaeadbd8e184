// RootURL.md's step-6 check, answered by the person: which server a refused sign-in asks them to confirm, and the
// servers they confirmed, kept in settings per sign-in domain.
import type { ServerToConfirm, Settings } from '../../preload/contract'
import { UcwaError } from '../ucwa/errors'
import { sipDomain } from '../ucwa/sign-in'

type TrustedServers = Settings['trustedServers']

/** the most servers kept per sign-in domain (the settings schema's bound) */
export const MAX_TRUSTED_PER_DOMAIN = 16

/**
 * What a failed sign-in asks the person to confirm: the host a Forbidden/DomainMismatch refused (its debugInfo.host),
 * for the SIP domain of sipAddress; null for any other error or an address without a domain.
 */
export function serverToConfirm(error: unknown, sipAddress: string): ServerToConfirm | null {
  if (!(error instanceof UcwaError) || !error.is('Forbidden', 'DomainMismatch') || !error.debugInfo?.host) return null
  const domain = sipDomain(sipAddress)?.toLowerCase()
  if (!domain) return null
  return { host: error.debugInfo.host.toLowerCase(), domain, sipAddress: sipAddress.replace(/^sip:/i, '') }
}

/** the servers confirmed for a sign-in domain (case ignored) */
export function trustedFor(trusted: TrustedServers, domain: string): string[] {
  return trusted[domain.toLowerCase()] ?? []
}

/** trusted with host added for domain (lower case, once; the oldest dropped past MAX_TRUSTED_PER_DOMAIN) */
export function withTrusted(trusted: TrustedServers, domain: string, host: string): TrustedServers {
  const d = domain.toLowerCase()
  const h = host.toLowerCase()
  const hosts = [...trustedFor(trusted, d).filter((x) => x !== h), h].slice(-MAX_TRUSTED_PER_DOMAIN)
  return { ...trusted, [d]: hosts }
}

/**
 * Continue on a confirmation: host must be the one the last sign-in, for the same address, was refused for;
 * anything else is BadRequest/ParameterValidationFailure (the page cannot make main trust a server unasked).
 */
export function checkConfirmation(pending: ServerToConfirm | null, sipAddress: string, host: string): ServerToConfirm {
  const same = pending && pending.host === host.toLowerCase() && pending.sipAddress.toLowerCase() === sipAddress.replace(/^sip:/i, '').toLowerCase()
  if (!same) {
    throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: `Parley did not ask you about ${host}. Sign in again to see which server asks for your sign-in.` })
  }
  return pending
}

/**
 * A settings change to the trusted servers may only take some away: a server is added by Continue alone.
 * Throws BadRequest/ParameterValidationFailure naming the first host that would be added.
 */
export function checkOnlyRemoved(current: TrustedServers, next: TrustedServers): void {
  for (const [domain, hosts] of Object.entries(next)) {
    const added = hosts.find((h) => !trustedFor(current, domain).includes(h.toLowerCase()))
    if (added) {
      throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: `A server is allowed only when you confirm it at sign-in; ${added} was not added.` })
    }
  }
}
