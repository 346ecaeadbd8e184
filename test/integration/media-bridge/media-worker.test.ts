// The bridge in its worker thread: the same call through the message API, and a dead worker ending the call, not the process.
import { afterEach, describe, expect, it } from 'vitest'
import type { BridgeFault } from '../../../main/media-bridge/fault'
import { MediaWorker } from '../../../main/media-bridge/media-worker-host'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { rendererPeer, until } from './renderer-peer'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function callThroughWorker() {
  const worker = new MediaWorker()
  const endpoint = new SfbEndpoint()
  const renderer = rendererPeer()
  cleanup.push(() => endpoint.close(), () => renderer.close(), () => worker.stop())
  const faults: BridgeFault[] = []
  const answer = await worker.answer('call-1', await endpoint.offer(), (f) => faults.push(f))
  await Promise.all([worker.rendererAnswered('call-1', await renderer.answer(answer.webrtcOffer)), endpoint.answered(answer.sfbAnswer)])
  return { worker, endpoint, renderer, faults, answer }
}

describe('media bridge in a worker thread', () => {
  it('relays audio both ways off the main thread', async () => {
    const { endpoint, renderer, answer } = await callThroughWorker()
    endpoint.sendTone(440)
    renderer.sendTone(300)
    await until(() => endpoint.received.length >= 25 && renderer.received.length >= 25, '25 packets each way')
    expect(endpoint.receivedEnergy()).toBeGreaterThan(2000)
    expect(new Set(renderer.received.map((r) => r.ssrc))).toEqual(new Set([answer.ssrcMap[0]!.webrtc]))
  })

  it('an offer with no audio (RTVideo only) is refused with its typed reason through the message API', async () => {
    const worker = new MediaWorker()
    cleanup.push(() => worker.stop())
    const sdp = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 5000 RTP/SAVP 121\r\na=rtpmap:121 x-rtvc1/90000\r\n'
    await expect(worker.answer('call-2', { contentType: 'application/sdp', body: sdp }, () => undefined)).rejects.toMatchObject({ code: 'LocalFailure', subcode: 'MediaNegotiationFailure', declineReason: 'UnsupportedMedia', message: 'The other side offered no audio Parley can take.' })
  })

  it('a worker that dies ends its call with RelayCrashed; this process and its endpoint go on', async () => {
    const { worker, endpoint, faults } = await callThroughWorker()
    endpoint.sendTone(440)
    await worker.thread.terminate()
    await until(() => faults.length === 1, 'the call to end')
    expect(faults[0]).toMatchObject({ reason: 'RelayCrashed', subcode: 'MediaFailure' })
    const before = endpoint.received.length
    await new Promise((r) => setTimeout(r, 300))
    expect(endpoint.received.length).toBe(before)
  })
})
