// A simulated Skype for Business 2015 endpoint on loopback: multipart SfB offer (ICE 6 + ICE 19 parts), SDES-SRTP, RTCP on its own port, real PCMU, reflected X-H264UC video.
import { randomBytes } from 'node:crypto'
import { RtpHeader, RtpPacket } from 'werift'
import { writeMultipartAlternative } from '../../../main/media-bridge/body'
import type { BridgeFault } from '../../../main/media-bridge/fault'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { afterIce } from '../../../main/media-bridge/ice-reoffer'
import { PoolLeg, type PoolLegLocal } from '../../../main/media-bridge/pool-leg'
import { hasPli } from '../../../main/media-bridge/relay'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import { mulawRms, mulawTone } from './g711'
import { VideoReflector } from './reflector'

/** What the endpoint got: every RTP packet's payload type, SSRC and payload, decrypted. */
export interface ReceivedRtp {
  payloadType: number
  ssrc: number
  payload: Buffer
}

type Kind = 'audio' | 'video'

interface Section {
  kind: Kind
  leg: PoolLeg
  key: SdesKey
  local?: PoolLegLocal
  ssrcs: { first: number; last: number }
}

/**
 * An SfB client's A/V side built from the bridge's own pool-leg pieces. It offers audio with G.722 (9) and PCMU
 * (0), SfB's order, `a=x-ssrc-range` 1 wide, and (with `video`) X-H264UC (122) with a 100-wide range, each with RTCP
 * on component 2 (no mux), as a multipart body whose ICE-6 part is the fallback and the ICE-19 part last
 * ([MS-SIPRE] 3.15.4.1; ../shared/sfb-sdp). It sends a 440 Hz PCMU tone, keeps what it decrypts, and reflects
 * the video it receives back with a PACSI packet before each frame (reflector.ts); a PLI it gets is reflected too.
 */
export class SfbEndpoint {
  readonly received: ReceivedRtp[] = []
  readonly videoReceived: ReceivedRtp[] = []
  readonly rtcpReceived: Buffer[] = []
  readonly faults: BridgeFault[] = []
  readonly ssrc = 0x5fb00000 + Math.floor(Math.random() * 0xffff)
  /** PLIs the endpoint got from the bridge (each is reflected back as its own request) */
  plisReceived = 0
  /** the re-offer it sent after ICE (with a=remote-candidates) and the answer it got, null when dismissed */
  readonly reoffers: { sdp: string; answer: string | null }[] = []
  readonly #sections: Section[] = []
  /** the sections of its offer: the re-offer after ICE writes them again with the selected pairs */
  #written: SfbLegSection[] = []
  #timer: NodeJS.Timeout | null = null

