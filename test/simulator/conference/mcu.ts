// The audio/video conferencing unit (Skype for Business calls it the AVMCU): werift peers, one per
// member, joined by the slot forwarder. Members join by offering (escalateAudioVideo) or by
// answering the unit's offer (the moved P2P peer, invited participants).
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift'
import sdpTransform from 'sdp-transform'
import { SlotForwarder, type Kind, type MediaSources, type Member } from './forwarding'
import { answerOffer, connected, createFullOffer, loopbackPeer } from './media-peer'

export class MediaNegotiationError extends Error {}

/** Extra receive slots the unit offers beyond the main audio and video (room for 5 people). */
export const EXTRA_SLOTS = 3

type Sections = ReturnType<typeof sdpTransform.parse>['media']

/** An SDP's media sections, or null when it is not a session description. */
function sectionsOf(sdp: string): Sections | null {
  try {
    return sdpTransform.parse(sdp).media
  } catch {
    return null
  }
}

export function mediaKinds(sdp: string): Kind[] {
  return (sectionsOf(sdp) ?? []).filter((m) => m.port !== 0).map((m) => m.type as Kind)
}

/** Why the unit cannot take this offer (it forwards Opus and VP8 as they are), or null. Takes the offer or its parsed sections. */
export function missingCodecs(offer: string | Sections | null): string | null {
  const media = typeof offer === 'string' ? sectionsOf(offer) : offer
  if (!media) return 'The offer is not a session description.'
  const has = (kind: Kind, codec: string) => media.some((m) => m.type === kind && m.port !== 0 && m.rtp.some((r) => String(r.codec ?? '').toLowerCase() === codec)) // a malformed rtpmap parses without a codec
  if (!has('audio', 'opus')) return 'No audio codec in common with the conference (it needs Opus).'
  if (media.some((m) => m.type === 'video' && m.port !== 0) && !has('video', 'vp8')) return 'No video codec in common with the conference (it needs VP8).'
  return null
}

/** What the pool asks of one conference's media: the Conference below, or MediaUnit's handle on one run apart (unit.ts). */
export interface ConferenceMedia {
  readonly id: string
  /**
   * A member offers (escalateAudioVideo): the answer, and `connected` settling when its media flows. `sources`: the MSIs its
   * media is forwarded with; `offerType`: the offer's Content-Type when multipart (sfb2015), `processedOfferId` the part taken.
   */
  joinWithOffer(member: string, offer: string, sources: MediaSources, offerType?: string): Promise<{ answer: string; connected: Promise<void>; processedOfferId?: string | null }>
  /** The unit offers (a moved or invited member): `complete` takes the member's answer. */
  offerTo(member: string, sources: MediaSources): Promise<{ offer: string; complete(answer: string): Promise<{ connected: Promise<void> }>; cancel(): Promise<void> }>
  /** muted on the server: the member's packets of that kind reach nobody */
  setMuted(member: string, kind: Kind, muted: boolean): void
  leave(member: string): Promise<void>
  close(): Promise<void>
}

interface Leg {
  pc: RTCPeerConnection
  member: Member
}

function memberOf(id: string, sources: MediaSources, transceivers: RTCRtpTransceiver[]): Member {
  const send: Member['send'] = { audio: [], video: [] }
  const receive: Member['receive'] = { audio: undefined, video: undefined }
  for (const t of transceivers) {
    const kind = t.kind as Kind
    if (t.currentDirection === 'inactive' || t.direction === 'inactive') continue
    if (t.direction === 'sendrecv' || t.direction === 'sendonly') send[kind].push(t)
    if ((t.direction === 'sendrecv' || t.direction === 'recvonly') && !receive[kind]) receive[kind] = t
  }
  return { id, send, receive, sources }
}

export class Conference implements ConferenceMedia {
  readonly forwarder = new SlotForwarder()
  readonly #legs = new Map<string, Leg>()
  readonly #pending = new Set<RTCPeerConnection>()
  closed = false

  /** the media unit only; the conference's focus URI and roster belong to the pool's session (pool/conferencing.ts) */
  constructor(readonly id: string) {}

  /** A member offers (escalateAudioVideo): answer it; `connected` settles when media flows. */
  async joinWithOffer(id: string, offer: string, sources: MediaSources): ReturnType<ConferenceMedia['joinWithOffer']> {
    // parsed once: a Chromium escalation offer has ~750 lines, and this process also forwards every packet
    const sections = sectionsOf(offer)
    const missing = missingCodecs(sections)
    if (missing) throw new MediaNegotiationError(missing)
    const pc = loopbackPeer({ lite: true })
    this.#pending.add(pc)
    try {
      const offered = new Map((sections ?? []).map((m) => [String(m.mid), m.direction ?? 'sendrecv']))
      const answer = await answerOffer(pc, offer, (ts) => {
        for (const t of ts) {
          // mirror what the member asked for: its receive-only sections are our send slots
          const dir = offered.get(String(t.mid))
          t.setDirection(dir === 'recvonly' ? 'sendonly' : dir === 'sendonly' ? 'recvonly' : dir === 'inactive' ? 'inactive' : 'sendrecv')
        }
      })
      const kinds = mediaKinds(answer)
      if (!kinds.includes('audio')) throw new MediaNegotiationError('No audio codec in common with the conference.')
      return { answer, connected: this.#admit(id, sources, pc) }
    } catch (e) {
      this.#pending.delete(pc)
      await pc.close()
      throw e instanceof MediaNegotiationError ? e : new MediaNegotiationError((e as Error).message)
    }
  }

  /** The unit offers (a moved or invited member): give `complete` the member's answer. */
  async offerTo(id: string, sources: MediaSources): ReturnType<ConferenceMedia['offerTo']> {
    const pc = loopbackPeer({ lite: true })
    this.#pending.add(pc)
    pc.addTransceiver('audio', { direction: 'sendrecv' })
    pc.addTransceiver('video', { direction: 'sendrecv' })
    for (let i = 0; i < EXTRA_SLOTS; i++) {
      pc.addTransceiver('audio', { direction: 'sendonly' })
      pc.addTransceiver('video', { direction: 'sendonly' })
    }
    const offer = await createFullOffer(pc)
    return {
      offer,
      complete: async (answer) => {
        try {
          await pc.setRemoteDescription({ type: 'answer', sdp: answer })
        } catch (e) {
          throw new MediaNegotiationError((e as Error).message)
        }
        return { connected: this.#admit(id, sources, pc) }
      },
      cancel: async () => {
        this.#pending.delete(pc)
        await pc.close()
      },
    }
  }

  setMuted(id: string, kind: Kind, muted: boolean): void {
    this.forwarder.setMuted(id, kind, muted)
  }

  async leave(id: string): Promise<void> {
    const leg = this.#legs.get(id)
    if (!leg) return
    this.#legs.delete(id)
    this.forwarder.remove(id)
    await leg.pc.close()
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.#legs.keys()].map((id) => this.leave(id)))
    await Promise.all([...this.#pending].map((pc) => pc.close()))
    this.#pending.clear()
  }

  async #admit(id: string, sources: MediaSources, pc: RTCPeerConnection): Promise<void> {
    const previous = this.#legs.get(id)
    if (previous) await this.leave(id) // a member rejoining replaces its old leg
    await connected(pc)
    this.#pending.delete(pc)
    if (this.closed) {
      await pc.close()
      throw new MediaNegotiationError('The conference ended.')
    }
    const member = memberOf(id, sources, pc.getTransceivers())
    this.#legs.set(id, { pc, member })
    this.forwarder.add(member)
  }
}
