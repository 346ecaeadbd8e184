// Writing both dialects from a neutral leg ([MS-SDPEXT] for the pool, JSEP for Chromium) and translating each sample.
import { parse } from 'sdp-transform'
import { describe, expect, it } from 'vitest'
import type { IceCandidate } from '../../../main/media-bridge/ice'
import type { SfbLeg, WebrtcLeg } from '../../../main/media-bridge/leg'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import { bridgeDescriptions } from '../../../main/media-bridge/translate'
import { writeWebrtcSdp } from '../../../main/media-bridge/webrtc-write'
import { editLines, host, local, sampleNames, sampleSdp } from './samples'

const tcp = (tcpType: 'active' | 'passive', component: number): IceCandidate => ({ foundation: '2', component, transport: 'tcp', tcpType, priority: 1684930559 - component, address: '198.51.100.7', port: 50300, type: 'srflx', relAddress: '10.0.0.7', relPort: 50300 })
const v6: IceCandidate = { ...host('2001:db8::7', 50400), foundation: '3', priority: 2130705407 }

function sfbLeg(rtcpMux: boolean): SfbLeg {
  const audio = [host('192.0.2.7', 50200), host('192.0.2.7', 50201, 2), tcp('active', 1), tcp('passive', 2), v6]
  return {
    bandwidthCt: 99980,
    sections: [
      { kind: 'audio', codecs: ['G722', 'PCMU', 'PCMA', 'CN', 'telephone-event'], ssrcs: { first: 77, last: 77 }, ice: { ufrag: 'Ab1c', pwd: 'Pq2rSt3uVw4xYz5aBc6dEf7g' }, candidates: audio, rtcpMux, key: newSdesKey(1) },
      { kind: 'video', codecs: ['H264'], ssrcs: { first: 100, last: 199 }, ice: { ufrag: 'Gh8i', pwd: 'Jk9lMn0oPq1rSt2uVw3xYz4a' }, candidates: [host('192.0.2.7', 50210), host('192.0.2.7', 50211, 2)], rtcpMux, key: newSdesKey(1) },
    ],
  }
}

