// A simulated SfB 2015 client in a conference, for tests and the bench: the bridge's pool-leg pieces (ICE-19 per
// component, SDES-SRTP) sending a PCMU tone and X-H264UC frames, asking for others' video with VSRs.
import { RtpHeader, RtpPacket } from 'werift'
import { writeMultipartAlternative } from '../../../main/media-bridge/body'
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { planBridge } from '../../../main/media-bridge/plan'
import { PoolLeg, type PoolLegLocal, type PoolLegRemote } from '../../../main/media-bridge/pool-leg'
import { hasPli } from '../../../main/media-bridge/relay'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import type { MediaOfferBody } from './dialect'
import { ice6Part } from './endpoint'
import { alawToLinear, linearToAlaw, mulawToLinear, mulawTone, toneAmplitude } from './g711'
import { videoSourceRequest } from './vsr'

type Kind = 'audio' | 'video'

/** One received RTP packet: its CSRCs (the unit's MSIs), payload type, marker, and for audio the decoded samples. */
export interface Heard {
  csrc: number[]
  payloadType: number
  marker: boolean
  payload: Buffer
  samples?: Int16Array
}

interface Section {
  kind: Kind
  leg: PoolLeg
  key: SdesKey
  ssrcs: { first: number; last: number }
  local?: PoolLegLocal
}

/**
 * Offers (single ICE-19 SDP, or multipart with the ICE-6 fallback first) or answers the unit's offer with audio
 * (G.722 9 and PCMU 0, SfB's order; PCMA 8 instead of PCMU with `pcma`) and, with `video`, X-H264UC 122; RTCP on
 * component 2 unless `mux`. It sends G.711 only (the tone at `hz`), and with video a frame every 66 ms, each led
 * by a PACSI packet, an IDR when a PLI asked for one.
 */
export class SfbMember {
  readonly audio: Heard[] = []
  readonly video: Heard[] = []
  readonly ssrc = 0x5fc00000 + Math.floor(Math.random() * 0xfffff) * 0x100
  /** PLIs the unit sent this member (a VSR for its video makes one) */
  plis = 0
  readonly #sections: Section[] = []
  readonly #timers: NodeJS.Timeout[] = []
  #idrWanted = true

  constructor(
    readonly tag: string,
    readonly options: { video?: boolean; mux?: boolean; mki?: number; pcma?: boolean } = {},
  ) {
    const kinds: Kind[] = options.video ? ['audio', 'video'] : ['audio']
    for (const kind of kinds) {
      const leg = new PoolLeg('127.0.0.1', {
        rtp: (p) => this.#heard(kind, p),
        rtcp: (p) => {
          if (kind === 'video' && hasPli(p)) {
            this.plis++
            this.#idrWanted = true
          }
        },
        fault: () => {},
      })
      const key: SdesKey = options.mki ? { ...newSdesKey(2), mki: { value: 1, length: options.mki } } : newSdesKey(2)
      const ssrcs = kind === 'audio' ? { first: this.ssrc, last: this.ssrc } : { first: this.ssrc + 1, last: this.ssrc + 100 }
      this.#sections.push({ kind, leg, key, ssrcs })
    }
  }

