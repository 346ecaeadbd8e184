// The bridge on loopback between a werift WebRTC peer (standing in for the renderer) and a simulated SfB endpoint.
import { RtpHeader, RtpPacket } from 'werift'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseMediaBody } from '../../../main/media-bridge/body'
import { BridgeCall } from '../../../main/media-bridge/bridge-call'
import { BridgeFault } from '../../../main/media-bridge/fault'
import { RendererLeg } from '../../../main/media-bridge/renderer-leg'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { SfbDescription } from '../../../main/media-bridge/sfb-description'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { mulawRms } from '../../simulator/sfb/g711'
import { rendererPeer, until } from './renderer-peer'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function bridged(wrong: Parameters<SfbEndpoint['answered']>[1] = {}, video = false, mki?: number) {
  const endpoint = new SfbEndpoint({ video, ...(mki && { mki }) })
  const call = new BridgeCall()
  const renderer = rendererPeer({ video })
  cleanup.push(() => endpoint.close(), () => call.close(), () => renderer.close())
  const faults: (BridgeFault | null)[] = []
  call.ended((f) => faults.push(f))
  const offer = await endpoint.offer()
  const answer = await call.answer(offer)
  const up = call.rendererAnswered(await renderer.answer(answer.webrtcOffer))
  await Promise.all([up, endpoint.answered(answer.sfbAnswer, wrong)])
  return { endpoint, call, renderer, answer, faults, offer }
}