describe('the SfB dialect written', () => {
  it('without mux: RTP/SAVP, a=crypto, ICE 19 with TCP-ACT/TCP-PASS and x-candidate-ipv6, RTCP on component 2, SfB payload types, no mid or BUNDLE or fingerprint', () => {
    const leg = sfbLeg(false)
    const { sdp, payloadTypes } = writeSfbSdp(leg)
    const lines = sdp.split('\r\n')
    expect(lines.slice(0, 6)).toEqual(['v=0', 'o=- 0 0 IN IP4 192.0.2.7', 's=session', 'c=IN IP4 192.0.2.7', 'b=CT:99980', 't=0 0'])
    expect(lines).toContain('m=audio 50200 RTP/SAVP 9 0 8 13 101')
    expect(lines).toContain('m=video 50210 RTP/SAVP 122')
    expect(lines).toContain('a=fmtp:122 packetization-mode=1;mst-mode=NI-TC')
    expect(lines).toContain('a=rtpmap:122 X-H264UC/90000')
    expect(lines).toContain('a=rtcp:50201 IN IP4 192.0.2.7')
    expect(lines).toContain('a=candidate:2 1 TCP-ACT 1684930558 198.51.100.7 50300 typ srflx raddr 10.0.0.7 rport 50300')
    expect(lines).toContain('a=candidate:2 2 TCP-PASS 1684930557 198.51.100.7 50300 typ srflx raddr 10.0.0.7 rport 50300')
    expect(lines).toContain('a=x-candidate-ipv6:3 1 UDP 2130705407 2001:db8::7 50400 typ host')
    expect(lines).toContain('a=x-ssrc-range:100-199')
    expect(lines).toContain('a=label:main-video')
    expect(lines).toContain('a=rtcp-fb:* x-message app send:src,x-pli recv:src,x-pli')
    expect(lines).toContain(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${leg.sections[0]!.key.keySalt.toString('base64')}|2^31`)
    expect(sdp).not.toMatch(/a=(mid|group|fingerprint|setup|rtcp-mux|ice-options)/)
    expect(payloadTypes).toEqual([{ G722: 9, PCMU: 0, PCMA: 8, CN: 13, 'telephone-event': 101 }, { H264: 122 }])
  })

  it('reads back as the same leg through the SfB reader, and the bridge would take it', () => {
    const leg = sfbLeg(false)
    const session = readSfbSdp(writeSfbSdp(leg).sdp)
    const [audio, video] = session.sections
    expect(audio!.candidates).toEqual(leg.sections[0]!.candidates)
    expect([audio!.rtcpMux, audio!.rtcp?.port, audio!.iceVersion, audio!.ssrcRange, audio!.source]).toEqual([false, 50201, 19, { first: 77, last: 77 }, 'main-audio'])
    expect(audio!.keys).toEqual([leg.sections[0]!.key])
    expect(video!.codecs.map((c) => c.bridge)).toEqual(['H264'])
    const p = planBridge(session) as BridgePlan
    expect([p.audio.codecs.length, p.video?.codecs.length, p.notices]).toEqual([5, 1, []])
  })

  it('says IP6 in c= and o= when the leg has only IPv6 candidates', () => {
    const leg = sfbLeg(false)
    leg.sections = [{ ...leg.sections[0]!, candidates: [v6] }]
    expect(writeSfbSdp(leg).sdp).toMatch(/^v=0\r\no=- 0 0 IN IP6 2001:db8::7\r\ns=session\r\nc=IN IP6 2001:db8::7\r\n/)
  })

  it('re-offers after ICE with a=remote-candidates for both components, and TCP/RTP/SAVP on a TCP pair', () => {
    const leg = sfbLeg(false)
    const pair = [
      { component: 1, address: '192.0.2.10', port: 50030 },
      { component: 2, address: '192.0.2.10', port: 50030 },
    ]
    leg.sections[0] = { ...leg.sections[0]!, remoteCandidates: pair, profile: 'TCP/RTP/SAVP' }
    const { sdp } = writeSfbSdp(leg)
    expect(sdp).toContain('m=audio 50200 TCP/RTP/SAVP 9 0 8 13 101\r\n')
    expect(sdp).toContain('a=remote-candidates:1 192.0.2.10 50030 2 192.0.2.10 50030\r\n')
    const [audio] = readSfbSdp(sdp).sections
    expect([audio!.profile, audio!.remoteCandidates]).toEqual(['TCP/RTP/SAVP', pair])
  })

  it('offering mux: a=rtcp-mux beside a=rtcp and component 2, as SfB 2016 offers', () => {
    const { sdp } = writeSfbSdp(sfbLeg(true))
    expect(sdp).toContain('a=rtcp-mux\r\n')
    expect(sdp).toContain('a=rtcp:50201 IN IP4 192.0.2.7\r\n')
    expect(sdp).toContain('a=candidate:1 2 UDP 2130705918 192.0.2.7 50201 typ host\r\n')
  })
})

describe('the WebRTC dialect written', () => {
  const leg = (payloadTypes?: WebrtcLeg['sections'][number]['payloadTypes']): WebrtcLeg => ({
    fingerprint: local.webrtc.fingerprint,
    setup: 'passive',
    sections: [
      { kind: 'audio', mid: 'a', codecs: ['PCMU', 'telephone-event'], ssrcs: { first: 9, last: 9 }, ice: local.webrtc.ice, candidates: [host('127.0.0.1', 41000), host('127.0.0.1', 41001, 2), tcp('passive', 1)], rtcpMux: true, msid: { stream: 's', track: 't' }, cname: 'c', ...(payloadTypes && { payloadTypes }) },
      { kind: 'video', mid: 'v', codecs: [], ssrcs: { first: 10, last: 10 }, ice: local.webrtc.ice, candidates: [], rtcpMux: true, msid: { stream: 's', track: 'u' }, cname: 'c', rejected: { type: 'video', protocol: 'UDP/TLS/RTP/SAVPF', formats: '96 97' } },
    ],
  })

  it('has a fingerprint, setup, mids, BUNDLE of the live sections, rtcp-mux, msid and ssrc, and RFC 6544 TCP candidates', () => {
    const { sdp } = writeWebrtcSdp(leg())
    const p = parse(sdp)
    expect(p.groups).toEqual([{ type: 'BUNDLE', mids: 'a' }])
    const [a, v] = p.media
    expect([a!.protocol, a!.mid, a!.setup, a!.rtcpMux, a!.fingerprint?.hash, a!.direction]).toEqual(['UDP/TLS/RTP/SAVPF', 'a', 'passive', 'rtcp-mux', local.webrtc.fingerprint.value, 'sendrecv'])
    expect(a!.ssrcs).toEqual([{ id: 9, attribute: 'cname', value: 'c' }])
    expect(sdp).toContain('a=candidate:2 1 tcp 1684930558 198.51.100.7 50300 typ srflx raddr 10.0.0.7 rport 50300 tcptype passive\r\n')
    expect(sdp).not.toMatch(/a=candidate:\S+ 2 /)
    expect([v!.port, v!.mid, v!.payloads]).toEqual([0, 'v', '96 97'])
  })

  it('uses the renderer’s own payload types when answering it, and reports them', () => {
    const written = writeWebrtcSdp(leg({ PCMU: 0, 'telephone-event': 126 }))
    expect(written.sdp).toContain('m=audio 41000 UDP/TLS/RTP/SAVPF 0 126\r\n')
    expect(written.sdp).toContain('a=rtpmap:126 telephone-event/8000\r\n')
    expect(written.payloadTypes[0]).toEqual({ PCMU: 0, 'telephone-event': 126 })
  })
})

describe('translating each sample', () => {
  for (const name of sampleNames) {
    it(`${name}: an SfB answer that keeps every m= line, and a WebRTC offer with the maps between them`, () => {
      const offer = readSfbSdp(sampleSdp(name))
      const plan = planBridge(offer) as BridgePlan
      const d = bridgeDescriptions(offer, plan, local)
      const answer = readSfbSdp(d.sfbAnswer.sdp)
      expect(answer.sections.map((s) => [s.kind, s.port === 0])).toEqual(offer.sections.map((s) => [s.kind, s.port === 0]))
      const [audio] = answer.sections
      expect(audio!.keys.map((k) => k.tag)).toEqual([plan.audio.key.tag])
      expect(audio!.keys[0]!.keySalt.equals(plan.audio.key.keySalt)).toBe(false)
      expect(d.keys[0]).toMatchObject({ kind: 'audio', receive: plan.audio.key, send: audio!.keys[0] })
      // RTCP muxed only when the offer muxes; then no component 2 nor a=rtcp in the answer
      expect(audio!.rtcpMux).toBe(offer.sections[0]!.rtcpMux)
      expect(audio!.candidates.some((c) => c.component === 2)).toBe(!offer.sections[0]!.rtcpMux)
      expect(audio!.rtcp === undefined).toBe(offer.sections[0]!.rtcpMux)
      const webrtc = parse(d.webrtcOffer.sdp)
      expect(webrtc.media.map((m) => [m.type, String(m.mid)])).toEqual(plan.video ? [['audio', '0'], ['video', '1']] : [['audio', '0']])
      expect(d.payloadMap.filter((m) => m.kind === 'audio').map((m) => m.codec)).toEqual(plan.audio.codecs.map((c) => c.bridge))
      for (const m of d.payloadMap) expect(m.sfb).toBe(plan[m.kind]!.codecs.find((c) => c.bridge === m.codec)!.payloadType)
      expect(d.ssrcMap[0]).toEqual({ kind: 'audio', sfb: { first: 3000, last: 3000 }, webrtc: 5001 })
    })
  }

  it('answers with the offer’s own payload type numbers and maps them to the renderer’s', () => {
    const sdp = editLines(sampleSdp('avmcu-answer.txt'), (l) => l.replace(/\b101\b/g, '100').replace(/^(m=video \d+ RTP\/SAVP) 122 123/, '$1 96 123').replace(/^a=(rtpmap|fmtp):122/, 'a=$1:96'))
    const offer = readSfbSdp(sdp)
    const d = bridgeDescriptions(offer, planBridge(offer) as BridgePlan, local)
    expect(d.sfbAnswer.sdp).toContain('a=rtpmap:96 X-H264UC/90000\r\n')
    expect(d.sfbAnswer.sdp).toContain('a=rtpmap:100 telephone-event/8000\r\n')
    expect(d.payloadMap.filter((m) => m.sfb !== m.webrtc)).toEqual([
      { kind: 'audio', codec: 'telephone-event', sfb: 100, webrtc: 101 },
      { kind: 'video', codec: 'H264', sfb: 96, webrtc: 122 },
    ])
  })

  it('rejects in the answer the m= line it cannot carry, repeating its payload type', () => {
    const offer = readSfbSdp(sampleSdp('client-answer-audio-only.txt'))
    const d = bridgeDescriptions(offer, planBridge(offer) as BridgePlan, local)
    expect(d.sfbAnswer.sdp).toMatch(/\r\nm=video 0 RTP\/SAVP 122\r\n/)
    expect(d.keys.map((k) => k.kind)).toEqual(['audio'])
  })
})
