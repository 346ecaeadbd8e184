// Hold, resume and camera changes on a bridged call: the directions of a re-offer, carried from one dialect to the other.
import { parse } from 'sdp-transform'
import type { Direction, SfbLegSection } from './leg'
import { writeSfbSdp } from './sfb-write'

type Kind = 'audio' | 'video'

/** Per kind, the direction of the first live m= line of that kind (RFC 3264 5.1; none written is sendrecv). */
export function directionsOf(sdp: string): Partial<Record<Kind, Direction>> {
  const out: Partial<Record<Kind, Direction>> = {}
  for (const m of parse(sdp).media) {
    const kind = m.type === 'video' ? 'video' : m.type === 'audio' ? 'audio' : null
    if (kind && Number(m.port) !== 0) out[kind] ??= m.direction ?? 'sendrecv'
  }
  return out
}

/** RFC 3264 6.1: what an answerer that would send and receive answers to an offer's direction. */
export function mirror(d: Direction): Direction {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d
}

/**
 * The bridge's SfB description written again with `directions` (RFC 3264 8.4: a re-offer keeps every m= line, its
 * addresses, ICE credentials and keys; only the direction changes). A rejected line stays rejected.
 */
export function withDirections(sections: SfbLegSection[], directions: Partial<Record<Kind, Direction>>): string {
  return writeSfbSdp({ sections: sections.map((s) => (s.rejected ? s : { ...s, direction: directions[s.kind] ?? 'sendrecv' })) }).sdp
}
