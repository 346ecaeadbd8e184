// Each incoming offer read once (incoming-offer.ts): the same reading for refusal(), the provisional answer and the answer.
import { describe, expect, it } from 'vitest'
import { toDataUrl } from '../../../main/media-bridge/body'
import { IncomingOffers } from '../../../main/media-bridge/incoming-offer'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { multipartSample } from './samples'

describe('IncomingOffers', () => {
  it('reads a multipart data: URL once: its body, Content-Type and the ICE-19 part chosen, the same reading each time', () => {
    const s = multipartSample()
    const offers = new IncomingOffers()
    const url = toDataUrl(s.contentType, s.body)
    const first = offers.read(url)
    expect([first.contentType, first.body, first.chosen?.dialect]).toEqual([s.contentType, s.body, 'sfb-ice19'])
    expect(offers.read(url)).toBe(first)
  })

  it('a plain WebRTC SDP (a fingerprint) is passed on with no part chosen; a body with no SDP part throws its MediaRefusal every time it is asked', () => {
    const offers = new IncomingOffers()
    const webrtc = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=fingerprint:sha-256 AA\r\n'
    expect(offers.read(webrtc)).toEqual({ body: webrtc, contentType: 'application/sdp', chosen: null })
    const broken = toDataUrl('multipart/alternative;boundary=b', '--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n')
    expect(() => offers.read(broken)).toThrow(MediaRefusal)
    expect(() => offers.read(broken)).toThrow(MediaRefusal)
  })

  it('keeps only the last few readings: an old offer is read again, as a new object', () => {
    const offers = new IncomingOffers()
    const s = multipartSample()
    const url = toDataUrl(s.contentType, s.body)
    const first = offers.read(url)
    for (let i = 0; i < 8; i++) offers.read(`v=0\r\na=fingerprint:sha-256 ${i}\r\n`)
    const again = offers.read(url)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
  })
})
