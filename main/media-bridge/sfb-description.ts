// The bridge's own SfB description of a call, as last written (its answer or its offer), and how it changes mid-call:
// new directions (hold, camera; RFC 3264 8.4) and the selected pairs once ICE completed ([MS-ICE2], RFC 5245 9.1.2.2).
import { codecs } from './codecs'
import { afterIce } from './ice-reoffer'
import type { Direction, SfbLegSection } from './leg'
import type { SelectedPair } from './pool-leg'
import { writeSfbSdp } from './sfb-write'

type Kind = 'audio' | 'video'

export class SfbDescription {
  /** the sections last written; a renegotiation writes them again, changed */
  sections: SfbLegSection[] = []
  /** o= session version of the last description sent from here (the first answer or offer was 0): RFC 3264 8 increments it per description sent */
  #version = 0
  /** the directions of our re-offer the pool has not answered yet */
  #proposed: Partial<Record<Kind, Direction>> | null = null

  /**
   * ICE selected `pairs` (per carried kind): every later description names them (afterIce, ice-reoffer.ts), a section
   * with no carried kind (the pool's answer rejected it) with port 0 (RFC 3264 8.2). Returns the SDP as the next
   * description would be (as the controlling side, the re-offer with a=remote-candidates) without counting it: only
   * offer() sends it.
   */
  afterIce(pairs: Map<Kind, SelectedPair[]>, controlling: boolean): string {
    this.sections = this.sections.map((s) => (pairs.has(s.kind) ? afterIce(s, pairs.get(s.kind)!, controlling) : rejectedLine(s)))
    return this.#write(false)
  }

  /** Whether `directions` change any live section's direction (none written is sendrecv). */
  changes(directions: Partial<Record<Kind, Direction>>): boolean {
    return this.sections.some((s) => !s.rejected && (directions[s.kind] ?? 'sendrecv') !== (s.direction ?? 'sendrecv'))
  }

  /**
   * The sections from now on carry `directions` (RFC 3264 8.4: same lines, addresses, ICE credentials and keys), those
   * of a `rejected` kind port 0 (RFC 3264 8.2: the re-offer rejected them); their SDP: a re-answer.
   */
  withDirections(directions: Partial<Record<Kind, Direction>>, rejected: Kind[] = []): string {
    this.sections = directed(this.sections, directions).map((s) => (rejected.includes(s.kind) ? rejectedLine(s) : s))
    return this.#write()
  }

  /** Our re-offer with `directions`: its SDP, the sections unchanged until settle(true) (the pool may decline it, RFC 3264 8). */
  propose(directions: Partial<Record<Kind, Direction>>): string {
    this.#proposed = directions
    const agreed = this.sections
    this.sections = directed(agreed, directions)
    try {
      return this.#write()
    } finally {
      this.sections = agreed
    }
  }

  /** The pool took our re-offer (its directions hold from now on) or declined it (the ones last agreed stay). */
  settle(accepted: boolean): void {
    if (accepted && this.#proposed) this.sections = directed(this.sections, this.#proposed)
    this.#proposed = null
  }

  /** The description as it stands (directions and pairs as last written), as a new version: an offer made now. */
  offer(): string {
    return this.#write()
  }

  /** `sent`: the description goes to the pool, so it takes the next version (RFC 3264 8: one more per description sent) */
  #write(sent = true): string {
    const version = this.#version + 1
    if (sent) this.#version = version
    return writeSfbSdp({ sections: this.sections }, { sessionId: 0, sessionVersion: version }).sdp
  }
}

/** `sections` with `directions` (none is sendrecv); a rejected line stays rejected. */
function directed(sections: SfbLegSection[], directions: Partial<Record<Kind, Direction>>): SfbLegSection[] {
  return sections.map((s) => (s.rejected ? s : { ...s, direction: directions[s.kind] ?? 'sendrecv' }))
}

/** A section the pool's answer rejected, as a re-offer writes it: port 0, its media type, profile and payload types (RFC 3264 8.2). */
function rejectedLine(s: SfbLegSection): SfbLegSection {
  if (s.rejected) return s
  return { ...s, rejected: { type: s.kind, protocol: s.profile ?? 'RTP/SAVP', formats: s.codecs.map((c) => s.payloadTypes?.[c] ?? codecs[c].sfbPayloadType).join(' ') } }
}
