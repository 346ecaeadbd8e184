// Parley's own offer through the bridge, the pure parts BridgeCall.offer runs: the renderer's WebRTC offer narrowed to the
// H.264 the bridge carries (werift answers it), the gate the BridgingAgent asks, and the SfB part written from what werift took.
import { parse } from 'sdp-transform'
import { describe, expect, it } from 'vitest'
import { offersBridgeableAudio, withBridgeableH264, writeOwnSfbOffer, type TakenKind } from '../../../main/media-bridge/own-offer'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { local, rendererOffer } from './samples'


describe('the renderer’s offer as werift is given it (withBridgeableH264)', () => {
  const video = (sdp: string) => parse(sdp).media[1]!

  it('keeps on the video line only the H.264 X-H264UC carries: constrained baseline in packetization-mode 1 (106), not mode 0 (104), High (102) or baseline (112)', () => {
    const narrowed = video(withBridgeableH264(rendererOffer))
    expect(String(narrowed.payloads)).toBe('96 106')
    expect(narrowed.rtp.map((r) => [r.payload, r.codec])).toEqual([[96, 'VP8'], [106, 'H264']])
    expect(narrowed.fmtp.map((f) => f.payload)).toEqual([106])
    // the rest of the offer is as the renderer wrote it
    expect(parse(withBridgeableH264(rendererOffer)).media.map((m) => [m.type, String(m.mid), m.direction ?? null])).toEqual(parse(rendererOffer).media.map((m) => [m.type, String(m.mid), m.direction ?? null]))
    expect(parse(withBridgeableH264(rendererOffer)).media[0]).toEqual(parse(rendererOffer).media[0])
  })

  it('plain baseline in mode 1 when there is no constrained baseline; the RTX types repairing a dropped H.264 go with it', () => {
    const noCb = rendererOffer.replace('profile-level-id=42e01f\r\na=rtpmap:112', 'profile-level-id=640033\r\na=rtpmap:112').replace(/packetization-mode=1;profile-level-id=42e01f/, 'packetization-mode=1;profile-level-id=64001f')
    const withRtx = noCb.replace('m=video 9 UDP/TLS/RTP/SAVPF 96 104 102 112 106', 'm=video 9 UDP/TLS/RTP/SAVPF 96 104 105 102 112 113 106').replace('a=rtpmap:102 H264/90000', 'a=rtpmap:105 rtx/90000\r\na=fmtp:105 apt=104\r\na=rtpmap:113 rtx/90000\r\na=fmtp:113 apt=112\r\na=rtpmap:102 H264/90000')
    const narrowed = video(withBridgeableH264(withRtx))
    expect(String(narrowed.payloads)).toBe('96 112 113')
    expect(narrowed.fmtp.map((f) => [f.payload, f.config])).toEqual([[113, 'apt=112'], [112, 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f']])
  })

  it('an offer with no H.264 the bridge can carry is given to werift as it came', () => {
    const modeZeroOnly = rendererOffer.replace(/packetization-mode=1/g, 'packetization-mode=0')
    expect(withBridgeableH264(modeZeroOnly)).toBe(modeZeroOnly)
  })
})

describe('whether the BridgingAgent writes an SfB part at all (offersBridgeableAudio)', () => {
  it('yes for G.722, PCMU or PCMA on a live audio line; no for Opus alone, or a rejected line', () => {
    expect(offersBridgeableAudio(rendererOffer)).toBe(true)
    expect(offersBridgeableAudio(rendererOffer.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 13 110 126', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 13 110 126'))).toBe(false)
    expect(offersBridgeableAudio(rendererOffer.replace('m=audio 9 ', 'm=audio 0 '))).toBe(false)
  })
})

describe('the SfB part of Parley’s own offer as BridgeCall writes it (writeOwnSfbOffer)', () => {
  const sfbLocal = (kind: 'audio' | 'video') => ({ ...local.sfb[kind] })
  /** what RendererLeg.answerOffer reports werift took of a Chromium offer: its payload types, its SSRCs, the offered directions */
  const taken: TakenKind[] = [
    { kind: 'audio', payloadTypes: { G722: 9, PCMU: 0, PCMA: 8, CN: 13, 'telephone-event': 126 }, ssrc: 5001, direction: 'sendrecv' },
    { kind: 'video', payloadTypes: { H264: 106 }, ssrc: 5002, direction: 'recvonly' },
  ]
  const own = writeOwnSfbOffer(taken, { audio: sfbLocal('audio'), video: sfbLocal('video') })

  it('writes the SfB part with SfB payload types, a fresh key per line, mux offered beside component 2', () => {
    const sfb = readSfbSdp(own.sdp)
    expect(sfb.sections.map((s) => [s.kind, s.profile, s.formats])).toEqual([
      ['audio', 'RTP/SAVP', ['9', '0', '8', '13', '101']],
      ['video', 'RTP/SAVP', ['122']],
    ])
    expect(sfb.sections.map((s) => [s.rtcpMux, s.rtcp?.port, s.candidates.map((c) => c.component)])).toEqual([
      [true, 40001, [1, 2]],
      [true, 40011, [1, 2]],
    ])
    expect(sfb.sections.map((s) => s.keys[0]!.keySalt)).toEqual(own.sections.map((s) => s.key.keySalt))
    expect(own.sections[0]!.key.keySalt.equals(own.sections[1]!.key.keySalt)).toBe(false)
    // what an SfB endpoint reads of it, the bridge itself would take
    const plan = planBridge(sfb) as BridgePlan
    expect([plan.audio.codecs.length, plan.video?.codecs[0]?.name, plan.notices]).toEqual([5, 'X-H264UC', []])
  })

  it('maps the renderer’s payload types (telephone-event 126, H264 at 106) to SfB’s, and its SSRCs to the bridge’s x-ssrc-range', () => {
    expect(own.payloadMap).toEqual([
      { kind: 'audio', codec: 'G722', sfb: 9, webrtc: 9 },
      { kind: 'audio', codec: 'PCMU', sfb: 0, webrtc: 0 },
      { kind: 'audio', codec: 'PCMA', sfb: 8, webrtc: 8 },
      { kind: 'audio', codec: 'CN', sfb: 13, webrtc: 13 },
      { kind: 'audio', codec: 'telephone-event', sfb: 101, webrtc: 126 },
      { kind: 'video', codec: 'H264', sfb: 122, webrtc: 106 },
    ])
    expect(own.ssrcMap).toEqual([
      { kind: 'audio', sfb: { first: 3000, last: 3000 }, webrtc: 5001 },
      { kind: 'video', sfb: { first: 4000, last: 4099 }, webrtc: 5002 },
    ])
  })

  it('offers each line in the direction the renderer offered it: an audio call receives video, it does not send it', () => {
    const sfb = readSfbSdp(own.sdp)
    expect(sfb.sections.map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'sendrecv'],
      ['video', 'recvonly'],
    ])
  })
})
