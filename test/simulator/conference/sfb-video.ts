// The conference unit's video in the sfb2015 dialect: a member's video goes to another only after that one's video
// source request (VSR) asks for it by MSI ([MS-RTP]; ../shared/sfb-media.md), each requested source on an SSRC of
// its own from the unit's x-ssrc-range toward the receiver, with the source's MSI as CSRC.
import { hasPli } from '../../../main/media-bridge/relay'
import { requestedSources } from '../sfb/vsr'
import { parseRtp } from './sfb-mixer'

export interface VideoMember {
  id: string
  /** the member's video MSI: what a VSR names to get its video */
  msi: number
  /** the unit's SSRCs toward the member (its video x-ssrc-range, 100 wide) */
  ssrcs: { first: number; last: number }
  /** sends one plain RTP / RTCP packet to the member */
  send(packet: Buffer): void
  sendRtcp(packet: Buffer): void
}

interface Routed extends VideoMember {
  /** source member id → the SSRC its video reaches this member from */
  requested: Map<string, number>
  /** the SSRC the member's own video last came from: what a PLI toward it names */
  sendingSsrc?: number
  muted: boolean
}

/**
 * Forwards X-H264UC packets as they come (PACSI and all: every member speaks X-H264UC), rewriting only the SSRC
 * and the CSRC. A VSR makes the unit ask the source for a key frame (PLI, RFC 4585 6.3.1) so the picture starts
 * at once; a receiver's PLI goes on to the sources it watches. A VSR for oneself or an unknown MSI is ignored.
 */
export class VideoRouter {
  readonly #members = new Map<string, Routed>()

  add(member: VideoMember): void {
    this.#members.set(member.id, { ...member, requested: new Map(), muted: false })
  }

  remove(id: string): void {
    this.#members.delete(id)
    for (const m of this.#members.values()) m.requested.delete(id)
  }

  setMuted(id: string, muted: boolean): void {
    const m = this.#members.get(id)
    if (!m) return
    m.muted = muted
    if (!muted) this.#keyFrame(m) // the picture comes back at once
  }

  /** The members whose video `id` asked for (tests read it). */
  watching(id: string): string[] {
    return [...(this.#members.get(id)?.requested.keys() ?? [])]
  }

  /** One plain RTP packet from member `id`'s video section; one that does not parse as RTP is dropped. */
  receive(id: string, plain: Buffer): void {
    const from = this.#members.get(id)
    const packet = from && parseRtp(plain)
    if (!from || !packet) return
    from.sendingSsrc = packet.header.ssrc
    if (from.muted) return
    for (const to of this.#members.values()) {
      const ssrc = to.requested.get(id)
      if (ssrc === undefined) continue
      packet.header.ssrc = ssrc
      packet.header.csrc = [from.msi]
      packet.header.extensions = []
      to.send(packet.serialize())
    }
  }

  /** One plain (compound or reduced-size) RTCP packet from member `id`'s video section: VSRs and PLIs. */
  feedback(id: string, rtcp: Buffer): void {
    const to = this.#members.get(id)
    if (!to) return
    for (const msi of requestedSources(rtcp)) {
      const source = [...this.#members.values()].find((m) => m.msi === msi && m !== to)
      if (!source || to.requested.has(source.id)) continue
      const ssrc = to.ssrcs.first + to.requested.size
      if (ssrc > to.ssrcs.last) continue // every SSRC of its range is in use
      to.requested.set(source.id, ssrc)
      this.#keyFrame(source)
    }
    if (hasPli(rtcp)) for (const sourceId of to.requested.keys()) this.#keyFrame(this.#members.get(sourceId))
  }

  #keyFrame(source: Routed | undefined): void {
    if (!source || source.sendingSsrc === undefined) return
    const b = Buffer.alloc(12)
    b[0] = 0x81
    b[1] = 206
    b.writeUInt16BE(2, 2)
    b.writeUInt32BE(source.ssrcs.first >>> 0, 4)
    b.writeUInt32BE(source.sendingSsrc >>> 0, 8)
    source.sendRtcp(b)
  }
}