  /** The member's offer: plain application/sdp (ICE 19), or with `multipart` the ICE-6 fallback part then the ICE-19 part. */
  async offer(multipart = false): Promise<MediaOfferBody> {
    const written: SfbLegSection[] = []
    for (const s of this.#sections) {
      s.local = await s.leg.open({ mux: !!this.options.mux, controlling: true })
      written.push(this.#written(s, s.local))
    }
    const sdp = writeSfbSdp({ sections: written }).sdp
    if (!multipart) return { contentType: 'application/sdp', body: sdp }
    return writeMultipartAlternative(
      [
        { contentId: `<ice6-${this.tag}@sfb.test>`, fallback: true, sdp: ice6Part(sdp, this.#sections.map((s) => s.local!)) },
        { contentId: `<ice19-${this.tag}@sfb.test>`, fallback: false, sdp },
      ],
      `member-${this.tag}`,
    )
  }

  /** Takes the unit's answer to offer() and runs ICE as the controlling agent. */
  async answered(sdp: string): Promise<void> {
    const answer = readSfbSdp(sdp).sections
    await Promise.all(
      this.#sections.map((s, i) => {
        const a = answer[i]
        if (!a || a.port === 0 || !a.iceUfrag || !a.icePwd || !a.keys[0]) throw new Error(`the answer has no usable ${s.kind} section`)
        return s.leg.start({ ice: { ufrag: a.iceUfrag, pwd: a.icePwd }, candidates: a.candidates, rtcpMux: a.rtcpMux }, { send: s.key, receive: a.keys[0] })
      }),
    )
  }

  /** Answers the unit's offer (a moved or invited member), as the controlled agent; ICE runs in the background. */
  async answer(offer: string): Promise<string> {
    const plan = planBridge(readSfbSdp(offer))
    if (plan instanceof Error) throw plan
    const written: SfbLegSection[] = []
    const starts: Array<{ s: Section; remote: PoolLegRemote; receive: SdesKey }> = []
    for (const s of this.#sections) {
      const p = s.kind === 'audio' ? plan.audio : plan.video
      if (!p) throw new Error(`the unit's offer has no ${s.kind}`)
      s.local = await s.leg.open({ mux: false, controlling: false })
      const pts: Partial<Record<BridgeCodec, number>> = {}
      for (const c of p.codecs) pts[c.bridge!] ??= c.payloadType
      written.push({ ...this.#written(s, s.local), payloadTypes: pts, key: { ...s.key, tag: p.key.tag } })
      starts.push({ s, remote: { ice: p.ice, candidates: p.candidates, rtcpMux: false }, receive: p.key })
    }
    for (const { s, remote, receive } of starts) void s.leg.start(remote, { send: s.key, receive }).catch(() => {})
    return writeSfbSdp({ sections: written }).sdp
  }

  /** Sends a tone at `hz` as PCMU (PCMA with `pcma`), 20 ms (160 samples) per packet, until close(). */
  sendTone(hz: number): void {
    let seq = Math.floor(Math.random() * 0xffff)
    let sample = 0
    this.#timers.push(
      setInterval(() => {
        const header = new RtpHeader({ version: 2, payloadType: this.options.pcma ? 8 : 0, sequenceNumber: seq, timestamp: sample, ssrc: this.ssrc, marker: sample === 0 })
        const payload = this.options.pcma ? Buffer.from(Array.from({ length: 160 }, (_, i) => linearToAlaw(8000 * Math.sin((2 * Math.PI * hz * (sample + i)) / 8000)))) : mulawTone(hz, sample, 160)
        this.#section('audio').leg.sendRtp(new RtpPacket(header, payload).serialize())
        seq = (seq + 1) & 0xffff
        sample += 160
      }, 20),
    )
  }

  /** Sends X-H264UC frames (a PACSI packet, then one NAL unit with the marker), 15 a second, until close(). */
  sendVideo(): void {
    let seq = Math.floor(Math.random() * 0xffff)
    let timestamp = 0
    const leg = this.#section('video').leg
    const send = (marker: boolean, payload: Buffer) => {
      leg.sendRtp(new RtpPacket(new RtpHeader({ version: 2, payloadType: 122, sequenceNumber: seq, timestamp, ssrc: this.ssrc + 1, marker }), payload).serialize())
      seq = (seq + 1) & 0xffff
    }
    this.#timers.push(
      setInterval(() => {
        const idr = this.#idrWanted
        this.#idrWanted = false
        send(false, Buffer.from([0x60 | 30, 0, 0, 0])) // PACSI (NAL type 30), as the endpoint's reflector writes it
        send(true, Buffer.concat([Buffer.from([idr ? 0x65 : 0x41]), Buffer.alloc(600, idr ? 0xaa : 0x55)]))
        timestamp = (timestamp + 6000) >>> 0
      }, 66),
    )
  }

  /** Asks the unit for the video of media source `msi` (a VSR, sfb/vsr.ts). */
  requestVideo(msi: number): void {
    this.#section('video').leg.sendRtcp(videoSourceRequest(this.ssrc + 1, msi))
  }

  /** The amplitude (0..32767) of `hz` in the audio received over the last `packets` packets, averaged per packet. */
  toneLevel(hz: number, packets = 25): number {
    const recent = this.audio.slice(-packets).filter((h) => h.samples)
    if (recent.length === 0) return 0
    return recent.reduce((sum, h) => sum + toneAmplitude(h.samples!, hz), 0) / recent.length
  }

  /** Video packets received from media source `msi` (their CSRC), and how many of them were PACSI or ended a frame. */
  videoFrom(msi: number): { packets: number; frames: number; pacsi: number; idr: number } {
    const of = this.video.filter((h) => h.csrc[0] === msi)
    return { packets: of.length, frames: of.filter((h) => h.marker).length, pacsi: of.filter((h) => (h.payload[0]! & 0x1f) === 30).length, idr: of.filter((h) => (h.payload[0]! & 0x1f) === 5).length }
  }

  async close(): Promise<void> {
    this.#timers.forEach(clearInterval)
    await Promise.all(this.#sections.map((s) => s.leg.close()))
  }

  #written(s: Section, local: PoolLegLocal): SfbLegSection {
    const codecs: BridgeCodec[] = s.kind === 'audio' ? ['G722', this.options.pcma ? 'PCMA' : 'PCMU'] : ['H264']
    return { kind: s.kind, codecs, ssrcs: s.ssrcs, ice: local.ice, candidates: local.candidates, rtcpMux: !!this.options.mux, key: s.key }
  }

  #heard(kind: Kind, plain: Buffer): void {
    const p = RtpPacket.deSerialize(plain)
    const h: Heard = { csrc: p.header.csrc, payloadType: p.header.payloadType, marker: p.header.marker, payload: p.payload }
    const law = p.header.payloadType === 0 ? mulawToLinear : p.header.payloadType === 8 ? alawToLinear : null
    if (kind === 'audio' && law) h.samples = Int16Array.from(p.payload, law)
    ;(kind === 'audio' ? this.audio : this.video).push(h)
  }

  #section(kind: Kind): Section {
    return this.#sections.find((s) => s.kind === kind)!
  }
}
