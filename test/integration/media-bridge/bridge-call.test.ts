// The bridge on loopback between a werift WebRTC peer (standing in for the renderer) and a simulated SfB endpoint.
import { afterEach, describe, expect, it } from 'vitest'
import { BridgeCall } from '../../../main/media-bridge/bridge-call'
import { BridgeFault } from '../../../main/media-bridge/fault'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { mulawRms } from '../../simulator/sfb/g711'
import { rendererPeer, until } from './renderer-peer'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function bridged(wrong: Parameters<SfbEndpoint['answered']>[1] = {}) {
  const endpoint = new SfbEndpoint()
  const call = new BridgeCall()
  const renderer = rendererPeer()
  cleanup.push(() => endpoint.close(), () => call.close(), () => renderer.close())
  const faults: (BridgeFault | null)[] = []
  call.ended((f) => faults.push(f))
  const answer = await call.answer(await endpoint.offer())
  const up = call.rendererAnswered(await renderer.answer(answer.webrtcOffer))
  await Promise.all([up, endpoint.answered(answer.sfbAnswer, wrong)])
  return { endpoint, call, renderer, answer, faults }
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

  it('the endpoint sending with another key than its a=crypto: nothing reaches the renderer, and the call ends with SrtpAuthenticationFailed', async () => {
    const { endpoint, renderer, faults } = await bridged({ send: newSdesKey(1) })
    endpoint.sendTone(440)
    await until(() => faults.length === 1, 'the call to end')
    expect(faults[0]).toBeInstanceOf(BridgeFault)
    expect(faults[0]).toMatchObject({ reason: 'SrtpAuthenticationFailed', code: 'LocalFailure', subcode: 'MediaFailure' })
    expect(renderer.received).toEqual([])
  })
})
