// What the simulated SfB client checks and writes when it answers a re-offer: whether a=remote-candidates names the
// pairs its ICE selected, and its sections written again with new directions.
import type { Direction, SfbLegSection } from '../../../main/media-bridge/leg'
import type { SelectedPair } from '../../../main/media-bridge/pool-leg'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'

type Kind = 'audio' | 'video'
type Endpoint = { component: number; address: string; port: number }

/**
 * Whether a re-offer's a=remote-candidates names, per component, this (controlled) side's candidate of the pair it
 * selected (RFC 5245 9.2.2.3), both components when muxed ([MS-SDPEXT] 3.1.5.38); nothing else. An empty line: false.
 */
export function namesSelectedPairs(remoteCandidates: Endpoint[], pairs: SelectedPair[]): boolean {
  const local = pairs.map((p) => ({ component: p.component, ...p.local }))
  // a muxed section's single pair stands for component 2 too
  const expected = local.length === 1 ? [...local, { ...local[0]!, component: 2 }] : local
  if (expected.length === 0 || remoteCandidates.length !== expected.length) return false
  return expected.every((e) => remoteCandidates.some((r) => r.component === e.component && r.address === e.address && r.port === e.port))
}

/**
 * The sections written again with `directions` (RFC 3264 8.4: a re-answer keeps every m= line, its addresses, ICE
 * credentials and keys; only the direction changes; none is sendrecv). A rejected line stays rejected.
 */
export function withDirections(sections: SfbLegSection[], directions: Partial<Record<Kind, Direction>>): string {
  return writeSfbSdp({ sections: sections.map((s) => (s.rejected ? s : { ...s, direction: directions[s.kind] ?? 'sendrecv' })) }).sdp
}
