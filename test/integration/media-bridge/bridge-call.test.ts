// The bridge on loopback between a werift WebRTC peer (standing in for the renderer) and a simulated SfB endpoint.
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift'
import { afterEach, describe, expect, it } from 'vitest'
import { BridgeCall } from '../../../main/media-bridge/bridge-call'
import { BridgeFault } from '../../../main/media-bridge/fault'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { answerOffer } from '../../simulator/conference/media-peer'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { mulawRms, mulawTone } from '../../simulator/sfb/g711'

const PCMU = new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })
const G722 = new RTCRtpCodecParameters({ mimeType: 'audio/G722', clockRate: 8000, channels: 1, payloadType: 9 })

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

/** The renderer's stand-in: answers the bridge's WebRTC offer with PCMU and G.722 (what Chromium keeps), keeps what it receives. */
function rendererPeer() {
  // TOOLCHAIN.md's loopback settings, as test/simulator/conference/media-peer.ts uses them
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    bundlePolicy: 'max-bundle',
    codecs: { audio: [G722, PCMU] },
  })
  const received: { payloadType: number; ssrc: number; payload: Buffer }[] = []
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((r) => received.push({ payloadType: r.header.payloadType, ssrc: r.header.ssrc, payload: r.payload })))
  cleanup.push(() => pc.close())
  return { pc, received }
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function bridged(wrong: Parameters<SfbEndpoint['answered']>[1] = {}) {
  const endpoint = new SfbEndpoint()
  const call = new BridgeCall()
  const renderer = rendererPeer()
  cleanup.push(() => endpoint.close(), () => call.close())
  const faults: (BridgeFault | null)[] = []
  call.ended((f) => faults.push(f))
  const answer = await call.answer(await endpoint.offer())
  const rendererAnswer = await answerOffer(renderer.pc, answer.webrtcOffer, (ts) => ts.forEach((t) => t.setDirection('sendrecv')))
  const up = call.rendererAnswered(rendererAnswer)
  await Promise.all([up, endpoint.answered(answer.sfbAnswer, wrong)])
  return { endpoint, call, renderer, answer, faults }
}

describe('media bridge: SfB endpoint ↔ bridge ↔ WebRTC peer on loopback', () => {
  it('carries audio both ways: the SfB endpoint decodes the renderer\'s μ-law tone, the renderer gets the endpoint\'s with its negotiated payload type and the bridge\'s SSRC', async () => {
    const { endpoint, renderer, answer } = await bridged()
    expect(answer.processedOfferId).toBe('<ice19@sfb.test>')
    endpoint.sendTone(440)
    // the stand-in sends PCMU (werift stamps its sender's codec on every packet)
    const transceiver = renderer.pc.getTransceivers()[0]!
    const sender = transceiver.sender
    sender.codec = transceiver.codecs.find((c) => c.name === 'PCMU')!
    let seq = 1
    const timer = setInterval(() => {
      const header = new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 1 })
      void sender.sendRtp(new RtpPacket(header, mulawTone(300, seq * 160, 160)))
      seq++
    }, 20)
    cleanup.push(async () => clearInterval(timer))
    await until(() => endpoint.received.length >= 25 && renderer.received.length >= 25, '25 packets each way')
    // the endpoint: PCMU as it offered it, from the SSRC the bridge announced in x-ssrc-range, with a tone's energy
    const sfbSsrc = answer.descriptions.ssrcMap.find((s) => s.kind === 'audio')!.sfb.first
    expect(new Set(endpoint.received.map((r) => r.payloadType))).toEqual(new Set([0]))
    expect(new Set(endpoint.received.map((r) => r.ssrc))).toEqual(new Set([sfbSsrc]))
    expect(endpoint.receivedEnergy()).toBeGreaterThan(2000)
    // the renderer: PCMU at the payload type the WebRTC SDP gave it, from the bridge's WebRTC SSRC (not the endpoint's)
    const webrtcPt = answer.descriptions.payloadMap.find((m) => m.codec === 'PCMU')!.webrtc
    expect(new Set(renderer.received.map((r) => r.payloadType))).toEqual(new Set([webrtcPt]))
    expect(new Set(renderer.received.map((r) => r.ssrc))).toEqual(new Set([answer.descriptions.ssrcMap.find((s) => s.kind === 'audio')!.webrtc]))
    expect(renderer.received.some((r) => r.ssrc === endpoint.ssrc)).toBe(false)
    expect(mulawRms(Buffer.concat(renderer.received.map((r) => r.payload)))).toBeGreaterThan(2000)
  })

  it('the endpoint sending with another key than its a=crypto: nothing reaches the renderer, and the call ends with SrtpAuthenticationFailed', async () => {
    const { endpoint, renderer, faults } = await bridged({ send: newSdesKey(1) })
    endpoint.sendTone(440)
    await until(() => faults.length === 1, 'the call to end')
    expect(faults[0]).toBeInstanceOf(BridgeFault)
    expect(faults[0]).toMatchObject({ reason: 'SrtpAuthenticationFailed', code: 'LocalFailure', subcode: 'MediaFailure' })
    expect(renderer.received).toEqual([])
  })
})
