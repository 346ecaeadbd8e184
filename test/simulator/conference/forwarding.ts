// How the conference unit routes media — the one place that decides it.
//
// Design: one receive slot per other participant, allocated up front, no renegotiation.
// Every member has a main audio and a main video section (sendrecv): the unit receives the member's
// media there and sends the first other member's media back on it. Further sections the member
// offers (or accepts from the unit's offer) as receive-only are extra slots, one per further member,
// in join order. A member whose slots are all taken does not get the overflow (the conference is
// limited to 1 + main + extra slots; Parley offers 3 extra, so 5 people).
// Packets are forwarded as they come (no decoding): werift's sender rewrites SSRC, payload type and
// keeps sequence numbers and timestamps continuous when a slot changes source; the unit asks the new
// source for a key frame (PLI) so the picture starts at once, and passes receivers' PLIs upstream.
// Each forwarded packet carries its source's media source id (MSI) as its CSRC, as the AVMCU does: the
// roster's audioSourceId/videoSourceId (participantVideo_ref.md) say whose picture a slot shows.
import type { MediaStreamTrack, RTCRtpTransceiver, RtpPacket } from 'werift'

export type Kind = 'audio' | 'video'
/** a member's media source ids (MSI), one per kind */
export type MediaSources = Record<Kind, number>

export interface Member {
  id: string
  /** sections the unit sends on, in SDP order: [main, slot1, slot2, …] */
  send: Record<Kind, RTCRtpTransceiver[]>
  /** the member's own main sections, where its media arrives */
  receive: Record<Kind, RTCRtpTransceiver | undefined>
  sources: MediaSources
}

interface Route {
  source: string | null
  unsubscribe?: () => void
}

export class SlotForwarder {
  readonly #members: Member[] = []
  readonly #tracks = new Map<string, Partial<Record<Kind, MediaStreamTrack>>>()
  readonly #listeners = new Map<string, Partial<Record<Kind, Set<(p: RtpPacket) => void>>>>()
  readonly #routes = new Map<RTCRtpTransceiver, Route>()
  /** members muted on the server: their packets of that kind reach nobody */
  readonly #muted = new Map<string, Set<Kind>>()
  /** packets received from and sent to each member, by kind */
  readonly counters = new Map<string, { in: Record<Kind, number>; out: Record<Kind, number> }>()

  get members(): readonly Member[] {
    return this.#members
  }

  add(member: Member): void {
    this.#members.push(member)
    this.counters.set(member.id, { in: { audio: 0, video: 0 }, out: { audio: 0, video: 0 } })
    for (const kind of ['audio', 'video'] as const) {
      const t = member.receive[kind]
      t?.onTrack.subscribe((track) => this.#attach(member.id, kind, track))
      if (t?.receiver.tracks[0]) this.#attach(member.id, kind, t.receiver.tracks[0])
      // a receiver that lost the picture asks us; we ask whoever feeds that slot
      for (const slot of member.send[kind]) slot.sender.onPictureLossIndication.subscribe(() => this.#requestKeyFrame(this.#routes.get(slot)?.source ?? null))
    }
    this.#reassign()
  }

  remove(id: string): void {
    const i = this.#members.findIndex((m) => m.id === id)
    if (i < 0) return
    const [gone] = this.#members.splice(i, 1)
    for (const kind of ['audio', 'video'] as const) for (const slot of gone!.send[kind]) this.#route(slot, kind, null)
    this.#tracks.delete(id)
    this.#listeners.delete(id)
    this.#muted.delete(id)
    this.#reassign()
  }

  setMuted(id: string, kind: Kind, muted: boolean): void {
    const set = this.#muted.get(id) ?? new Set()
    if (muted) set.add(kind)
    else set.delete(kind)
    this.#muted.set(id, set)
    if (!muted && kind === 'video') this.#requestKeyFrame(id) // a picture comes back at once
  }

  /** Which member feeds each of this member's slots (tests and the roster use it). */
  sources(id: string): Record<Kind, Array<string | null>> {
    const m = this.#members.find((x) => x.id === id)
    const of = (kind: Kind) => (m?.send[kind] ?? []).map((slot) => this.#routes.get(slot)?.source ?? null)
    return { audio: of('audio'), video: of('video') }
  }

  #attach(id: string, kind: Kind, track: MediaStreamTrack): void {
    const tracks = this.#tracks.get(id) ?? {}
    if (tracks[kind] === track) return
    tracks[kind] = track
    this.#tracks.set(id, tracks)
    track.onReceiveRtp.subscribe((packet) => {
      const c = this.counters.get(id)
      if (c) c.in[kind]++
      if (this.#muted.get(id)?.has(kind)) return
      for (const deliver of this.#listeners.get(id)?.[kind] ?? []) deliver(packet)
    })
    if (kind === 'video') this.#requestKeyFrame(id)
  }

  #reassign(): void {
    for (const member of this.#members) {
      const others = this.#members.filter((m) => m !== member)
      for (const kind of ['audio', 'video'] as const) {
        member.send[kind].forEach((slot, i) => this.#route(slot, kind, others[i]?.id ?? null, member.id))
      }
    }
  }

  #route(slot: RTCRtpTransceiver, kind: Kind, source: string | null, to?: string): void {
    const current = this.#routes.get(slot)
    if (current?.source === source) return
    current?.unsubscribe?.()
    if (!source) {
      this.#routes.set(slot, { source: null })
      return
    }
    const msi = this.#members.find((m) => m.id === source)?.sources[kind]
    const csrc = msi === undefined ? [] : [msi]
    const deliver = (packet: RtpPacket): void => {
      const copy = packet.clone()
      copy.header.extensions = [] // the sender adds its own negotiated extensions
      copy.header.csrc = csrc
      void slot.sender.sendRtp(copy).catch(() => {})
      const c = to ? this.counters.get(to) : undefined
      if (c) c.out[kind]++
    }
    const byKind = this.#listeners.get(source) ?? {}
    const set = (byKind[kind] ??= new Set())
    this.#listeners.set(source, byKind)
    set.add(deliver)
    slot.sender.replaceRTP({ sequenceNumber: 0, timestamp: 0 }) // keep sequence and timestamps continuous across the switch
    this.#routes.set(slot, { source, unsubscribe: () => set.delete(deliver) })
    if (kind === 'video') this.#requestKeyFrame(source)
  }

  #requestKeyFrame(id: string | null): void {
    if (!id) return
    const member = this.#members.find((m) => m.id === id)
    const track = this.#tracks.get(id)?.video
    if (member?.receive.video && track?.ssrc) void member.receive.video.receiver.sendRtcpPLI(track.ssrc).catch(() => {})
  }
}
