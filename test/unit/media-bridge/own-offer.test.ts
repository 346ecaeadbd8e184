// Parley's own offer through the bridge: the renderer's WebRTC offer becomes the SfB part, and the renderer gets an answer it can take.
import { parse } from 'sdp-transform'
import { describe, expect, it } from 'vitest'
import { bridgeOwnOffer, writeOwnSfbOffer } from '../../../main/media-bridge/own-offer'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { local } from './samples'

/** A Chromium-style offer: Opus first, G722/PCMU/PCMA, telephone-event at 126; VP8, H264 in three profiles/modes; a third, data line. */
const rendererOffer = [
  'v=0', 'o=- 4611 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2', 'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 13 110 126', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 00:11', 'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2', 'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000', 'a=rtpmap:126 telephone-event/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 104 102 112 106', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 00:11', 'a=setup:actpass', 'a=mid:1', 'a=recvonly', 'a=rtcp-mux',
  'a=rtpmap:96 VP8/90000', 'a=rtpmap:104 H264/90000', 'a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  'a=rtpmap:102 H264/90000', 'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640032',
  'a=rtpmap:106 H264/90000', 'a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:112 H264/90000', 'a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:2', 'a=sctp-port:5000',
  '',
].join('\r\n')

describe('Parley’s own offer through the bridge', () => {
  const own = bridgeOwnOffer(rendererOffer, local)!

  it('writes the SfB part with SfB payload types, a fresh key per line, mux offered beside component 2', () => {
    const sfb = readSfbSdp(own.sfbOffer.sdp)
    expect(sfb.sections.map((s) => [s.kind, s.profile, s.formats])).toEqual([
      ['audio', 'RTP/SAVP', ['9', '0', '8', '13', '101']],
      ['video', 'RTP/SAVP', ['122']],
    ])
    expect(sfb.sections.map((s) => [s.rtcpMux, s.rtcp?.port, s.candidates.map((c) => c.component)])).toEqual([
      [true, 40001, [1, 2]],
      [true, 40011, [1, 2]],
    ])
    expect(sfb.sections.map((s) => s.keys[0]!.keySalt)).toEqual(own.keys.map((k) => k.send.keySalt))
    expect(own.keys[0]!.send.keySalt.equals(own.keys[1]!.send.keySalt)).toBe(false)
    // what an SfB endpoint reads of it, the bridge itself would take
    const plan = planBridge(sfb) as BridgePlan
    expect([plan.audio.codecs.length, plan.video?.codecs[0]?.name, plan.notices]).toEqual([5, 'X-H264UC', []])
  })

  it('maps the renderer’s payload types (telephone-event 126, H264 in constrained baseline mode 1 at 106) to SfB’s', () => {
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

  it('answers the renderer on every m= line with its mids, mirrored directions, the data line rejected', () => {
    const answer = parse(own.webrtcAnswer.sdp)
    expect(answer.media.map((m) => [m.type, String(m.mid), m.port === 0, m.direction, m.setup ?? null])).toEqual([
      ['audio', '0', false, 'sendrecv', 'passive'],
      ['video', '1', false, 'sendonly', 'passive'],
      ['application', '2', true, 'inactive', null],
    ])
    expect(answer.groups).toEqual([{ type: 'BUNDLE', mids: '0 1' }])
    expect(answer.media[1]!.rtp.map((r) => [r.payload, r.codec])).toEqual([[106, 'H264']])
  })

  it('gives no offer when the renderer offered no audio the bridge can carry', () => {
    const opusOnly = rendererOffer.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 13 110 126', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 13 110 126')
    expect(bridgeOwnOffer(opusOnly, local)).toBeNull()
  })
})

describe('the SfB part of Parley’s own offer as BridgeCall writes it (writeOwnSfbOffer)', () => {
  const sfbLocal = (kind: 'audio' | 'video') => ({ ...local.sfb[kind] })
  it('offers each line in the direction the renderer offered it: an audio call receives video, it does not send it', () => {
    const taken = [
      { kind: 'audio' as const, payloadTypes: { PCMU: 0 }, ssrc: 5001, direction: 'sendrecv' as const },
      { kind: 'video' as const, payloadTypes: { H264: 106 }, ssrc: 5002, direction: 'recvonly' as const },
    ]
    const sfb = readSfbSdp(writeOwnSfbOffer(taken, { audio: sfbLocal('audio'), video: sfbLocal('video') }).sdp)
    expect(sfb.sections.map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'sendrecv'],
      ['video', 'recvonly'],
    ])
  })
})