describe('media bridge: SfB endpoint ↔ bridge ↔ WebRTC peer on loopback', () => {
  it('carries audio both ways: the SfB endpoint decodes the renderer\'s μ-law tone, the renderer gets the endpoint\'s with its negotiated payload type and the bridge\'s SSRC', async () => {
    const { endpoint, renderer, answer } = await bridged()
    expect(answer.processedOfferId).toBe('<ice19@sfb.test>')
    endpoint.sendTone(440)
    renderer.sendTone(300)
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

  it('an offer whose a=crypto carries an MKI (|1:4): the bridge reads and strips the 4 MKI bytes of every packet and the tone reaches the renderer', async () => {
    const { endpoint, renderer, answer } = await bridged({}, false, 4)
    expect(answer.descriptions.keys[0]!.receive.mki).toEqual({ value: 1, length: 4 })
    endpoint.sendTone(440)
    await until(() => renderer.received.length >= 10, '10 packets at the renderer')
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

  it('video: H.264 both ways, a PACSI added toward the pool, none (nor the endpoint’s own) reaching the renderer and leaves no sequence gap; a PLI goes round through the pool', async () => {
    const { endpoint, renderer, answer } = await bridged({}, true)
    const t = renderer.pc.getTransceivers().find((x) => x.kind === 'video')!
    let seq = 1000
    const timer = setInterval(() => {
      // one frame = one single-NAL packet (type 5, IDR slice; not decodable, the bridge does not decode)
      const header = new RtpHeader({ version: 2, payloadType: 122, sequenceNumber: seq, timestamp: seq * 3000, ssrc: 1, marker: true })
      void t.sender.sendRtp(new RtpPacket(header, Buffer.from([0x65, seq & 0xff, 1, 2, 3])))
      seq++
    }, 33)
    cleanup.push(async () => clearInterval(timer))
    await until(() => renderer.video.length >= 30, '30 reflected video packets')
    const webrtcPt = answer.descriptions.payloadMap.find((m) => m.codec === 'H264')!.webrtc
    // the endpoint got them at X-H264UC's payload type, each frame (one packet here) a STAP-A led by a PACSI
    expect(new Set(endpoint.videoReceived.map((r) => r.payloadType))).toEqual(new Set([122]))
    expect(endpoint.videoReceived.every((r) => (r.payload[0]! & 0x1f) === 24 && (r.payload[3]! & 0x1f) === 30)).toBe(true)
    expect(renderer.video.every((v) => v.payloadType === webrtcPt)).toBe(true)
    expect(renderer.video.filter((v) => (v.payload[0]! & 0x1f) === 30)).toEqual([])
    expect(renderer.video.every((v) => (v.payload[0]! & 0x1f) === 5)).toBe(true)
    const gaps = renderer.video.slice(1).filter((v, i) => ((v.sequenceNumber - renderer.video[i]!.sequenceNumber) & 0xffff) !== 1)
    expect(gaps).toEqual([])
    // PLI: renderer → bridge → pool (x-pli as RFC 4585 PLI) → reflected by the endpoint → bridge → PLI to the renderer's sender
    const inbound = Number(Object.keys(t.receiver.trackBySSRC)[0])
    await t.receiver.sendRtcpPLI(inbound)
    await until(() => endpoint.plisReceived >= 1 && renderer.plis >= 1, 'the PLI to go round')
  }, 30_000)

  it('the far side\'s re-offer rejects the video line (port 0): the re-answer rejects it too (RFC 3264 8.2) and the renderer is offered video inactive', async () => {
    const { call, offer } = await bridged({}, true)
    const part = parseMediaBody(offer.body, offer.contentType).parts.at(-1)!.sdp
    const r = await call.answerReoffer(part.replace(/^m=video \d+/m, 'm=video 0'))
    expect(r.sfbReanswer).toMatch(/^m=video 0 /m)
    expect(r.sfbReanswer).toMatch(/^m=audio [1-9]\d* /m)
    expect(r.webrtcReoffer).toMatch(/^m=video [\s\S]*?a=inactive\r$/m)
  })

  it('a throw while writing the description after the pool\'s ICE completed (startPool, while ringing): the call ends with RelayCrashed and startPool rejects with it', async () => {
    const endpoint = new SfbEndpoint()
    const call = new BridgeCall()
    cleanup.push(() => endpoint.close(), () => call.close())
    const faults: (BridgeFault | null)[] = []
    call.ended((f) => faults.push(f))
    const answer = await call.answer(await endpoint.offer())
    const spy = vi.spyOn(SfbDescription.prototype, 'afterIce').mockImplementation(() => {
      throw new Error('cannot write')
    })
    cleanup.push(async () => spy.mockRestore())
    const [started] = await Promise.allSettled([call.startPool(), endpoint.answered(answer.sfbAnswer)])
    expect(started).toMatchObject({ status: 'rejected', reason: { name: 'BridgeFault', reason: 'RelayCrashed' } })
    expect(faults).toEqual([expect.objectContaining({ reason: 'RelayCrashed' })])
  })

  it('the renderer gone mid-call (its connection closed, consent expired) ends the call with RendererConnectionFailed, and the pool leg stops sending', async () => {
    const { endpoint, renderer, faults } = await bridged()
    renderer.sendTone(300)
    await until(() => endpoint.received.length >= 5, 'media to flow')
    await renderer.close()
    // werift closes without a DTLS close_notify: the bridge learns it when consent expires (RFC 7675: 30 s)
    await until(() => faults.length === 1, 'the call to end', 45_000)
    expect(faults[0]).toMatchObject({ reason: 'RendererConnectionFailed', subcode: 'MediaFailure' })
    await new Promise((r) => setTimeout(r, 200))
    const after = endpoint.received.length
    await new Promise((r) => setTimeout(r, 300))
    expect(endpoint.received.length).toBe(after)
  }, 60_000)
})

describe('media bridge: closed while it opens', () => {
  const udpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length

  it('close() while answer() is still opening its legs: answer rejects with RelayCrashed and no UDP socket is left open', async () => {
    const endpoint = new SfbEndpoint({ video: true })
    const offer = await endpoint.offer()
    cleanup.push(() => endpoint.close())
    await new Promise((r) => setTimeout(r, 200)) // sockets from earlier tests finish closing
    const before = udpSockets()
    const call = new BridgeCall()
    const answering = call.answer(offer)
    await call.close()
    await expect(answering).rejects.toMatchObject({ reason: 'RelayCrashed', message: "The call's media was closed while it was being set up." })
    await until(() => udpSockets() === before, 'every socket the bridge opened to be closed', 5000)
  })

  it('the renderer leg failing while answer() prepares it (after it gathered): answer rejects with RelayCrashed and its socket is closed too', async () => {
    const endpoint = new SfbEndpoint()
    const offer = await endpoint.offer()
    cleanup.push(() => endpoint.close())
    await new Promise((r) => setTimeout(r, 200)) // sockets from earlier tests finish closing
    const before = udpSockets()
    const prepare = RendererLeg.prototype.prepare
    const spy = vi.spyOn(RendererLeg.prototype, 'prepare').mockImplementation(async function (this: RendererLeg, stream: string) {
      await prepare.call(this, stream)
      throw new Error('prepare failed after gathering')
    })
    cleanup.push(async () => spy.mockRestore())
    const call = new BridgeCall()
    await expect(call.answer(offer)).rejects.toMatchObject({ reason: 'RelayCrashed' })
    await until(() => udpSockets() === before, 'every socket the bridge opened to be closed', 5000)
  })
})
