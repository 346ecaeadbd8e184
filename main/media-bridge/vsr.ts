// Video source requests (VSR, [MS-RTP]): how the bridge asks an SfB conference unit (AVMCU) for a member's video.
//
// Our stand-in layout, the same as the simulator's (test/simulator/sfb/vsr.ts): [MS-RTP] defines the VSR as an
// application layer feedback message but its byte layout is not in this project's material (../shared/sfb-media.md
// names the message, its x-message name `src` and the MSI it asks for, no more). So: RFC 4585 payload-specific
// feedback (PT 206) of FMT 15 (application layer feedback, 6.4), "SSRC of media source" = the requested media source
// id (MSI), then a 16-bit message type (1, VSR), its 16-bit length in bytes (8) and a 16-bit request id. Sent alone,
// as reduced-size RTCP (RFC 5506), as [MS-RTP] sends feedback. Replace this once MS-RTP's own layout is at hand.
// Written twice on purpose: the simulator's copy checks this wire format, so sharing code would only test Parley against itself.

const psfb = 206
const afbFmt = 15
const vsrType = 1

/** One VSR (20 bytes of plain RTCP) from `senderSsrc` for the video of media source `msi` (both 32-bit); `requestId` tells requests apart (16 bits). */
export function writeVideoSourceRequest(senderSsrc: number, msi: number, requestId: number): Buffer {
  const b = Buffer.alloc(20)
  b[0] = 0x80 | afbFmt
  b[1] = psfb
  b.writeUInt16BE(b.length / 4 - 1, 2)
  b.writeUInt32BE(senderSsrc >>> 0, 4)
  b.writeUInt32BE(msi >>> 0, 8)
  b.writeUInt16BE(vsrType, 12)
  b.writeUInt16BE(8, 14)
  b.writeUInt16BE(requestId & 0xffff, 16)
  return b
}

/**
 * Which remote video sources the bridge asks the unit for, per conference. `want` takes the roster's sources
 * (participantVideo_ref.md videoSourceId, the MSIs) whenever they change; each source not yet asked for gets a VSR
 * at once when the pool's video leg can send (`attach`), and every wanted one again each `refreshMs`: a VSR is one
 * UDP datagram with no acknowledgement, and one that reaches the unit before it admitted our legs is lost.
 */
export class VideoSourceRequests {
  #wanted: number[] = []
  readonly #asked = new Set<number>()
  #send: ((rtcp: Buffer) => void) | null = null
  #senderSsrc = 0
  #nextId = 1
  #timer: NodeJS.Timeout | undefined

  constructor(readonly refreshMs = 2000) {}

  /** The sources to show now (MSIs, 1..2^32-1); duplicates and others are ignored. */
  want(msis: number[]): void {
    this.#wanted = [...new Set(msis.filter((m) => Number.isInteger(m) && m > 0 && m <= 0xffffffff))]
    for (const m of [...this.#asked]) if (!this.#wanted.includes(m)) this.#asked.delete(m)
    this.#flush()
  }

  /** The video leg is up: `send` puts one plain RTCP packet on it, from `senderSsrc` (the first of the bridge's x-ssrc-range). */
  attach(send: (rtcp: Buffer) => void, senderSsrc: number): void {
    this.#send = send
    this.#senderSsrc = senderSsrc
    this.#flush()
    clearInterval(this.#timer)
    this.#timer = setInterval(() => this.#flush(true), this.refreshMs)
    this.#timer.unref()
  }

  close(): void {
    clearInterval(this.#timer)
    this.#send = null
  }

  /** the sources asked for so far (tests read it) */
  get asked(): number[] {
    return [...this.#asked]
  }

  #flush(again = false): void {
    if (!this.#send) return
    for (const msi of this.#wanted) {
      if (this.#asked.has(msi) && !again) continue
      this.#asked.add(msi)
      this.#send(writeVideoSourceRequest(this.#senderSsrc, msi, this.#nextId++))
    }
  }
}
