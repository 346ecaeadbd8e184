// The SfB 2015 samples in ../shared/sfb-sdp (written from the specifications, LF line ends) and a bridge's own side for translating them.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseMediaBody, type MediaBody } from '../../../main/media-bridge/body'
import type { IceCandidate } from '../../../main/media-bridge/ice'
import type { BridgeLocal } from '../../../main/media-bridge/translate'

export const samplesDir = resolve(import.meta.dirname, '../../../../shared/sfb-sdp')
export const sampleNames = ['p2p-offer-multipart.txt', 'avmcu-answer.txt', 'client-answer-audio-only.txt'] as const

export function sample(name: (typeof sampleNames)[number]): string {
  return readFileSync(resolve(samplesDir, name), 'utf8')
}

/** The multipart sample as a UCWA client gets it: its first line is the type that travels outside the body. */
export function multipartSample(): { contentType: string; body: string } {
  const [first, ...rest] = sample('p2p-offer-multipart.txt').split('\n')
  return { contentType: first!.replace(/^Content-Type:\s*/i, ''), body: rest.join('\n') }
}

export function multipartParts(): MediaBody['parts'] {
  const { contentType, body } = multipartSample()
  return parseMediaBody(body, contentType).parts
}

/** The SDP of a sample: the ICE-19 (last) part of the multipart one, else the file, with CRLF line ends. */
export function sampleSdp(name: (typeof sampleNames)[number]): string {
  if (name === 'p2p-offer-multipart.txt') return multipartParts().at(-1)!.sdp
  return sample(name).replace(/\r?\n/g, '\r\n')
}

export function host(address: string, port: number, component = 1): IceCandidate {
  return { foundation: '1', component, transport: 'udp', priority: 2130706431 - (component - 1) * 513, address, port, type: 'host' }
}

/** A bridge on loopback: pool-leg ports 40000/40010 (+1 for RTCP), renderer leg 41000 (muxed, bundled). */
export const local: BridgeLocal = {
  sfb: {
    audio: { ice: { ufrag: 'Ab1c', pwd: 'Pq2rSt3uVw4xYz5aBc6dEf7g' }, candidates: [host('127.0.0.1', 40000), host('127.0.0.1', 40001, 2)], ssrcs: { first: 3000, last: 3000 } },
    video: { ice: { ufrag: 'Gh8i', pwd: 'Jk9lMn0oPq1rSt2uVw3xYz4a' }, candidates: [host('127.0.0.1', 40010), host('127.0.0.1', 40011, 2)], ssrcs: { first: 4000, last: 4099 } },
  },
  webrtc: {
    ice: { ufrag: 'rEnD', pwd: 'eRerLegPasswordOf24Chars' },
    candidates: [host('127.0.0.1', 41000)],
    // a SHA-256 digest's form (RFC 8122 5): 32 bytes in colon-separated hex
    fingerprint: { hash: 'sha-256', value: Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) & 0xff).toString(16).padStart(2, '0').toUpperCase()).join(':') },
    ssrcs: { audio: 5001, video: 5002 },
    stream: 'parley-bridge',
  },
}

/** `sdp` with every line `edit` maps: a string replaces the line, null drops it, an array puts several in its place. */
export function editLines(sdp: string, edit: (line: string) => string | string[] | null): string {
  return sdp
    .split('\r\n')
    .flatMap((l) => {
      if (l === '') return [l]
      const r = edit(l)
      return r === null ? [] : r
    })
    .join('\r\n')
}

/** A renderer's (Chromium-style) offer for Parley's own offer through the bridge: Opus first, G722/PCMU/PCMA, telephone-event at 126; VP8, H264 in three profiles/modes; a third, data line. */
export const rendererOffer = [
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
