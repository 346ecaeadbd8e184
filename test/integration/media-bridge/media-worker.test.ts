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

  it('a second call under the same key closes the first: the first call\'s media stops reaching its renderer', async () => {
    const { worker, endpoint, renderer } = await callThroughWorker()
    endpoint.sendTone(440)
    await until(() => renderer.received.length >= 10, 'media to flow')
    const second = new SfbEndpoint()
    cleanup.push(() => second.close())
    await worker.answer('call-1', await second.offer(), () => undefined)
    await new Promise((r) => setTimeout(r, 200))
    const before = renderer.received.length
    await new Promise((r) => setTimeout(r, 400))
    expect(renderer.received.length).toBe(before)
  })

  it('warmed, Parley’s own offer takes pool legs gathered before the call (their ports in the SfB part), the next call a new set, and the call carries audio both ways', async () => {
    const [caller, callee] = [new MediaWorker(), new MediaWorker()]
    const [alice, bob] = [rendererPeer(), rendererPeer()]
    cleanup.push(() => alice.close(), () => bob.close(), () => caller.stop(), () => callee.stop())
    const spare = await caller.warm()
    expect(spare).toHaveLength(4) // audio and video, RTP and RTCP each
    const portsOf = (sdp: string) => [...sdp.matchAll(/^a=candidate:\S+ \d \S+ \d+ \S+ (\d+) typ host/gm)].map((m) => Number(m[1]))
    const own = await caller.offer('out-1', await alice.offer(), () => undefined)
    // audio only was offered by this renderer: its two components are the spare audio leg's; the video leg is closed
    expect(portsOf(own.sfbOffer)).toEqual(spare.slice(0, 2))
    const next = await caller.warm()
    expect(next).toHaveLength(4)
    expect(next.filter((p) => spare.includes(p))).toEqual([])

    // the far side is another bridge answering the SfB part alone: what flows went through both pool legs
    const answer = await callee.answer('in-1', { contentType: 'application/sdp', body: own.sfbOffer }, () => undefined)
    await Promise.all([alice.accept(own.webrtcAnswer), caller.poolAnswered('out-1', answer.sfbAnswer), callee.rendererAnswered('in-1', await bob.answer(answer.webrtcOffer))])
    alice.sendTone(440)
    bob.sendTone(300)
    await until(() => alice.received.length >= 25 && bob.received.length >= 25, '25 packets each way')
  })
})
