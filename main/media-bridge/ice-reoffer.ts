// The SfB description once ICE completed: the selected pair as each component's default and, from the controlling
// side, a=remote-candidates naming the peer's candidate of each pair (RFC 5245 9.1.2.2, [MS-ICE2], [MS-SDPEXT] 3.1.5.38).
import type { SfbLegSection } from './leg'
import type { SelectedPair } from './pool-leg'

type Endpoint = { component: number; address: string; port: number }

/**
 * `section` written again after ICE selected `pairs` (one per component, component 1 first): only the local candidate of
 * each pair stays, so it is the m=/c=/a=rtcp default (RFC 5245 9.1.2.2: no other candidates); when `controlling`,
 * `remoteCandidates` names the peer's candidate of each pair. Muxed (one pair for a section with RTCP), it still names
 * both components, component 2 with component 1's address ([MS-SDPEXT] 3.1.5.38, ../shared/sfb-media.md). The same
 * ufrag/pwd and key: no ICE restart, no re-keying. A rejected section, or one without pairs, is returned as it is.
 */
export function afterIce(section: SfbLegSection, pairs: SelectedPair[], controlling: boolean): SfbLegSection {
  if (section.rejected || pairs.length === 0) return section
  const candidates = section.candidates.filter((c) => pairs.some((p) => p.component === c.component && same(p.local, c)))
  return { ...section, candidates, remoteCandidates: controlling ? components(pairs, 'remote') : undefined }
}

/** One side of each pair per component; a muxed section's single pair stands for component 2 too. */
function components(pairs: SelectedPair[], side: 'local' | 'remote'): Endpoint[] {
  const out = pairs.map((p) => ({ component: p.component, ...p[side] }))
  return out.length === 1 ? [...out, { ...out[0]!, component: 2 }] : out
}

function same(a: { address: string; port: number }, b: { address: string; port: number }): boolean {
  return a.address === b.address && a.port === b.port
}
