// Chromium takes what the bridge writes: each SfB sample translated to the WebRTC dialect is accepted, and the answer keeps G.722, PCMU and H.264.
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { parse } from 'sdp-transform'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BridgeCall } from '../../main/media-bridge/bridge-call'
import { planBridge, type BridgePlan } from '../../main/media-bridge/plan'
import { readSfbSdp } from '../../main/media-bridge/sfb-read'
import { bridgeDescriptions } from '../../main/media-bridge/translate'
import { local, sampleNames, sampleSdp } from '../unit/media-bridge/samples'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: resolve(import.meta.dirname, 'chromium-as-user.sh'), headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
  page = await browser.newPage()
})
afterAll(async () => {
  await browser?.close()
})

/** setRemoteDescription(offer) then createAnswer in a fresh RTCPeerConnection (default policies: rtcp-mux required, balanced bundle). */
function answerIn(sdp: string): Promise<{ ok: true; answer: string } | { ok: false; error: string }> {
  return page.evaluate(async (offer) => {
    const pc = new RTCPeerConnection()
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer })
      const answer = await pc.createAnswer()
      await pc.setLocalDescription(answer)
      return { ok: true as const, answer: answer.sdp! }
    } catch (e) {
      return { ok: false as const, error: String(e) }
    } finally {
      pc.close()
    }
  }, sdp)
}

describe('the WebRTC dialect in Chromium', () => {
  for (const name of sampleNames) {
    it(`${name}: the translated offer is accepted; the answer keeps G722 and PCMU, and H264 at the mapped payload type`, async () => {
      const offer = readSfbSdp(sampleSdp(name))
      const plan = planBridge(offer) as BridgePlan
      const { webrtcOffer, payloadMap } = bridgeDescriptions(offer, plan, local)
      const result = await answerIn(webrtcOffer.sdp)
      if (!result.ok) throw new Error(`Chromium refused the translated offer: ${result.error}\n${webrtcOffer.sdp}`)
      const answer = parse(result.answer)
      const audio = answer.media.find((m) => m.type === 'audio')!
      expect(audio.port).not.toBe(0)
      const audioCodecs = audio.rtp.map((r) => `${r.payload} ${r.codec}/${r.rate}`)
      expect(audioCodecs).toEqual(expect.arrayContaining(['9 G722/8000', '0 PCMU/8000']))
      for (const r of audio.rtp) expect(payloadMap.some((m) => m.kind === 'audio' && m.webrtc === r.payload)).toBe(true)
      const video = answer.media.find((m) => m.type === 'video')
      if (!plan.video) {
        expect(video).toBeUndefined()
        return
      }
      expect(video!.port).not.toBe(0)
      const h264 = payloadMap.find((m) => m.codec === 'H264')!.webrtc
      expect(video!.rtp.map((r) => `${r.payload} ${r.codec}/${r.rate}`)).toEqual([`${h264} H264/90000`])
      expect(video!.fmtp.find((f) => f.payload === h264)?.config).toMatch(/packetization-mode=1/)
      expect(video!.fmtp.find((f) => f.payload === h264)?.config).toMatch(/profile-level-id=42e01f/)
    })
  }

  it('refuses the same samples untranslated (which is why the bridge translates)', async () => {
    for (const name of sampleNames) {
      const result = await answerIn(sampleSdp(name))
      expect(result.ok, name).toBe(false)
    }
  })

  it('answers Chromium’s own offer as calls do (BridgeCall.offer): Chromium takes the answer, its H.264 in mode 1 constrained baseline, and the SfB part is one the bridge itself would take', async () => {
    const offer = await page.evaluate(async () => {
      const pc = new RTCPeerConnection()
      pc.addTransceiver('audio')
      pc.addTransceiver('video')
      pc.createDataChannel('chat')
      const o = await pc.createOffer()
      ;(window as unknown as { pc: RTCPeerConnection }).pc = pc
      await pc.setLocalDescription(o)
      return o.sdp!
    })
    const call = new BridgeCall()
    try {
      const own = await call.offer(offer)
      const error = await page.evaluate(async (answer) => {
        const pc = (window as unknown as { pc: RTCPeerConnection }).pc
        try {
          await pc.setRemoteDescription({ type: 'answer', sdp: answer })
          return pc.getTransceivers().map((t) => `${t.mid} ${t.currentDirection}`).join(', ')
        } catch (e) {
          return `refused: ${String(e)}`
        } finally {
          pc.close()
        }
      }, own.webrtcAnswer)
      expect(error).toBe('0 sendrecv, 1 sendrecv')
      const h264 = parse(own.webrtcAnswer).media[1]!.rtp.map((r) => r.payload)
      expect(h264).toHaveLength(1)
      expect(parse(offer).media[1]!.fmtp.find((f) => f.payload === h264[0])?.config).toMatch(/packetization-mode=1.*profile-level-id=42e01f|profile-level-id=42e01f.*packetization-mode=1/)
      const sfb = planBridge(readSfbSdp(own.sfbOffer)) as BridgePlan
      expect([sfb.audio.codecs.map((c) => c.name), sfb.video?.codecs.map((c) => c.name)]).toEqual([['G722', 'PCMU', 'PCMA'], ['X-H264UC']])
    } finally {
      await call.close()
    }
  })
})
