// The renderer leg: a werift RTCPeerConnection on loopback that speaks DTLS-SRTP to Chromium with the WebRTC SDP step 1 writes.
import { parse } from 'sdp-transform'
import { RTCPeerConnection, RTCRtpCodecParameters, type RtcpPacket, type RtpPacket, type RTCRtpTransceiver } from 'werift'
import { bridgeCodecOf, codecs, type BridgeCodec } from './codecs'
import { BridgeFault } from './fault'
import type { IceCandidate } from './ice'
import type { Direction } from './leg'
import { withBridgeableH264 } from './own-offer'
import type { BridgeLocal } from './translate'

type Kind = 'audio' | 'video'

export interface RendererLegEvents {
  rtp(kind: Kind, packet: RtpPacket): void
  rtcp(kind: Kind, packet: RtcpPacket): void
  /** the connection, once up, failed or was closed by the renderer */
  fault(fault: BridgeFault): void
}

/**
 * Terminates the renderer's WebRTC on loopback. `prepare` builds one transceiver per kind (mids 0, 1 as step 1
 * writes them; the codecs with their WebRTC payload types), makes werift's own offer and gathers, and returns
 * what BridgeLocal.webrtc needs (ufrag/pwd, candidates on `host`, the DTLS fingerprint, the SSRCs it sends from),
 * so step 1's offer describes exactly this endpoint. `answered` takes the renderer's answer (RFC 8829).
 */
export class RendererLeg {
  readonly pc: RTCPeerConnection
  readonly #transceivers = new Map<Kind, RTCRtpTransceiver>()
  /** the renderer's further video sections that receive (a conference's extra slots): the bridge sends other sources on them */
  readonly #videoSlots: RTCRtpTransceiver[] = []
  #closing = false

