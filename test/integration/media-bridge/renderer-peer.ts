// The renderer's stand-in for the bridge's Node tests: a werift peer that answers the bridge's WebRTC offer and sends a PCMU tone.
import { PictureLossIndication, RTCPeerConnection, RTCRtpCodecParameters, RtcpPayloadSpecificFeedback, RtpHeader, RtpPacket, type RtcpPacket } from 'werift'
import { answerOffer, createFullOffer } from '../../simulator/conference/media-peer'
import { mulawTone } from '../../simulator/sfb/g711'

const PCMU = new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })
const G722 = new RTCRtpCodecParameters({ mimeType: 'audio/G722', clockRate: 8000, channels: 1, payloadType: 9 })
const H264 = new RTCRtpCodecParameters({
  mimeType: 'video/H264',
  clockRate: 90000,
  payloadType: 122,
  parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
})

export interface RendererPeer {
  pc: RTCPeerConnection
  received: { payloadType: number; ssrc: number; payload: Buffer; at: number }[]
  /** H.264 packets received: payload type, sequence number, payload, CSRCs (a conference unit's MSI of the source) */
  video: { payloadType: number; sequenceNumber: number; payload: Buffer; csrc: number[]; ssrc: number }[]
  /** PLIs (RFC 4585 PSFB FMT 1) that reached this peer's video sender */
  plis: number
  answer(offer: string): Promise<string>
  /** an offer of audio (and video) sendrecv with every candidate, as the renderer makes one; with `slots`, that many more recvonly audio and video sections (an escalation's, engine.ts EXTRA_SLOTS) */
  offer(slots?: number): Promise<string>
  accept(answer: string): Promise<void>
  /** a re-offer with every transceiver set to `direction` (hold: inactive) */
  reoffer(direction: 'sendrecv' | 'inactive'): Promise<string>
  /** answers a re-offer on the same connection */
  reanswer(offer: string): Promise<string>
  /** PCMU at `hz`, 20 ms a packet; returns the stop function */
  sendTone(hz: number): () => void
  /** H.264 frames on the first video sender, 15 a second (one NAL unit each, an IDR first and after a PLI); returns the stop function */
  sendVideo(): () => void
  close(): Promise<void>
}

/** Answers with G.722 and PCMU (what Chromium keeps of the bridge's offer); TOOLCHAIN.md's loopback settings as in media-peer.ts. */
export function rendererPeer(options: { video?: boolean } = {}): RendererPeer {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    bundlePolicy: 'max-bundle',
    codecs: { audio: [G722, PCMU], ...(options.video && { video: [H264] }) },
  })
  const received: RendererPeer['received'] = []
  const video: RendererPeer['video'] = []
  pc.onTrack.subscribe((t) =>
    t.onReceiveRtp.subscribe((r) => {
      if (t.kind === 'video') video.push({ payloadType: r.header.payloadType, sequenceNumber: r.header.sequenceNumber, payload: r.payload, csrc: r.header.csrc, ssrc: r.header.ssrc })
      else received.push({ payloadType: r.header.payloadType, ssrc: r.header.ssrc, payload: r.payload, at: performance.now() })
    }),
  )
  let timer: NodeJS.Timeout | undefined
  let videoTimer: NodeJS.Timeout | undefined
  let idrWanted = true
  const peer: RendererPeer = {
    pc,
    received,
    video,
    plis: 0,
    answer: (offer) => answerOffer(pc, offer, (ts) => ts.forEach((t) => t.setDirection('sendrecv'))),
    offer: (slots = 0) => {
      pc.addTransceiver('audio', { direction: 'sendrecv' })
      if (options.video) pc.addTransceiver('video', { direction: 'sendrecv' })
      for (let i = 0; i < slots; i++) {
        pc.addTransceiver('audio', { direction: 'recvonly' })
        if (options.video) pc.addTransceiver('video', { direction: 'recvonly' })
      }
      return createFullOffer(pc)
    },
    accept: (answer) => pc.setRemoteDescription({ type: 'answer', sdp: answer }),
    async reoffer(direction) {
      for (const t of pc.getTransceivers()) t.setDirection(direction)
      await pc.setLocalDescription(await pc.createOffer())
      return pc.localDescription!.sdp
    },
    async reanswer(offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer })
      await pc.setLocalDescription(await pc.createAnswer())
      return pc.localDescription!.sdp
    },
    sendTone(hz) {
      // werift stamps its sender's codec on every packet: PCMU
      const transceiver = pc.getTransceivers()[0]!
      transceiver.sender.codec = transceiver.codecs.find((c) => c.name === 'PCMU')!
      let seq = 1
      timer = setInterval(() => {
        const header = new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 1 })
        void transceiver.sender.sendRtp(new RtpPacket(header, mulawTone(hz, seq * 160, 160)))
        seq++
      }, 20)
      return () => clearInterval(timer)
    },
    sendVideo() {
      const transceiver = pc.getTransceivers().find((t) => t.kind === 'video')!
      const codec = transceiver.codecs.find((c) => c.name === 'H264')!
      transceiver.sender.codec = codec
      let seq = 1
      videoTimer = setInterval(() => {
        const idr = idrWanted
        idrWanted = false
        const header = new RtpHeader({ version: 2, payloadType: codec.payloadType, sequenceNumber: seq, timestamp: seq * 6000, ssrc: 1, marker: true })
        void transceiver.sender.sendRtp(new RtpPacket(header, Buffer.concat([Buffer.from([idr ? 0x65 : 0x41]), Buffer.alloc(600, idr ? 0xaa : 0x55)])))
        seq++
      }, 66)
      return () => clearInterval(videoTimer)
    },
    async close() {
      clearInterval(timer)
      clearInterval(videoTimer)
      await pc.close()
    },
  }
  // werift hands a PSFB to whichever of its senders and receivers the packet's sender SSRC names first (router.js): listen on both
  pc.onTransceiverAdded.subscribe((t) => {
    const count = (p: RtcpPacket) => {
      if (p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication && p.feedback.mediaSsrc === t.sender.ssrc) {
        peer.plis++
        idrWanted = true
      }
    }
    t.sender.onRtcp.subscribe(count)
    t.receiver.onRtcp.subscribe(count)
  })
  return peer
}

export async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
