// The renderer's held answer follows the pool's answer: Chromium sends the codec the pool put first (RFC 3264 6.1).
import { parse } from 'sdp-transform'
import { describe, expect, it } from 'vitest'
import { followPoolAnswer } from '../../../main/media-bridge/answer-order'
import { editLines, sampleSdp } from './samples'

/** a werift-style answer to Chromium's offer: G722 first (Chromium's order), then PCMU, PCMA, CN, telephone-event; H264 with its RTX */
const webrtcAnswer = [
  'v=0', 'o=- 1 0 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 9 0 8 13 126', 'c=IN IP4 127.0.0.1', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
  'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:126 telephone-event/8000', 'a=fmtp:126 0-15',
  'm=video 9 UDP/TLS/RTP/SAVPF 106 107', 'c=IN IP4 127.0.0.1', 'a=mid:1', 'a=sendrecv', 'a=rtcp-mux',
  'a=rtpmap:106 H264/90000', 'a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f', 'a=rtcp-fb:106 nack pli',
  'a=rtpmap:107 rtx/90000', 'a=fmtp:107 apt=106',
  '',
].join('\r\n')

const avmcuAnswer = () => sampleSdp('avmcu-answer.txt')
/** the pool's answer with its audio m= line's payload list replaced */
const poolAudio = (list: string) => editLines(avmcuAnswer(), (l) => (l.startsWith('m=audio ') ? `${l.split(' ').slice(0, 3).join(' ')} ${list}` : l))
const audioPayloads = (sdp: string) => String(parse(sdp).media[0]!.payloads)

describe("the renderer's answer follows the pool's", () => {
  it('an AVMCU answering G.722 before PCMU (the sample: 117 9 0 8 …) keeps G.722 first', () => {
    const out = followPoolAnswer(webrtcAnswer, avmcuAnswer())
    expect(audioPayloads(out)).toBe('9 0 8 13 126')
    expect(String(parse(out).media[1]!.payloads)).toBe('106 107')
  })

  it('a pool answering PCMU first gets PCMU first from Chromium, G.722 second', () => {
    expect(audioPayloads(followPoolAnswer(webrtcAnswer, poolAudio('0 9 13 101')))).toBe('0 9 13 126')
  })

  it('a codec the pool did not take is not offered to Chromium to send (the relay would drop it): PCMU only', () => {
    const out = followPoolAnswer(webrtcAnswer, poolAudio('0 101'))
    expect(audioPayloads(out)).toBe('0 13 126')
    expect(out).not.toMatch(/a=rtpmap:9 G722/)
    expect(out).not.toMatch(/a=rtpmap:8 PCMA/)
    expect(out).toMatch(/a=fmtp:126 0-15/)
  })

  it('an answer the bridge cannot read, or one it refuses, leaves the renderer\'s answer as it was', () => {
    expect(followPoolAnswer(webrtcAnswer, 'not sdp')).toBe(webrtcAnswer)
    expect(followPoolAnswer(webrtcAnswer, poolAudio('104'))).toBe(webrtcAnswer)
  })
})