  constructor(
    /** `mki`: the offer's keys carry an MKI of that many bytes (RFC 4568 6.1), as some SfB clients write them */
    readonly options: {
      host?: string
      video?: boolean
      mki?: number
      /** offer a=rtcp-mux beside component 2, as SfB 2016 clients do ([MS-SDPEXT] 3.1.5.38); RTCP is muxed when the answer takes it */
      rtcpMux?: boolean
      /** how its re-offer after ICE goes out (the test's UCWA client: renegotiations_ref.md) and the answer that came back, null if dismissed; none: not sent */
      reoffer?: (sdp: string) => Promise<string | null>
    } = {},
  ) {
    const host = options.host ?? '127.0.0.1'
    const reflector = new VideoReflector(this.ssrc + 0x100, (p) => this.#section('video')?.leg.sendRtp(p))
    const kinds: Kind[] = options.video ? ['audio', 'video'] : ['audio']
    for (const kind of kinds) {
      const leg = new PoolLeg(host, {
        rtp: (p) => {
          const packet = RtpPacket.deSerialize(p)
          const r = { payloadType: packet.header.payloadType, ssrc: packet.header.ssrc, payload: packet.payload }
          if (kind === 'audio') this.received.push(r)
          else {
            this.videoReceived.push(r)
            reflector.reflect(packet)
          }
        },
        rtcp: (p) => {
          this.rtcpReceived.push(p)
          if (kind === 'video' && hasPli(p)) {
            this.plisReceived++
            leg.sendRtcp(reflector.pli(packetSsrcOf(this.videoReceived)))
          }
        },
        fault: (f) => this.faults.push(f),
      })
      const key: SdesKey = options.mki ? { ...newSdesKey(1), mki: { value: 1, length: options.mki } } : newSdesKey(1)
      this.#sections.push({ kind, leg, key, ssrcs: kind === 'audio' ? { first: this.ssrc, last: this.ssrc } : { first: this.ssrc + 0x100, last: this.ssrc + 0x100 + 99 } })
    }
  }

  /** The offer a UCWA client receives in an invitation: Content-Type and multipart body. */
  async offer(): Promise<{ contentType: string; body: string }> {
    const written: SfbLegSection[] = []
    for (const s of this.#sections) {
      s.local = await s.leg.open({ mux: false, controlling: true })
      written.push({ kind: s.kind, codecs: s.kind === 'audio' ? ['G722', 'PCMU'] : ['H264'], ssrcs: s.ssrcs, ice: s.local.ice, candidates: s.local.candidates, rtcpMux: this.options.rtcpMux ?? false, key: s.key })
    }
    this.#written = written
    const ice19 = writeSfbSdp({ sections: written }).sdp
    return writeMultipartAlternative(
      [
        { contentId: '<ice6@sfb.test>', fallback: true, sdp: ice6Part(ice19, this.#sections.map((s) => s.local!)) },
        { contentId: '<ice19@sfb.test>', fallback: false, sdp: ice19 },
      ],
      'sfb-endpoint-boundary',
    )
  }

  /** Takes the other side's SfB answer and runs ICE as the controlling agent; `wrongKeys` sends with / receives with other keys than the SDP says (fault tests). */
  async answered(sdp: string, wrongKeys: { send?: SdesKey; receive?: SdesKey } = {}): Promise<void> {
    const answer = readSfbSdp(sdp).sections
    await Promise.all(
      this.#sections.map(async (own, i) => {
        const s = answer[i]
        if (!s || s.port === 0 || !s.iceUfrag || !s.icePwd || !s.keys[0]) throw new Error(`the answer has no usable ${own.kind} section`)
        await own.leg.start({ ice: { ufrag: s.iceUfrag, pwd: s.icePwd }, candidates: s.candidates, rtcpMux: s.rtcpMux }, { send: wrongKeys.send ?? own.key, receive: wrongKeys.receive ?? s.keys[0] })
      }),
    )
    const send = this.options.reoffer
    if (send) {
      // a real SfB client, the controlling agent, re-offers once ICE completed ([MS-ICE2]; ../shared/sfb-media.md)
      const sdp = this.reofferAfterIce()
      void send(sdp).then((answer) => this.reoffers.push({ sdp, answer }), () => this.reoffers.push({ sdp, answer: null }))
    }
  }

  /** The re-offer after ICE: each section's selected local candidate as its default and a=remote-candidates naming the peer's, per component (RFC 5245 9.1.2.2). */
  reofferAfterIce(): string {
    const sections = this.#written.map((w) => afterIce(w, this.#section(w.kind)!.leg.selectedPairs(), true))
    // a re-offer is a new version of the session (RFC 3264 8)
    return writeSfbSdp({ sections }, { sessionId: 0, sessionVersion: 1 }).sdp
  }

  /** Sends a tone at `hz` as PCMU, 20 ms (160 samples) per packet, until close(). */
  sendTone(hz = 440): void {
    let seq = Math.floor(Math.random() * 0xffff)
    let ts = Math.floor(Math.random() * 0xffffffff)
    let sample = 0
    this.#timer = setInterval(() => {
      const header = new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: seq, timestamp: ts, ssrc: this.ssrc, marker: sample === 0 })
      this.#section('audio')!.leg.sendRtp(new RtpPacket(header, mulawTone(hz, sample, 160)).serialize())
      seq = (seq + 1) & 0xffff
      ts = (ts + 160) >>> 0
      sample += 160
    }, 20)
  }

  /** Sends one plain RTP packet on the audio section (the bench's numbered packets). */
  sendRaw(packet: RtpPacket): void {
    this.#section('audio')!.leg.sendRtp(packet.serialize())
  }

  /** RMS (0..32767) of the PCMU received so far: a tone through the bridge is far above 0. */
  receivedEnergy(): number {
    return mulawRms(Buffer.concat(this.received.filter((r) => r.payloadType === 0).map((r) => r.payload)))
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    await Promise.all(this.#sections.map((s) => s.leg.close()))
  }

  #section(kind: Kind): Section | undefined {
    return this.#sections.find((s) => s.kind === kind)
  }
}

function packetSsrcOf(received: ReceivedRtp[]): number {
  return received.at(-1)?.ssrc ?? 0
}

/** The OCS 2007 fallback part: the same sections with ICE 6 candidates (`<user> <component> <password> UDP <q> <address> <port>`) and no ice-ufrag/pwd. */
export function ice6Part(ice19: string, locals: PoolLegLocal[]): string {
  let section = -1
  const out: string[] = []
  const flush = () => {
    if (section < 0) return
    // ../shared/sfb-media.md: 32-byte username and 16-byte password, base64 without padding (43 and 22 characters)
    const user = randomBytes(32).toString('base64').slice(0, 43)
    const pass = randomBytes(16).toString('base64').slice(0, 22)
    for (const c of locals[section]!.candidates) out.push(`a=candidate:${user} ${c.component} ${pass} UDP 0.830 ${c.address} ${c.port}`)
  }
  for (const l of ice19.split('\r\n')) {
    if (!l || /^a=(candidate|ice-ufrag|ice-pwd|x-candidate-ipv6):/.test(l)) continue
    if (l.startsWith('m=')) {
      flush()
      section++
    }
    out.push(l)
  }
  flush()
  return [...out, ''].join('\r\n')
}
