// The conference unit in the sfb2015 dialect: per member, SfB-dialect legs (the bridge's PoolLeg: ICE-19 per
// component, SDES-SRTP), joined by the audio mixer (sfb-mixer.ts) and the video router (sfb-video.ts).
import { trace } from '../trace'
import { parseMediaBody } from '../../../main/media-bridge/body'
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { planBridge, type BridgePlan, type PlannedSection } from '../../../main/media-bridge/plan'
import { PoolLeg, type PoolLegRemote } from '../../../main/media-bridge/pool-leg'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import type { Kind, MediaSources } from './forwarding'
import { MediaNegotiationError, type ConferenceMedia } from './mcu'
import { avmcuPart, UnitRefusal } from './sfb-admission'
import { AudioMixer } from './sfb-mixer'
import { VideoRouter } from './sfb-video'

/**
 * The unit's codecs, in the order it answers and offers them: G.711 first because it is what this unit mixes
 * (sfb-mixer.ts), then G.722, CN and DTMF; X-H264UC for video. RFC 3264 6.1 lets an answer order by its own preference.
 */
const unitCodecs: Record<Kind, BridgeCodec[]> = { audio: ['PCMU', 'PCMA', 'G722', 'CN', 'telephone-event'], video: ['H264'] }

/** One member's section: its leg, the unit's SSRCs toward it and the payload types it numbered codecs with. */
interface Section {
  kind: Kind
  leg: PoolLeg
  ssrcs: { first: number; last: number }
  codecs: Map<number, BridgeCodec>
}

export class SfbConference implements ConferenceMedia {
  readonly mixer = new AudioMixer()
  readonly video = new VideoRouter()
  readonly #members = new Map<string, Section[]>()
  readonly #pending = new Set<PoolLeg>()
  #nextSsrc = 0x7a000000 + Math.floor(Math.random() * 0xffff) * 0x100
  closed = false

  constructor(readonly id: string) {}

