// The conference unit's audio in the sfb2015 dialect: a mixer, as the AVMCU is ([MS-RTP]: a mixer puts the MSIs
// of who is in the mix, not SSRCs, in the CSRC list; ../shared/sfb-media.md).
import { RtpHeader, RtpPacket } from 'werift'
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from '../sfb/g711'

/** 20 ms at 8 kHz: the mix's frame, the ptime the unit answers with (avmcu-answer.txt a=ptime:20) */
const frameSamples = 160
/** frames kept per member between ticks (200 ms): a member's burst is played out, not piled up */
const maxQueued = 10
/** how long after its last packet a member still counts as talking (three packets of 20 ms) */
const talkingMs = 60

export interface MixerMember {
  id: string
  /** the member's audio MSI: the CSRC its voice carries in the others' mixes */
  msi: number
  /** the unit's SSRC toward the member (its audio x-ssrc-range is one wide) */
  ssrc: number
  /** payload type → codec, as the member's section numbered them */
  codecs: Map<number, BridgeCodec>
  /** sends one plain RTP packet to the member */
  send(packet: Buffer): void
}

interface Mixed extends MixerMember {
  queue: Int16Array[]
  seq: number
  /** the RTP timestamp toward the member at `since`: it then follows the clock, 160 a frame (RFC 3550 5.1), silence included */
  timestamp: number
  since: number
  /** the clock frame of the last packet sent to the member (the next one after a gap of silence has the marker, RFC 3551 4.1) */
  lastFrame: number
  /** when the member's voice last came in (performance.now()), as G.711 or as G.722 */
  heardAt: number
  /** the codec the member sends: what it gets back */
  sends?: BridgeCodec
  muted: boolean
}

const g711: Partial<Record<BridgeCodec, { decode(b: number): number; encode(s: number): number }>> = {
  PCMU: { decode: mulawToLinear, encode: linearToMulaw },
  PCMA: { decode: alawToLinear, encode: linearToAlaw },
}

/**
 * Every 20 ms, each member gets the sum of the others' latest frames in the G.711 law it sends (PCMU or PCMA),
 * from the unit's SSRC toward it, the CSRCs naming who is in it; nobody hears themself. Mixing needs decoding:
 * this unit decodes G.711 only. G.722 is passed through unmixed to each member for whom nobody else is talking
 * (always in the escalated two-person call); while someone else talks it is counted in `unmixed` and not heard,
 * a limit of this simulator, not of a real AVMCU (it mixes G.722: avmcu-answer.txt lists it). CN and DTMF are not mixed.
 */
export class AudioMixer {
  readonly #members = new Map<string, Mixed>()
  #timer: NodeJS.Timeout | null = null
  /** G.722 packets a member did not hear because someone else talked meanwhile (this unit cannot mix G.722) */
  unmixed = 0

  add(member: MixerMember): void {
    const random = (n: number) => Math.floor(Math.random() * n)
    this.#members.set(member.id, { ...member, queue: [], seq: random(0xffff), timestamp: random(0xffffffff), since: performance.now(), lastFrame: -2, heardAt: -Infinity, muted: false })
    this.#timer ??= setInterval(() => this.#tick(), 20)
  }

  remove(id: string): void {
    this.#members.delete(id)
    if (this.#members.size === 0) this.close()
  }

  setMuted(id: string, muted: boolean): void {
    const m = this.#members.get(id)
    if (!m) return
    m.muted = muted
    m.queue = []
  }

  /** One plain RTP packet from member `id`'s audio section; one that does not parse as RTP is dropped. */
  receive(id: string, plain: Buffer): void {
    const m = this.#members.get(id)
    const packet = m && parseRtp(plain)
    if (!m || !packet) return
    const codec = m.codecs.get(packet.header.payloadType)
    if (codec === 'PCMU' || codec === 'PCMA' || codec === 'G722') m.sends = codec
    if (m.muted) return
    const law = codec && g711[codec]
    if (law || codec === 'G722') m.heardAt = performance.now()
    if (law) {
      const samples = new Int16Array(packet.payload.length)
      for (let i = 0; i < samples.length; i++) samples[i] = law.decode(packet.payload[i]!)
      m.queue.push(samples)
      if (m.queue.length > maxQueued) m.queue.shift()
    } else if (codec === 'G722') this.#passThrough(m, packet)
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  #passThrough(from: Mixed, packet: RtpPacket): void {
    const now = performance.now()
    for (const to of this.#members.values()) {
      if (to === from) continue
      const pt = payloadTypeOf(to, 'G722')
      const othersTalking = [...this.#members.values()].some((m) => m !== to && m !== from && now - m.heardAt < talkingMs)
      if (pt === undefined || othersTalking) this.unmixed++
      else this.#send(to, pt, packet.payload, [from.msi])
    }
  }

  #tick(): void {
    const frames = new Map<string, Int16Array>()
    for (const m of this.#members.values()) {
      const f = m.queue.shift()
      if (f) frames.set(m.id, f)
    }
    for (const to of this.#members.values()) {
      const heard = [...frames].filter(([id]) => id !== to.id)
      const codec = to.sends === 'PCMU' || to.sends === 'PCMA' ? to.sends : (['PCMU', 'PCMA'] as const).find((c) => payloadTypeOf(to, c) !== undefined)
      const pt = codec && payloadTypeOf(to, codec)
      if (heard.length === 0 || pt === undefined) continue
      const length = Math.max(...heard.map(([, f]) => f.length))
      const payload = Buffer.alloc(length)
      const law = g711[codec!]!
      for (let i = 0; i < length; i++) {
        let sum = 0
        for (const [, f] of heard) sum += f[i] ?? 0
        payload[i] = law.encode(sum)
      }
      this.#send(to, pt, payload, heard.map(([id]) => this.#members.get(id)!.msi))
    }
  }

  /**
   * One frame to `to`, stamped with the 20 ms frame of the clock it falls in, or the next one when that went already (a
   * late tick meeting a passed-through packet, a burst): mixed and passed-through frames share one timeline, never backwards.
   */
  #send(to: Mixed, payloadType: number, payload: Buffer, csrc: number[]): void {
    const frame = Math.max(Math.round((performance.now() - to.since) / 20), to.lastFrame + 1)
    const header = new RtpHeader({ version: 2, payloadType, sequenceNumber: to.seq, timestamp: (to.timestamp + frame * frameSamples) >>> 0, ssrc: to.ssrc, marker: to.lastFrame !== frame - 1, csrc })
    to.seq = (to.seq + 1) & 0xffff
    to.lastFrame = frame
    to.send(new RtpPacket(header, payload).serialize())
  }
}

function payloadTypeOf(m: MixerMember, codec: BridgeCodec): number | undefined {
  for (const [pt, c] of m.codecs) if (c === codec) return pt
  return undefined
}

/** RFC 3550 5.1 bytes as a werift packet, or null when they are not RTP (a member's bytes must not stop the unit). */
export function parseRtp(plain: Buffer): RtpPacket | null {
  try {
    const packet = RtpPacket.deSerialize(plain)
    return packet.header.version === 2 && packet.payload ? packet : null
  } catch {
    return null
  }
}
