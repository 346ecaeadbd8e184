// Which of the renderer's receiving video sections shows which source of a conference unit's video.

/**
 * A conference unit sends each requested source on an SSRC of its own from its x-ssrc-range toward us ([MS-SDPEXT]
 * 3.1.5.31, [MS-RTP]), its MSI as the CSRC; a source is known by that MSI (else its SSRC), so the roster can free its
 * slot when the member leaves (`retain`). The renderer offered `count` video sections that receive (its main one and the escalation's
 * extra slots, renderer/src/media/engine.ts EXTRA_SLOTS). Each new SSRC takes the next free slot, in the order its
 * packets first arrive. When every slot is taken a further source has none (its packets are dropped rather than
 * mixed into another's picture) until `release` frees one. With a single slot (a P2P call, or a renderer that offered
 * no extra slots) everything goes to it, as before: an endpoint may move its video to another SSRC of its range.
 */
export class VideoSlots {
  readonly #slotOf = new Map<number, number>()

  constructor(readonly count: number) {}

  /** The slot (0 = the main video section) for packets from source `id` (its MSI, or its SSRC), or null when all are taken. */
  slotOf(id: number): number | null {
    if (this.count <= 1) return 0
    const known = this.#slotOf.get(id)
    if (known !== undefined) return known
    if (this.#slotOf.size >= this.count) return null // every slot taken: an extra source's packets cost no search
    const used = new Set(this.#slotOf.values())
    for (let slot = 0; slot < this.count; slot++) {
      if (used.has(slot)) continue
      this.#slotOf.set(id, slot)
      return slot
    }
    return null
  }

  /** The source on `ssrc` is gone (its BYE, or the unit stopped it): its slot is free for the next one. */
  release(ssrc: number): void {
    this.#slotOf.delete(ssrc)
  }

  /** Only the sources in `ids` are still there (a conference's roster changed): every other one's slot is freed. */
  retain(ids: number[]): void {
    for (const id of [...this.#slotOf.keys()]) if (!ids.includes(id)) this.#slotOf.delete(id)
  }
}