  constructor(
    readonly host: string,
    /** `slot`: a further video section the bridge only sends on (another conference source), after the main ones */
    readonly sections: { kind: Kind; codecs: BridgeCodec[]; slot?: boolean }[],
    readonly events: RendererLegEvents,
  ) {
    const toParams = (c: BridgeCodec) =>
      new RTCRtpCodecParameters({
        mimeType: `${codecs[c].kind}/${codecs[c].webrtcName}`,
        clockRate: codecs[c].clockRate,
        payloadType: codecs[c].webrtcPayloadType,
        ...(codecs[c].kind === 'audio' && { channels: 1 }),
        ...(codecs[c].webrtcFmtp && { parameters: codecs[c].webrtcFmtp }),
        ...(c === 'H264' && { rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }),
      })
    const byKind = (k: Kind) => sections.filter((s) => s.kind === k && !s.slot).flatMap((s) => s.codecs.map(toParams))
    // TOOLCHAIN.md: loopback needs the address added and a pair filter; max-bundle so no socket leaks
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [host],
      iceInterfaceAddresses: { udp4: host },
      iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === host,
      bundlePolicy: 'max-bundle',
      codecs: { audio: byKind('audio'), video: byKind('video') },
    })
  }

  /** Offers to itself and gathers; returns BridgeLocal['webrtc'] for bridgeDescriptions. */
  async prepare(stream: string): Promise<BridgeLocal['webrtc']> {
    for (const s of this.sections) {
      if (s.slot) this.#videoSlots.push(this.pc.addTransceiver('video', { direction: 'sendonly' }))
      else this.#wire(s.kind, this.pc.addTransceiver(s.kind, { direction: 'sendrecv' }))
    }
    await this.pc.setLocalDescription(await this.pc.createOffer())
    await gathered(this.pc)
    const sdp = parse(this.pc.localDescription!.sdp)
    const m = sdp.media[0]!
    const fp = m.fingerprint ?? sdp.fingerprint
    const candidates: IceCandidate[] = (m.candidates ?? [])
      .filter((c) => c.ip === this.host && c.transport.toLowerCase() === 'udp' && c.component === 1)
      .map((c) => ({ foundation: String(c.foundation), component: 1, transport: 'udp', priority: Number(c.priority), address: c.ip, port: c.port, type: 'host' }))
    if (!fp || !m.iceUfrag || !m.icePwd || !candidates.length) throw new BridgeFault('RendererConnectionFailed', 'The bridge could not open its connection to the window.')
    const ssrcs = { audio: this.#transceivers.get('audio')?.sender.ssrc ?? 0, video: this.#transceivers.get('video')?.sender.ssrc ?? 0 }
    return { ice: { ufrag: m.iceUfrag, pwd: m.icePwd }, candidates, fingerprint: { hash: 'sha-256', value: fp.hash }, ssrcs, stream, slotSsrcs: this.#videoSlots.map((t) => t.sender.ssrc) }
  }

  /**
   * Parley's own offer (the other direction): answers the renderer's WebRTC offer as a JSEP answerer (RFC 8829 5.3)
   * with werift's own answer, offered only the H.264 X-H264UC carries (own-offer.ts withBridgeableH264). The first line
   * of each kind this leg carries is sendrecv, any other inactive. Returns
   * the answer and, per kind it accepted, each bridge codec's payload type in it and the SSRC this leg sends from.
   */
  async answerOffer(offer: string): Promise<{ sdp: string; taken: { kind: Kind; payloadTypes: Partial<Record<BridgeCodec, number>>; ssrc: number; direction: Direction }[] }> {
    // werift makes the tracks while it applies the offer: wire each kind's first transceiver as it is added
    const added = this.pc.onTransceiverAdded.subscribe((t) => {
      const kind = t.kind as Kind
      if (this.sections.some((s) => s.kind === kind) && !this.#transceivers.has(kind)) this.#wire(kind, t)
    })
    await this.pc.setRemoteDescription({ type: 'offer', sdp: withBridgeableH264(offer) })
    added.unSubscribe()
    const offered = parse(offer).media
    for (const t of this.pc.getTransceivers()) {
      const main = [...this.#transceivers.values()].includes(t)
      // a further video section the renderer receives on (escalation's slots): one more conference source fits there
      const m = offered.find((x) => String(x.mid) === t.mid)
      const receives = !!m && Number(m.port) !== 0 && (m.direction === undefined || m.direction === 'recvonly' || m.direction === 'sendrecv')
      const slot = !main && t.kind === 'video' && this.#transceivers.has('video') && receives
      if (slot) this.#videoSlots.push(t)
      t.setDirection(main ? 'sendrecv' : slot ? 'sendonly' : 'inactive')
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer())
    await gathered(this.pc)
    const sdp = this.pc.localDescription!.sdp
    const media = parse(sdp).media
    const taken = [...this.#transceivers].flatMap(([kind, t]) => {
      const m = media.find((m) => String(m.mid) === t.mid)
      if (!m || Number(m.port) === 0 || m.direction === 'inactive') return []
      const payloadTypes: Partial<Record<BridgeCodec, number>> = {}
      for (const r of m.rtp) {
        const codec = bridgeCodecOf(String(r.codec), Number(r.rate ?? 0), r.encoding === undefined ? undefined : Number(r.encoding))
        if (codec) payloadTypes[codec] ??= r.payload
      }
      // what the renderer offered on this line (an audio call receives video only): Parley's SfB part offers the same
      const direction = (offered.find((x) => String(x.mid) === t.mid)?.direction ?? 'sendrecv') as Direction
      return [{ kind, payloadTypes, ssrc: t.sender.ssrc, direction }]
    })
    return { sdp, taken }
  }

  /** A re-offer from the renderer (hold, camera) answered on the same connection (RFC 8829 5.3); returns the answer. */
  async reanswer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: withBridgeableH264(offer) })
    await this.pc.setLocalDescription(await this.pc.createAnswer())
    return this.pc.localDescription!.sdp
  }

  /** A re-offer to the renderer with each kind's new direction (the far side's change, mirrored); its answer goes to setAnswer. */
  async reoffer(directions: Partial<Record<Kind, 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'>>): Promise<string> {
    for (const [kind, t] of this.#transceivers) t.setDirection(directions[kind] ?? 'sendrecv')
    await this.pc.setLocalDescription(await this.pc.createOffer())
    await gathered(this.pc)
    return this.pc.localDescription!.sdp
  }

  async setAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp })
  }

  /** The renderer's answer to step 1's offer; resolves when DTLS-SRTP is up, else BridgeFault RendererConnectionFailed. */
  async answered(sdp: string, timeoutMs = 15_000): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp })
    await this.connected(timeoutMs)
  }

  /** Resolves when DTLS-SRTP with the renderer is up (either role), else BridgeFault RendererConnectionFailed. */
  async connected(timeoutMs = 15_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const fail = () => reject(new BridgeFault('RendererConnectionFailed', 'The window\'s media connection to the bridge did not come up.'))
      const timer = setTimeout(fail, timeoutMs)
      const check = (state: string) => {
        if (state === 'connected') {
          clearTimeout(timer)
          this.#watch()
          resolve()
        } else if (state === 'failed' || state === 'closed') {
          clearTimeout(timer)
          fail()
        }
      }
      const sub = this.pc.connectionStateChange.subscribe((state) => {
        check(state)
        if (state === 'connected' || state === 'failed' || state === 'closed') sub.unSubscribe()
      })
      check(this.pc.connectionState)
    })
  }

  /** How many video sections the renderer receives on: the main one and the further slots it offered. */
  get videoSlots(): number {
    return (this.#transceivers.has('video') ? 1 : 0) + this.#videoSlots.length
  }

  /** Sends `packet` on the kind's sender (video: on slot `slot`, 0 the main section) with the codec its payload type names (werift stamps the sender's codec and SSRC). */
  sendRtp(kind: Kind, packet: RtpPacket, slot = 0): void {
    const t = slot === 0 ? this.#transceivers.get(kind) : kind === 'video' ? this.#videoSlots[slot - 1] : undefined
    if (!t) return
    const codec = codecOf(t, packet.header.payloadType)
    if (!codec) return
    t.sender.codec = codec
    void t.sender.sendRtp(packet).catch(ignore)
  }

  /** RFC 4585 6.3.1 PLI to the renderer's sender of `kind`: it then sends a key frame. */
  requestKeyFrame(kind: Kind): void {
    const r = this.#transceivers.get(kind)?.receiver
    const ssrc = r?.trackBySSRC && Object.keys(r.trackBySSRC)[0]
    if (r && ssrc) void r.sendRtcpPLI(Number(ssrc)).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.#closing = true
    await this.pc.close().catch(() => undefined)
  }

  #wire(kind: Kind, t: RTCRtpTransceiver): void {
    this.#transceivers.set(kind, t)
    t.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => this.events.rtp(kind, rtp)))
    t.receiver.onRtcp.subscribe((p) => this.events.rtcp(kind, p))
    t.sender.onRtcp.subscribe((p) => this.events.rtcp(kind, p))
  }

  /** After connected: a failed or closed connection we did not close ends the call. */
  #watch(): void {
    const sub = this.pc.connectionStateChange.subscribe((state) => {
      if (this.#closing || (state !== 'failed' && state !== 'closed')) return
      sub.unSubscribe()
      this.events.fault(new BridgeFault('RendererConnectionFailed', `The window's media connection to the bridge ${state === 'failed' ? 'failed' : 'was closed'}.`))
    })
  }
}

/** The transceiver's codec with `payloadType`: a loop, not find(), as it runs for every packet. */
function codecOf(t: RTCRtpTransceiver, payloadType: number): RTCRtpCodecParameters | undefined {
  for (let i = 0; i < t.codecs.length; i++) if (t.codecs[i]!.payloadType === payloadType) return t.codecs[i]
  return undefined
}

/** A failed send is a lost packet, as on any network: nothing to do per packet. */
const ignore = (): undefined => undefined

function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve()))
}
