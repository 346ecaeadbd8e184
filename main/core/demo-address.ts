// In demo mode (no server configured) the embedded pool is the default server: an address of its domain signs in
// there even when the person types it rather than pressing "Try the demo"; any other address is discovered as usual.
import type { DemoPool } from '../../preload/contract'
import { sipDomain } from '../ucwa/sign-in'

const domainOf = (address: string) => sipDomain(address)?.toLowerCase()

export function demoDiscoveryFor(demo: DemoPool | null | undefined, sipAddress: string): string | undefined {
  const domain = domainOf(sipAddress)
  return domain && demo?.users.some((u) => domainOf(u.sip) === domain) ? demo.discoveryUrl : undefined
}
