// Chromium ↔ media bridge ↔ simulated SfB endpoint: a page's RTCPeerConnection (fake microphone) takes the bridge's WebRTC offer; audio flows both ways.
import { createServer, type Server } from 'node:http'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BridgeCall } from '../../main/media-bridge/bridge-call'
import { SfbEndpoint } from '../simulator/sfb/endpoint'
import { launchChromium } from './harness'

let context: BrowserContext
let page: Page
let server: Server

beforeAll(async () => {
  // a page on http://127.0.0.1 is a secure context: getUserMedia works there
  server = createServer((_, res) => res.end('<!doctype html><title>bridge</title>'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  context = await launchChromium('parley-bridge-', { args: ['--autoplay-policy=no-user-gesture-required'] })
  page = context.pages()[0] ?? (await context.newPage())
  const address = server.address() as { port: number }
  await page.goto(`http://127.0.0.1:${address.port}/`)
})
afterAll(async () => {
  await context?.close()
  server?.close()
})

/** In the page: the fake microphone (and camera) on the offered sections (PCMU sent), remote media on <audio>/<video> elements; returns the answer after gathering. */
function answerInPage(offer: string, video = false): Promise<string> {
  return page.evaluate(
    async ({ sdp, video }) => {
      const pc = new RTCPeerConnection()
      ;(window as unknown as { pc: RTCPeerConnection }).pc = pc
      pc.ontrack = (e) => {
        const el = document.createElement(e.track.kind === 'video' ? 'video' : 'audio')
        el.autoplay = true
        el.muted = e.track.kind === 'video'
        el.srcObject = new MediaStream([e.track])
        document.body.append(el)
      }
      const devices = await navigator.mediaDevices.getUserMedia({ audio: true, video })
      await pc.setRemoteDescription({ type: 'offer', sdp })
      for (const x of pc.getTransceivers()) {
        x.direction = 'sendrecv'
        await x.sender.replaceTrack(devices.getTracks().find((track) => track.kind === x.receiver.track.kind) ?? null)
      }
      const t = pc.getTransceivers().find((x) => x.receiver.track.kind === 'audio')!
      await pc.setLocalDescription(await pc.createAnswer())
      // the answerer sends the offer's first codec (G.722) unless told: send PCMU, which the endpoint decodes (RTCRtpEncodingParameters.codec)
      const params = t.sender.getParameters()
      const pcmu = params.codecs.find((c) => c.mimeType === 'audio/PCMU')
      if (pcmu) await t.sender.setParameters({ ...params, encodings: params.encodings.map((e) => ({ ...e, codec: pcmu })) })
      if (pc.iceGatheringState !== 'complete') await new Promise<void>((r) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()))
      return pc.localDescription!.sdp
    },
    { sdp: offer, video },
  )
}

function inboundVideo(): Promise<{ framesDecoded: number; codec: string | null; pliCount: number }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc
    const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[]
    const rtp = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'video') ?? {}
    const codec = stats.find((s) => s.id === rtp.codecId)
    return { framesDecoded: Number(rtp.framesDecoded ?? 0), codec: codec ? String(codec.mimeType) : null, pliCount: Number(rtp.pliCount ?? 0) }
  })
}

function inboundAudio(): Promise<{ packetsReceived: number; totalAudioEnergy: number; payloadType: number | null; connection: string }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc
    const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[]
    const rtp = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'audio') ?? {}
    const codec = stats.find((s) => s.id === rtp.codecId)
    return { packetsReceived: Number(rtp.packetsReceived ?? 0), totalAudioEnergy: Number(rtp.totalAudioEnergy ?? 0), payloadType: codec ? Number(codec.payloadType) : null, connection: pc.connectionState }
  })
}

describe('Chromium through the media bridge to an SfB endpoint', () => {
  it('the page hears the endpoint\'s tone (inbound-rtp energy on an <audio> element) and the endpoint hears the fake microphone', async () => {
    const endpoint = new SfbEndpoint()
    const call = new BridgeCall()
    try {
      const answer = await call.answer(await endpoint.offer())
      const pageAnswer = await answerInPage(answer.webrtcOffer)
      await Promise.all([call.rendererAnswered(pageAnswer), endpoint.answered(answer.sfbAnswer)])
      endpoint.sendTone(440)
      let stats = await inboundAudio()
      for (const end = Date.now() + 20_000; Date.now() < end && !(stats.totalAudioEnergy > 0 && endpoint.received.length >= 50); ) {
        await new Promise((r) => setTimeout(r, 200))
        stats = await inboundAudio()
      }
      expect(stats.connection).toBe('connected')
      expect(stats.packetsReceived).toBeGreaterThan(20)
      expect(stats.payloadType).toBe(answer.descriptions.payloadMap.find((m) => m.codec === 'PCMU')!.webrtc)
      expect(stats.totalAudioEnergy).toBeGreaterThan(0)
      // Chromium sent PCMU (preferred in its answer); the endpoint got it from the bridge's SfB SSRC, with a tone's energy
      expect(endpoint.received.length).toBeGreaterThanOrEqual(50)
      expect(new Set(endpoint.received.map((r) => r.ssrc))).toEqual(new Set([answer.descriptions.ssrcMap.find((s) => s.kind === 'audio')!.sfb.first]))
      expect(new Set(endpoint.received.map((r) => r.payloadType))).toEqual(new Set([0]))
      expect(endpoint.receivedEnergy()).toBeGreaterThan(100)
    } finally {
      await call.close()
      await endpoint.close()
    }
  })

  it('video: the camera\'s H.264 goes through the bridge to the endpoint, which reflects it with PACSI; Chromium decodes the frames', async () => {
    const endpoint = new SfbEndpoint({ video: true })
    const call = new BridgeCall()
    try {
      const answer = await call.answer(await endpoint.offer())
      const pageAnswer = await answerInPage(answer.webrtcOffer, true)
      await Promise.all([call.rendererAnswered(pageAnswer), endpoint.answered(answer.sfbAnswer)])
      let stats = await inboundVideo()
      for (const end = Date.now() + 30_000; Date.now() < end && stats.framesDecoded < 20; ) {
        await new Promise((r) => setTimeout(r, 250))
        stats = await inboundVideo()
      }
      expect(stats.codec).toBe('video/H264')
      expect(stats.framesDecoded).toBeGreaterThanOrEqual(20)
      // the endpoint got X-H264UC at its own payload type from the bridge's video SSRC range
      const video = answer.descriptions.ssrcMap.find((s) => s.kind === 'video')!
      expect(new Set(endpoint.videoReceived.map((r) => r.payloadType))).toEqual(new Set([122]))
      expect(new Set(endpoint.videoReceived.map((r) => r.ssrc))).toEqual(new Set([video.sfb.first]))
    } finally {
      await call.close()
      await endpoint.close()
    }
  })
})
