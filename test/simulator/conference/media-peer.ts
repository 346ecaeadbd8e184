// werift peers on loopback: what the conference unit, the echo contact and the test peers are made of.
import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver } from 'werift'

export const OPUS = new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, rtcpFeedback: [{ type: 'transport-cc' }] })
export const VP8 = new RTCRtpCodecParameters({
  mimeType: 'video/VP8',
  clockRate: 90000,
  payloadType: 96,
  rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }],
})

/**
 * Media stays on 127.0.0.1 (TOOLCHAIN.md: werift needs the loopback address added and, to skip its public
 * STUN lookup, ICE lite for the server side; max-bundle so no socket leaks).
 */
export function loopbackPeer(options: { lite?: boolean } = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceLite: options.lite ?? false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    bundlePolicy: 'max-bundle',
    codecs: { audio: [OPUS], video: [VP8] },
  })
}

export async function gatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return
  await new Promise<void>((resolve) => {
    const sub = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        sub.unSubscribe()
        resolve()
      }
    })
  })
}

/** Answer an offer with every candidate inside (UCWA has no trickle ICE). */
export async function answerOffer(pc: RTCPeerConnection, offer: string, setup?: (transceivers: RTCRtpTransceiver[]) => void): Promise<string> {
  await pc.setRemoteDescription({ type: 'offer', sdp: offer })
  setup?.(pc.getTransceivers())
  const answer = await pc.createAnswer()
  await pc.setLocalDescription(answer)
  await gatheringComplete(pc)
  return pc.localDescription!.sdp
}

export async function createFullOffer(pc: RTCPeerConnection): Promise<string> {
  const offer = await pc.createOffer()
  await pc.setLocalDescription(offer)
  await gatheringComplete(pc)
  return pc.localDescription!.sdp
}

export function connected(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve()
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unSubscribe()
      reject(new Error(`media did not connect in ${timeoutMs} ms`))
    }, timeoutMs)
    const sub = pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(timer)
        sub.unSubscribe()
        resolve()
      } else if (state === 'failed' || state === 'closed') {
        clearTimeout(timer)
        sub.unSubscribe()
        reject(new Error(`media ${state}`))
      }
    })
  })
}
