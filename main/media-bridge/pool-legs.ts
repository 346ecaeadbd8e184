// A bridged call's pool legs, one per carried kind: with the peer's section once known, started toward it, their selected
// pairs once ICE completed, closed together.
import type { PlannedSection, BridgePlan } from './plan'
import type { PoolLeg, SelectedPair } from './pool-leg'
import type { SdesKey } from './sdes'

type Kind = 'audio' | 'video'

/** A kind's pool leg, the peer's planned section (known once the pool offered or answered), the key we send with when we offered. */
export interface PoolEntry {
  leg: PoolLeg
  section?: PlannedSection
  send?: SdesKey
}

export class PoolLegs extends Map<Kind, PoolEntry> {
  /** The pool answered our offer with `plan`: each kind it carries gets its section; a kind it rejected, or that cannot be bridged, is closed and dropped. */
  async keep(plan: BridgePlan): Promise<void> {
    for (const [kind, p] of [...this]) {
      const planned = kind === 'audio' ? plan.audio : plan.video
      if (planned) p.section = planned
      else {
        this.delete(kind)
        await p.leg.close()
      }
    }
  }

  /** ICE toward each kind's peer section, SRTP keyed by `keys` (SDES, RFC 4568); resolves when every component has a pair, rejects with BridgeFault IceFailed. */
  async start(keys: (kind: Kind, p: PoolEntry) => { send: SdesKey; receive: SdesKey }): Promise<void> {
    await Promise.all([...this].map(([kind, p]) => p.leg.start({ ice: p.section!.ice, candidates: p.section!.candidates, rtcpMux: p.section!.section.rtcpMux }, keys(kind, p))))
  }

  /** Per kind, the pairs ICE selected (pool-leg.ts); null when a kind has none yet. */
  selectedPairs(): Map<Kind, SelectedPair[]> | null {
    const pairs = new Map([...this].map(([kind, p]) => [kind, p.leg.selectedPairs()]))
    return [...pairs.values()].some((p) => p.length === 0) ? null : pairs
  }

  /** The peer's planned sections known so far. */
  sections(): PlannedSection[] {
    return [...this.values()].flatMap((p) => (p.section ? [p.section] : []))
  }

  async close(): Promise<void> {
    await Promise.all([...this.values()].map((p) => p.leg.close()))
  }
}

/** The SSRCs the bridge sends from toward the pool: audio one, video a range of 100 ([MS-SDPEXT] 3.1.5.31 x-ssrc-range). */
export function newSsrcs(kind: Kind): { first: number; last: number } {
  const ssrc = 0x10000 + Math.floor(Math.random() * 0x7fff0000)
  return kind === 'audio' ? { first: ssrc, last: ssrc } : { first: ssrc, last: ssrc + 99 }
}
