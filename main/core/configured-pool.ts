// PARLEY_DISCOVERY_URL: the pool a person's installation points at, used by sign-in when the form names none.
import { isSecureOrLoopback } from '../../preload/urls'
import { UcwaError } from '../ucwa/errors'

/**
 * The discovery URL `PARLEY_DISCOVERY_URL` configures (RootURL.md: the root resource's address, e.g.
 * `https://lyncdiscover.contoso.com/`), or null when it is unset or blank.
 * Throws `UcwaError { status: 0, code: 'BadConfiguration' }` for a value that is not an https URL (http only on
 * this computer): sign-in sends a password there.
 */
export function configuredDiscoveryUrl(env: Record<string, string | undefined>): string | null {
  const raw = env.PARLEY_DISCOVERY_URL?.trim()
  if (!raw) return null
  if (!URL.canParse(raw) || !isSecureOrLoopback(raw)) {
    throw new UcwaError({
      status: 0,
      code: 'BadConfiguration',
      message: `PARLEY_DISCOVERY_URL must be an https:// address (http:// only for a server on this computer), not "${raw.slice(0, 200)}".`,
    })
  }
  return raw
}
