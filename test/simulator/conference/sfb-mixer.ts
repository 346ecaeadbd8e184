// The conference unit's audio in the sfb2015 dialect: a mixer, as the AVMCU is ([MS-RTP]: a mixer puts the MSIs
// of who is in the mix, not SSRCs, in the CSRC list; ../shared/sfb-media.md).
import { RtpHeader, RtpPacket } from 'werift'
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from '../sfb/g711'

/** 20 ms at 8 kHz: the mix's frame, the ptime the unit answers with (avmcu-answer.txt a=ptime:20) */
const frameSamples = 160
/** frames kept per member between ticks (200 ms): a member's burst is played out, not piled up */
const maxQueued = 10

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
  timestamp: number
  /** whether the previous tick sent the member a packet (the next one after silence has the marker, RFC 3551 4.1) */
  talking: boolean
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
 * this unit decodes G.711 only. G.722 is passed through unmixed where there is nothing to mix (one other
 * member, the escalated P2P call); with more it is counted in `unmixed` and not heard, a limit of this
 * simulator, not of a real AVMCU (it mixes G.722: avmcu-answer.txt lists it). CN and DTMF are not mixed.
 */
export class AudioMixer {
  readonly #members = new Map<string, Mixed>()
  #timer: NodeJS.Timeout | null = null
  /** G.722 packets not heard: more than one other member, which this unit cannot mix */
  unmixed = 0

  add(member: MixerMember): void {
    this.#members.set(member.id, { ...member, queue: [], seq: Math.floor(Math.random() * 0xffff), timestamp: Math.floor(Math.random() * 0xffffffff), talking: false, muted: false })
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
    const others = [...this.#members.values()].filter((m) => m !== from)
    const to = others[0]
    const pt = to && payloadTypeOf(to, 'G722')
    if (others.length !== 1 || pt === undefined) return void this.unmixed++
    this.#send(to!, pt, packet.payload, [from.msi])
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
      if (heard.length === 0 || pt === undefined) {
        to.talking = false
        to.timestamp = (to.timestamp + frameSamples) >>> 0 // RTP time goes on through silence (RFC 3550 5.1)
        continue
      }
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

  #send(to: Mixed, payloadType: number, payload: Buffer, csrc: number[]): void {
    const header = new RtpHeader({ version: 2, payloadType, sequenceNumber: to.seq, timestamp: to.timestamp, ssrc: to.ssrc, marker: !to.talking, csrc })
    to.seq = (to.seq + 1) & 0xffff
    to.timestamp = (to.timestamp + frameSamples) >>> 0
    to.talking = true
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
