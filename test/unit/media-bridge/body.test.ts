// UCWA media bodies: application/sdp or multipart/alternative ([MS-SIPRE] 3.15.4.1), and the part Parley takes.
import { describe, expect, it } from 'vitest'
import { parseMediaBody, readDataUrl, toDataUrl, writeMultipartAlternative } from '../../../main/media-bridge/body'
import { chooseOfferPart } from '../../../main/media-bridge/choose-part'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { editLines, local, multipartParts, multipartSample, sampleSdp } from './samples'
import { bridgeDescriptions } from '../../../main/media-bridge/translate'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'

const ice6Id = '<4E1A3F2B5D0C4A1F8E4F9E60B1D3C2A7@contoso.com>'
const ice19Id = '<B27F4C0E9A1D4E6B8C3D5F7A9E1B3C5D@contoso.com>'

function refusalOf(f: () => unknown): MediaRefusal {
  try {
    f()
  } catch (e) {
    if (e instanceof MediaRefusal) return e
    throw e
  }
  throw new Error('no refusal')
}

describe('media body', () => {
  it('splits the multipart sample into its ICE 6 fallback part and its ICE 19 part, each SDP whole', () => {
    const parts = multipartParts()
    expect(parts.map((p) => [p.contentId, p.fallback])).toEqual([
      [ice6Id, true],
      [ice19Id, false],
    ])
    for (const p of parts) {
      expect(p.sdp.startsWith('v=0\r\no=- 0 ')).toBe(true)
      expect(p.sdp.endsWith('a=rtpmap:123 x-ulpfecuc/90000\r\n')).toBe(true)
      expect(p.sdp).not.toContain('--9BCE36B8')
      expect(p.sdp).not.toMatch(/[^\r]\n/)
    }
    expect(parts[1]!.sdp).toContain('a=x-candidate-ipv6:4 1 UDP 2130705407 2001:db8::10 50022 typ host\r\n')
  })

  it('takes the boundary from the data: URL media type, as a mediaOffer link carries it, with CRLF line ends', () => {
    const { contentType, body } = multipartSample()
    const href = toDataUrl(contentType, body.replace(/\n/g, '\r\n'))
    expect(href.startsWith('data:multipart/alternative;boundary=9BCE36B8-2C70-44CA-AAA6-D3D332ADBD3F;base64,')).toBe(true)
    const read = readDataUrl(href)
    expect(read.contentType).toBe(contentType)
    expect(parseMediaBody(read.body, read.contentType).parts.map((p) => p.contentId)).toEqual([ice6Id, ice19Id])
  })

  it('reads a quoted boundary, folded headers and a preamble before the first boundary line', () => {
    const sdp = sampleSdp('avmcu-answer.txt')
    const body = `This is a preamble\r\n--b 1\r\nContent-Type: application/sdp\r\nContent-ID:\r\n <x@y>\r\nContent-Disposition: session;\r\n handling=optional; ms-proxy-2007fallback\r\n\r\n${sdp}\r\n--b 1--\r\nepilogue`
    const { parts } = parseMediaBody(body, 'Multipart/Alternative; boundary="b 1"')
    expect(parts).toEqual([{ contentId: '<x@y>', fallback: true, sdp }])
  })

  it('reads a plain application/sdp body as one part with no Content-ID', () => {
    const sdp = sampleSdp('avmcu-answer.txt')
    expect(parseMediaBody(sdp, 'application/sdp')).toEqual({ multipart: false, parts: [{ contentId: null, fallback: false, sdp }] })
    expect(readDataUrl(`data:application/sdp,${encodeURIComponent(sdp)}`)).toEqual({ contentType: 'application/sdp', body: sdp })
  })

  it('refuses with InvalidMediaOffer what is no SDP body', () => {
    const cases: [string, string][] = [
      ['--x\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n', 'multipart/alternative'],
      ['--x\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n', 'multipart/alternative;boundary=x'],
      ['--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n', 'multipart/alternative;boundary=x'],
      ['hello', 'text/plain'],
    ]
    for (const [body, type] of cases) {
      const r = refusalOf(() => parseMediaBody(body, type))
      expect([r.declineReason, r.dismissReason, r.code, r.subcode]).toEqual(['InvalidMediaOffer', 'InvalidMediaOffer', 'LocalFailure', 'InvalidMediaDescription'])
    }
    expect(refusalOf(() => readDataUrl('https://pool/x')).declineReason).toBe('InvalidMediaOffer')
  })

  it('writes Parley’s own multipart offer that reads back part for part, the ICE 19 part last', () => {
    const sfb = sampleSdp('avmcu-answer.txt')
    const plan = planBridge(readSfbSdp(sfb)) as BridgePlan
    const webrtc = bridgeDescriptions(readSfbSdp(sfb), plan, local).webrtcOffer.sdp
    const written = writeMultipartAlternative(
      [
        { contentId: '<webrtc@parley.invalid>', fallback: false, sdp: webrtc },
        { contentId: '<sfb@parley.invalid>', fallback: false, sdp: sfb },
      ],
      'parley-7F3A',
    )
    expect(written.contentType).toBe('multipart/alternative;boundary=parley-7F3A')
    expect(written.body).toMatch(/^--parley-7F3A\r\nContent-Type: application\/sdp\r\nContent-Transfer-Encoding: 7bit\r\nContent-ID: <webrtc@parley.invalid>\r\nContent-Disposition: session; handling=optional\r\n\r\nv=0\r\n/)
    expect(written.body.endsWith('\r\n--parley-7F3A--\r\n')).toBe(true)
    expect(parseMediaBody(written.body, written.contentType).parts).toEqual([
      { contentId: '<webrtc@parley.invalid>', fallback: false, sdp: webrtc },
      { contentId: '<sfb@parley.invalid>', fallback: false, sdp: sfb },
    ])
    expect(() => writeMultipartAlternative([], 'bad boundary with spaces and more than seventy characters in it, far too long')).toThrow(TypeError)
  })
})

