// Whose picture each remote tile shows, and whose voice is heard. A two-person call has one of each: the other
// person's. A conference slot carries whoever the conference forwards there now: its packets carry that person's
// media source id as their CSRC, and the roster says whose id it is (audioSourceId/videoSourceId, participantVideo_ref.md).
import type { CallSnapshot, Person } from '../../../preload/contract'

export interface Tile<S> {
  stream: S
  /** unknown for a moment after a slot changes hands, until its first named packet */
  who?: Person
  /** the person turned their camera off: the tile shows who they are instead of black frames */
  cameraOff: boolean
}

/** the newest CSRC a receiver got: after a slot changes hands the previous one is still listed for a while */
export function newestSource(sources: readonly Pick<RTCRtpContributingSource, 'source' | 'timestamp'>[]): number | undefined {
  let newest: (typeof sources)[number] | undefined
  for (const s of sources) if (!newest || s.timestamp > newest.timestamp) newest = s
  return newest?.source
}

/**
 * The tiles of a call's remote video streams. `heardAt` (ms, the newest packet's timestamp) breaks a tie: when the
 * conference moves someone to another slot, the slot they left still names them until it is given to someone else —
 * only the slot heard from last is theirs (no frozen duplicate).
 */
export function tilesOf<S>(call: Pick<CallSnapshot, 'conference' | 'remote' | 'participants'>, streams: readonly S[], sourceOf: (s: S) => number | undefined, heardAt: (s: S) => number = () => 0): Tile<S>[] {
  if (!call.conference) return streams.map((stream) => ({ stream, who: { name: call.remote.name, uri: call.remote.uri }, cameraOff: false }))
  const tiles = streams.flatMap((stream) => {
    const source = sourceOf(stream)
    const p = source === undefined ? undefined : call.participants.find((x) => x.videoSource === source)
    // a slot whose last packets came from someone no longer in the roster: they left, and their tile goes with them
    // (their last frame would stay frozen there until the conference gives the slot to someone else)
    if (source !== undefined && !p) return []
    return [{ stream, who: p && { name: p.name, uri: p.uri }, cameraOff: p?.video === 'muted' || p?.video === 'off' }]
  })
  const latest = new Map<string, Tile<S>>()
  for (const t of tiles) {
    const held = t.who && latest.get(t.who.uri)
    if (t.who && (!held || heardAt(t.stream) > heardAt(held.stream))) latest.set(t.who.uri, t)
  }
  return tiles.filter((t) => !t.who || latest.get(t.who.uri) === t)
}

/** The people heard speaking (by URI): `speaking` lists the remote audio tracks above the threshold (quality.ts). */
export function speakersOf<S extends { getAudioTracks(): Array<{ id: string }> }>(
  call: Pick<CallSnapshot, 'conference' | 'remote' | 'participants'>,
  streams: readonly S[],
  speaking: readonly string[],
  sourceOf: (s: S) => number | undefined,
): Set<string> {
  const loud = streams.filter((s) => s.getAudioTracks().some((t) => speaking.includes(t.id)))
  if (!call.conference) return new Set(loud.length ? [call.remote.uri] : [])
  const sources = new Set(loud.map(sourceOf))
  return new Set(call.participants.filter((p) => p.audioSource !== undefined && sources.has(p.audioSource)).map((p) => p.uri))
}
