// The simulated SfB endpoint's video: what it receives, sent back from its own SSRC, each frame led by a PACSI packet as X-H264UC has.
import { RtpHeader, RtpPacket } from 'werift'

/** NAL unit type 30 (PACSI, Microsoft's H.264 payload format after RFC 6190 4.9), NRI 3; its fields are left zero (not read by the bridge). */
const pacsi = Buffer.from([0x60 | 30, 0, 0, 0])

/**
 * Reflects H.264 RTP: same payloads and timestamps, its own SSRC and sequence numbers, and before the first
 * packet of every frame a PACSI-only packet with that frame's timestamp, which the bridge must strip.
 */
export class VideoReflector {
  #seq = Math.floor(Math.random() * 0xffff)
  #frameStart = true

  constructor(
    readonly ssrc: number,
    readonly send: (packet: Buffer) => void,
  ) {}

  reflect(packet: RtpPacket): void {
    const { timestamp, marker, payloadType } = packet.header
    if (this.#frameStart) this.send(this.#packet(payloadType, timestamp, false, pacsi))
    this.send(this.#packet(payloadType, timestamp, marker, packet.payload))
    this.#frameStart = marker
  }

  /** RFC 4585 6.3.1 PLI from this endpoint about `mediaSsrc`. */
  pli(mediaSsrc: number): Buffer {
    const b = Buffer.alloc(12)
    b[0] = 0x81
    b[1] = 206
    b.writeUInt16BE(2, 2)
    b.writeUInt32BE(this.ssrc, 4)
    b.writeUInt32BE(mediaSsrc >>> 0, 8)
    return b
  }

  #packet(payloadType: number, timestamp: number, marker: boolean, payload: Buffer): Buffer {
    const header = new RtpHeader({ version: 2, payloadType, sequenceNumber: this.#seq, timestamp, ssrc: this.ssrc, marker })
    this.#seq = (this.#seq + 1) & 0xffff
    return new RtpPacket(header, payload).serialize()
  }
}
