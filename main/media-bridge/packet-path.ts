// One bridged call's packet path: pool → renderer and renderer → pool through the relay, a conference's video slots,
// picture-loss requests both ways, and the bench's per-packet timings.
import type { RtcpPacket, RtpPacket } from 'werift'
import type { PoolLegs } from './pool-legs'
import { hasPli, type Relay } from './relay'
import type { RendererLeg } from './renderer-leg'
import { VideoSlots } from './video-slots'

type Kind = 'audio' | 'video'
const maxTimings = 100_000

/** Per-packet relay time (receive on one leg → hand to the other, ns) for the bench, when `measure` is on; the first 100 000 of each. */
export interface RelayTimings {
  toRenderer: number[]
  toPool: number[]
}

/** Where the path hands packets: the renderer leg once there is one (a video packet on its slot's section), the pool leg of a kind. */
export interface PacketLegs {
  renderer(): RendererLeg | null
  pool: PoolLegs
}

/** The packet work of a BridgeCall; `relay` is set once the call's descriptions are known (nothing passes before). */
export class PacketPath {
  readonly timings: RelayTimings = { toRenderer: [], toPool: [] }
  relay: Relay | null = null
  /** which renderer video section shows which pool SSRC (a conference's sources on the renderer's extra slots) */
  slots = new VideoSlots(1)
  /** per kind, the SSRC the pool last sent from: a renderer's PLI asks that sender */
  readonly #lastSsrc = new Map<Kind, number>()

  constructor(
    private readonly legs: PacketLegs,
    private readonly measure = false,
  ) {}

  fromPool(kind: Kind, plain: Buffer): void {
    const start = this.measure ? process.hrtime.bigint() : 0n
    // a unit's source is named by its MSI, the first CSRC ([MS-RTP]); anyone else's by its SSRC
    const slot = kind === 'video' ? this.slots.slotOf((plain[0]! & 0x0f) > 0 && plain.length >= 16 ? plain.readUInt32BE(12) : plain.readUInt32BE(8)) : 0
    if (slot === null) return
    const packet = this.relay?.toRenderer(kind, plain)
    this.#lastSsrc.set(kind, plain.readUInt32BE(8))
    if (!packet) return
    this.legs.renderer()?.sendRtp(kind, packet, slot)
    if (this.measure && this.timings.toRenderer.length < maxTimings) this.timings.toRenderer.push(Number(process.hrtime.bigint() - start))
  }

  fromRenderer(kind: Kind, packet: RtpPacket): void {
    const start = this.measure ? process.hrtime.bigint() : 0n
    const out = this.relay?.toPool(kind, packet)
    if (!out) return
    this.legs.pool.get(kind)?.leg.sendRtp(out)
    if (this.measure && this.timings.toPool.length < maxTimings) this.timings.toPool.push(Number(process.hrtime.bigint() - start))
  }

  /** The pool's picture-loss request → a PLI to the renderer, which sends a key frame. */
  rtcpFromPool(kind: Kind, rtcp: Buffer): void {
    if (kind === 'video' && hasPli(rtcp)) this.legs.renderer()?.requestKeyFrame('video')
  }

  /** The renderer's PLI → a PLI toward the pool's video sender. */
  rtcpFromRenderer(kind: Kind, rtcp: RtcpPacket): void {
    if (kind !== 'video' || !this.relay || !hasPli(rtcp.serialize())) return
    this.legs.pool.get(kind)?.leg.sendRtcp(this.relay.pliToPool(kind, this.#lastSsrc.get(kind) ?? 0))
  }
}