  /**
   * A member offers (escalateAudioVideo, addAudioVideo): the SfB ICE-19 part of a multipart body (avmcuPart) or the
   * plain SDP (`offerType` its Content-Type), answered as the AVMCU does (avmcu-answer.txt): SDES key per section tagged
   * as the offer's, RTCP on component 2 unless the offer muxed, the MSI in a=x-source-streamid. Video without
   * X-H264UC is answered with port 0; an offer the unit cannot take throws UnitRefusal.
   */
  async joinWithOffer(id: string, offer: string, sources: MediaSources, offerType = 'application/sdp'): ReturnType<ConferenceMedia['joinWithOffer']> {
    let chosen: ReturnType<typeof avmcuPart>
    try {
      chosen = avmcuPart(parseMediaBody(offer, offerType).parts)
    } catch (e) {
      throw refusalOf(e)
    }
    const plan = admit(planBridge(chosen.session))
    const sections: Section[] = []
    const written: SfbLegSection[] = []
    const remotes: Array<{ remote: PoolLegRemote; keys: { send: SdesKey; receive: SdesKey } }> = []
    try {
      for (const [i, s] of chosen.session.sections.entries()) {
        const kind: Kind = s.kind === 'video' ? 'video' : 'audio'
        const p = [plan.audio, plan.video].find((x) => x?.index === i)
        const ssrcs = this.#ssrcs(kind)
        if (!p) {
          written.push({ kind, codecs: [], ssrcs, ice: { ufrag: 'none', pwd: 'none' }, candidates: [], rtcpMux: false, rejected: { type: s.kind, protocol: s.profile, formats: s.formats.join(' ') || '0' }, key: newSdesKey(1) })
          continue
        }
        const codecs = offeredCodecs(kind, p)
        const section: Section = { kind, leg: this.#leg(id, kind), ssrcs, codecs }
        sections.push(section)
        const local = await section.leg.open({ mux: p.section.rtcpMux, controlling: false })
        const key = newSdesKey(p.key.tag)
        written.push({ kind, codecs: [...new Set(codecs.values())], payloadTypes: payloadTypes(codecs), ssrcs, ice: local.ice, candidates: local.candidates, rtcpMux: p.section.rtcpMux, key })
        remotes.push({ remote: { ice: p.ice, candidates: p.candidates, rtcpMux: p.section.rtcpMux }, keys: { send: key, receive: p.key } })
      }
    } catch (e) {
      await this.#drop(sections)
      throw e instanceof MediaNegotiationError ? e : new MediaNegotiationError((e as Error).message)
    }
    // the controlled agent answers checks as soon as it has the offerer's credentials ([MS-ICE2], draft 19)
    const started = Promise.all(sections.map((s, i) => s.leg.start(remotes[i]!.remote, remotes[i]!.keys)))
    return { answer: withStreamIds(writeSfbSdp({ sections: written }).sdp, sources), connected: this.#admit(id, sources, sections, started), processedOfferId: chosen.processedOfferId }
  }

  /** The unit offers (a moved or invited member): audio and video, RTCP on component 2, the unit controlling ICE. */
  async offerTo(id: string, sources: MediaSources): ReturnType<ConferenceMedia['offerTo']> {
    const sections: Section[] = []
    const written: SfbLegSection[] = []
    const keys: SdesKey[] = []
    for (const kind of ['audio', 'video'] as const) {
      const section: Section = { kind, leg: this.#leg(id, kind), ssrcs: this.#ssrcs(kind), codecs: new Map() }
      sections.push(section)
      const local = await section.leg.open({ mux: false, controlling: true })
      keys.push(newSdesKey(1))
      written.push({ kind, codecs: unitCodecs[kind], ssrcs: section.ssrcs, ice: local.ice, candidates: local.candidates, rtcpMux: false, key: keys.at(-1)! })
    }
    return {
      offer: withStreamIds(writeSfbSdp({ sections: written }).sdp, sources),
      complete: async (answer) => {
        let plan: BridgePlan
        try {
          plan = admit(planBridge(readSfbSdp(answer)))
        } catch (e) {
          await this.#drop(sections)
          throw refusalOf(e)
        }
        const taken = sections.filter((s, i) => (s.kind === 'audio' ? plan.audio : plan.video)?.index === i)
        trace(`unit ${this.id}: ${id} answered (${taken.map((t) => t.kind).join(', ')}): checks start`)
        await this.#drop(sections.filter((s) => !taken.includes(s))) // video the member answered with port 0
        const started = Promise.all(
          taken.map((s) => {
            const p = (s.kind === 'audio' ? plan.audio : plan.video)!
            for (const c of p.codecs) s.codecs.set(c.payloadType, c.bridge!)
            return s.leg.start({ ice: p.ice, candidates: p.candidates, rtcpMux: false }, { send: keys[sections.indexOf(s)]!, receive: p.key })
          }),
        )
        return { connected: this.#admit(id, sources, taken, started) }
      },
      cancel: () => this.#drop(sections),
    }
  }

  setMuted(id: string, kind: Kind, muted: boolean): void {
    if (kind === 'audio') this.mixer.setMuted(id, muted)
    else this.video.setMuted(id, muted)
  }

  async leave(id: string): Promise<void> {
    const sections = this.#members.get(id)
    if (!sections) return
    this.#members.delete(id)
    this.mixer.remove(id)
    this.video.remove(id)
    await Promise.all(sections.map((s) => s.leg.close()))
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.#members.keys()].map((id) => this.leave(id)))
    await Promise.all([...this.#pending].map((l) => l.close()))
    this.#pending.clear()
    this.mixer.close()
  }

  /** A leg whose packets go to the mixer or the router as member `id`'s (ignored there until it is admitted). */
  #leg(id: string, kind: Kind): PoolLeg {
    const leg = new PoolLeg('127.0.0.1', {
      rtp: (p) => (kind === 'audio' ? this.mixer.receive(id, p) : this.video.receive(id, p)),
      rtcp: (p) => kind === 'video' && this.video.feedback(id, p),
      fault: () => void (this.#members.get(id)?.some((s) => s.leg === leg) && this.leave(id)), // its media is gone: it leaves the mix
    })
    this.#pending.add(leg)
    return leg
  }

  /** The unit's SSRCs toward one member: audio one wide, video 100 wide ([MS-SDPEXT] 3.1.5.31). */
  #ssrcs(kind: Kind): { first: number; last: number } {
    const first = this.#nextSsrc
    this.#nextSsrc += kind === 'audio' ? 1 : 100
    return { first, last: kind === 'audio' ? first : first + 99 }
  }

  async #admit(id: string, sources: MediaSources, sections: Section[], started: Promise<unknown>): Promise<void> {
    const t0 = performance.now()
    try {
      await started
      trace(`unit ${this.id}: ${id}'s checks done in ${Math.round(performance.now() - t0)} ms`)
    } catch (e) {
      trace(`unit ${this.id}: ${id}'s checks failed after ${Math.round(performance.now() - t0)} ms: ${(e as Error).message}`)
      await this.#drop(sections)
      throw new MediaNegotiationError((e as Error).message)
    }
    if (this.#members.has(id)) await this.leave(id) // a member rejoining replaces its old legs
    if (this.closed) {
      await this.#drop(sections)
      throw new MediaNegotiationError('The conference ended.')
    }
    for (const s of sections) this.#pending.delete(s.leg)
    this.#members.set(id, sections)
    for (const s of sections) {
      if (s.kind === 'audio') this.mixer.add({ id, msi: sources.audio, ssrc: s.ssrcs.first, codecs: s.codecs, send: (p) => s.leg.sendRtp(p) })
      else this.video.add({ id, msi: sources.video, ssrcs: s.ssrcs, send: (p) => s.leg.sendRtp(p), sendRtcp: (p) => s.leg.sendRtcp(p) })
    }
  }

  async #drop(sections: Section[]): Promise<void> {
    for (const s of sections) this.#pending.delete(s.leg)
    await Promise.all(sections.map((s) => s.leg.close()))
  }
}

/** The offer's payload type → codec for the unit's codecs it offered (its first line of each), in the unit's order. */
function offeredCodecs(kind: Kind, p: PlannedSection): Map<number, BridgeCodec> {
  const out = new Map<number, BridgeCodec>()
  for (const codec of unitCodecs[kind]) {
    const line = p.codecs.find((c) => c.bridge === codec)
    if (line) out.set(line.payloadType, codec)
  }
  return out
}

function payloadTypes(codecs: Map<number, BridgeCodec>): Partial<Record<BridgeCodec, number>> {
  return Object.fromEntries([...codecs].map(([pt, c]) => [c, pt]))
}

/** The plan, or the refusal it is (planBridge checks keys, ICE and that audio has G.722, PCMU or PCMA). */
function admit(plan: BridgePlan | MediaRefusal): BridgePlan {
  if (plan instanceof MediaRefusal) throw refusalOf(plan)
  return plan
}

/** What the unit says of each refusal (the bridge's own messages speak for Parley, not for a conference). */
const unitMessages: Record<MediaRefusal['declineReason'], string> = {
  EncryptionMismatch: 'the conference requires SRTP keyed by SDES (a=crypto); the offer has no key it can use.',
  CodecMismatch: 'the conference has no codec in common with the offer (it takes G.722, PCMU or PCMA audio and X-H264UC video).',
  UnsupportedMedia: 'the conference needs an audio section with ICE version 19 candidates (ICE version 6 alone is not supported).',
  IPv6NotSupported: 'the conference is reached over IPv4 only; the offer gives IPv6 candidates alone.',
  MediaConnectivityFailure: 'the offer gives no candidate the conference can send media to.',
  InvalidMediaOffer: 'the conference could not read the media description.',
}

/**
 * What the unit could not take, as a UnitRefusal: a MediaRefusal keeps its subcode (ErrorSubcode_ref.md) and its
 * CallDeclineReason_ref.md reason leads the message; anything else is an unreadable description.
 */
function refusalOf(e: unknown): UnitRefusal {
  if (e instanceof UnitRefusal) return e
  if (e instanceof MediaRefusal) return new UnitRefusal({ code: 'RemoteFailure', subcode: e.subcode ?? 'MediaNegotiationFailure', message: `${e.declineReason}: ${unitMessages[e.declineReason]}` })
  return new UnitRefusal({ code: 'RemoteFailure', subcode: 'InvalidMediaDescription', message: `The conference could not read the media description (${(e as Error).message}).` })
}

/** Each section's MSI, given to the member as the AVMCU does in a=x-source-streamid ([MS-SDPEXT] 3.1.5.32), after a=x-source. */
function withStreamIds(sdp: string, sources: MediaSources): string {
  return sdp.replace(/^a=x-source:main-(audio|video)\r\n/gm, (line, kind: Kind) => `${line}a=x-source-streamid:${sources[kind]}\r\n`)
}
