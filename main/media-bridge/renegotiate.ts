// Hold, resume and camera changes on a bridged call: the directions of a re-offer, carried from one dialect to the other.
import { parse } from 'sdp-transform'
import type { Direction } from './leg'
import type { PlannedSection } from './plan'
import { refuse } from './refusal'
import { readSfbSdp } from './sfb-read'

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
 * The directions to answer a far side's SfB re-offer with, per kind (each mirrored, RFC 3264 6.1). Throws MediaRefusal
 * (UnsupportedMedia) when it changes a carried line's keys or ICE credentials: that needs new legs, so it is refused
 * and the session stays as it was (RFC 3264 8).
 */
export function answerDirections(sfbReoffer: string, carried: PlannedSection[]): Partial<Record<Kind, Direction>> {
  const reoffer = readSfbSdp(sfbReoffer)
  for (const p of carried) {
    const s = reoffer.sections[p.index]
    if (!s) continue
    const keyKept = s.keys.some((k) => k.keySalt.equals(p.key.keySalt))
    if (!keyKept || s.iceUfrag !== p.ice.ufrag || s.icePwd !== p.ice.pwd) throw refuse.sessionChanged()
  }
  // a kind the re-offer rejects (port 0) stops: inactive toward the renderer, its SfB line rejected (rejectedKinds)
  const stopped = rejectedKinds(sfbReoffer).map((kind) => [kind, 'inactive'])
  return Object.fromEntries([...Object.entries(directionsOf(sfbReoffer)).map(([kind, d]) => [kind, mirror(d)]), ...stopped])
}

/** The kinds whose every m= line is rejected (port 0): an answer must reject them too (RFC 3264 8.2). */
export function rejectedKinds(sdp: string): Kind[] {
  const media = parse(sdp).media
  return (['audio', 'video'] as const).filter((kind) => media.some((m) => m.type === kind) && media.every((m) => m.type !== kind || Number(m.port) === 0))
}