describe('choosing the part of an offer', () => {
  it('takes the ICE 19 part of the sample over its ICE 6 fallback and names it for processedOfferId', () => {
    const chosen = chooseOfferPart(multipartParts())
    expect([chosen.dialect, chosen.processedOfferId]).toEqual(['sfb-ice19', ice19Id])
    expect(chosen.session.sections[0]!.iceUfrag).toBe('Qm7x')
  })

  it('takes the fallback part when it is the only one, and knows it as ICE 6', () => {
    const chosen = chooseOfferPart(multipartParts().slice(0, 1))
    expect([chosen.dialect, chosen.processedOfferId]).toEqual(['sfb-ice6', ice6Id])
  })

  it('takes a WebRTC part (fingerprints) wherever it stands: another Parley takes it directly', () => {
    const fingerprinted = editLines(sampleSdp('avmcu-answer.txt'), (l) => (l.startsWith('a=ice-pwd') ? [l, `a=fingerprint:sha-256 ${local.webrtc.fingerprint.value}`] : l))
    const parts = [{ contentId: '<w@p>', fallback: false, sdp: fingerprinted }, ...multipartParts()]
    expect(chooseOfferPart(parts)).toMatchObject({ dialect: 'webrtc', processedOfferId: '<w@p>' })
  })

  it('skips a part that is no SDP and refuses when none is', () => {
    const parts = [{ contentId: '<junk@p>', fallback: false, sdp: 'hello\r\n' }, multipartParts()[0]!]
    expect(chooseOfferPart(parts).processedOfferId).toBe(ice6Id)
    expect(refusalOf(() => chooseOfferPart(parts.slice(0, 1))).declineReason).toBe('InvalidMediaOffer')
  })

  it('names no part for a plain body', () => {
    const { parts } = parseMediaBody(sampleSdp('avmcu-answer.txt'), 'application/sdp')
    expect(chooseOfferPart(parts)).toMatchObject({ dialect: 'sfb-ice19', processedOfferId: null })
  })
})
