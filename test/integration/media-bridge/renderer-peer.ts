// The renderer's stand-in for the bridge's Node tests: a werift peer that answers the bridge's WebRTC offer and sends a PCMU tone.
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift'
import { answerOffer } from '../../simulator/conference/media-peer'
import { mulawTone } from '../../simulator/sfb/g711'

const PCMU = new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })
const G722 = new RTCRtpCodecParameters({ mimeType: 'audio/G722', clockRate: 8000, channels: 1, payloadType: 9 })

export interface RendererPeer {
  pc: RTCPeerConnection
  received: { payloadType: number; ssrc: number; payload: Buffer; at: number }[]
  answer(offer: string): Promise<string>
  /** PCMU at `hz`, 20 ms a packet; returns the stop function */
  sendTone(hz: number): () => void
  close(): Promise<void>
}

/** Answers with G.722 and PCMU (what Chromium keeps of the bridge's offer); TOOLCHAIN.md's loopback settings as in media-peer.ts. */
export function rendererPeer(): RendererPeer {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    bundlePolicy: 'max-bundle',
    codecs: { audio: [G722, PCMU] },
  })
  const received: RendererPeer['received'] = []
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((r) => received.push({ payloadType: r.header.payloadType, ssrc: r.header.ssrc, payload: r.payload, at: performance.now() })))
  let timer: NodeJS.Timeout | undefined
  return {
    pc,
    received,
    answer: (offer) => answerOffer(pc, offer, (ts) => ts.forEach((t) => t.setDirection('sendrecv'))),
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
    async close() {
      clearInterval(timer)
      await pc.close()
    },
  }
}

export async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
