// Reading the SfB 2015 dialect ([MS-SDPEXT] 3.1.5.x, RFC 4568 SDES, [MS-ICE2] / ICE draft 19) on the samples and variations.
import { describe, expect, it } from 'vitest'
import { parseIce6Candidate, parseIce19Candidate } from '../../../main/media-bridge/ice'
import { formatCrypto, isSdesKey, newSdesKey, parseCrypto } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { editLines, multipartParts, sampleSdp } from './samples'

const b64 = (s: string) => Buffer.from(s, 'base64')

describe('the ICE 19 part of the P2P offer', () => {
  const session = readSfbSdp(sampleSdp('p2p-offer-multipart.txt'))
  const [audio, video] = session.sections as [NonNullable<(typeof session.sections)[0]>, NonNullable<(typeof session.sections)[0]>]

  it('reads the session lines: address, b=CT, x-mediabw', () => {
    expect(session.address).toBe('192.0.2.10')
    expect(session.bandwidthCt).toBe(99980)
    expect(session.mediaBandwidth).toEqual([{ label: 'main-video', send: 8100, recv: 8100 }])
  })

  it('reads each section’s profile, port, label, source, SSRC range and x-message feedback', () => {
    expect([audio.kind, audio.port, audio.profile, video.kind, video.port]).toEqual(['audio', 50020, 'RTP/SAVP', 'video', 50040])
    expect([audio.label, audio.source, video.label, video.source]).toEqual(['main-audio', 'main-audio', 'main-video', 'main-video'])
    expect(audio.ssrcRange).toEqual({ first: 1830120449, last: 1830120449 })
    expect(video.ssrcRange).toEqual({ first: 1830120450, last: 1830120549 })
    expect(audio.xMessages).toEqual([{ payload: '*', send: ['dsh'], recv: ['dsh'] }])
    expect(video.xMessages).toEqual([{ payload: '*', send: ['src', 'x-pli'], recv: ['src', 'x-pli'] }])
    expect(audio.fingerprint).toBeUndefined()
  })

  it('reads the SDES keys with and without MKI, and a=cryptoscale', () => {
    expect(audio.keys).toEqual([
      { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: b64('q3Jm0YpU2Zk7Xb1Lr8Nw5Tc9Ve4Ha6Sd2Gf0Kj3P'), lifetime: 2 ** 31, mki: { value: 1, length: 1 } },
      { tag: 3, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: b64('W8dP1cX5nR2vL7kT3yH9bM4qZ6fJ0sG1aE5uN8oI'), lifetime: 2 ** 31 },
    ])
    expect(audio.keys[0]!.keySalt).toHaveLength(30)
    expect(audio.cryptoscale).toEqual([{ scale: 1, role: 'client', key: { ...audio.keys[0]!, tag: 1 } }])
    expect(video.keys.map((k) => [k.tag, k.mki ?? null])).toEqual([
      [2, { value: 1, length: 1 }],
      [3, null],
    ])
  })

  it('reads ICE 19: credentials, UDP, TCP-PASS relay, TCP-ACT srflx and x-candidate-ipv6 candidates, rtcp and rtcp-mux', () => {
    expect([audio.iceVersion, audio.iceUfrag, audio.icePwd]).toEqual([19, 'Qm7x', 'T4nV9cR2wL8kP3yH6bM1qZ5f'])
    expect(audio.candidates).toHaveLength(8)
    expect(audio.candidates[0]).toEqual({ foundation: '1', component: 1, transport: 'udp', priority: 2130706431, address: '192.0.2.10', port: 50020, type: 'host' })
    expect(audio.candidates[2]).toEqual({ foundation: '2', component: 1, transport: 'tcp', tcpType: 'passive', priority: 174455807, address: '203.0.113.5', port: 50030, type: 'relay', relAddress: '192.0.2.10', relPort: 50030 })
    expect(audio.candidates[4]).toMatchObject({ transport: 'tcp', tcpType: 'active', type: 'srflx', relAddress: '192.0.2.10' })
    expect(audio.candidates.slice(6).map((c) => [c.address, c.port, c.component])).toEqual([
      ['2001:db8::10', 50022, 1],
      ['2001:db8::10', 50023, 2],
    ])
    expect([audio.rtcpMux, audio.rtcp]).toEqual([true, { port: 50021 }])
    expect(audio.ice6Candidates).toEqual([])
  })

  it('names every codec, and marks which the bridge can carry', () => {
    expect(audio.codecs.map((c) => `${c.payloadType} ${c.name}/${c.clockRate}${c.channels ? `/${c.channels}` : ''}`)).toEqual([
      '117 G722/8000/2', '104 SILK/16000', '114 x-msrta/16000', '9 G722/8000', '112 G7221/16000', '111 SIREN/16000', '0 PCMU/8000', '8 PCMA/8000',
      '116 AAL2-G726-32/8000', '115 x-msrta/8000', '103 SILK/8000', '97 RED/8000', '13 CN/8000', '118 CN/16000', '101 telephone-event/8000',
    ])
    expect(audio.codecs.filter((c) => c.bridge).map((c) => [c.payloadType, c.bridge])).toEqual([
      [9, 'G722'], [0, 'PCMU'], [8, 'PCMA'], [13, 'CN'], [101, 'telephone-event'],
    ])
    expect(audio.codecs.find((c) => c.payloadType === 104)?.fmtp).toBe('useinbandfec=1; usedtx=0')
    expect(video.codecs.map((c) => [c.payloadType, c.name, c.bridge, c.fmtp ?? null])).toEqual([
      [122, 'X-H264UC', 'H264', 'packetization-mode=1;mst-mode=NI-TC'],
      [121, 'x-rtvc1', null, null],
      [123, 'x-ulpfecuc', null, null],
    ])
  })
})

describe('the other samples and variations', () => {
  it('recognises the fallback part’s candidates as ICE 6 (7 fields, a q-value), with no credentials', () => {
    const [audio] = readSfbSdp(multipartParts()[0]!.sdp).sections
    expect([audio!.iceVersion, audio!.iceUfrag, audio!.candidates]).toEqual([6, undefined, []])
    expect(audio!.ice6Candidates[0]).toEqual({ username: '9Uf5MfCofLqzhAmM3Cspsx46CDBuf624UDjHon8jzok', component: 1, password: 'mSit9lAQu2kqDED33P1JZg', transport: 'udp', quality: 0.83, address: '192.0.2.10', port: 50010 })
    expect(audio!.ice6Candidates.map((c) => [c.username.length, c.password.length, c.component])).toEqual([
      [43, 22, 1],
      [43, 22, 2],
    ])
    expect([audio!.rtcpMux, audio!.rtcp]).toEqual([false, { port: 50011 }])
  })

  it('reads the AVMCU answer: MSIs in x-source-streamid, RTCP on its own port, no mux', () => {
    const { sections } = readSfbSdp(sampleSdp('avmcu-answer.txt'))
    expect(sections.map((s) => [s.sourceStreamId, s.rtcpMux, s.rtcp?.port, s.keys.map((k) => k.tag)])).toEqual([
      ['1001', false, 51201, [3]],
      ['1002', false, 51211, [3]],
    ])
  })

  it('reads the audio-only answer’s rejected video line as port 0', () => {
    const { sections } = readSfbSdp(sampleSdp('client-answer-audio-only.txt'))
    expect(sections.map((s) => [s.kind, s.port, s.formats, s.codecs.map((c) => c.payloadType)])).toEqual([
      ['audio', 50120, ['9', '0', '8', '101'], [9, 0, 8, 101]],
      ['video', 0, ['122'], []],
    ])
  })

  it('reads a=encryption, RTP/AVP, TCP/RTP/SAVP, a=remote-candidates and a fingerprint', () => {
    const sdp = editLines(sampleSdp('avmcu-answer.txt'), (l) => {
      if (l.startsWith('m=audio')) return [l.replace('RTP/SAVP', 'RTP/AVP'), 'a=encryption:rejected', 'a=remote-candidates:1 192.0.2.10 50020 2 192.0.2.10 50021']
      if (l.startsWith('m=video')) return [l.replace('RTP/SAVP', 'TCP/RTP/SAVP'), 'a=fingerprint:sha-256 AB:CD']
      return l.startsWith('a=crypto') && l.includes('R7tY') ? null : l
    })
    const [audio, video] = readSfbSdp(sdp).sections
    expect([audio!.profile, audio!.encryption, audio!.keys]).toEqual(['RTP/AVP', 'rejected', []])
    expect(audio!.remoteCandidates).toEqual([
      { component: 1, address: '192.0.2.10', port: 50020 },
      { component: 2, address: '192.0.2.10', port: 50021 },
    ])
    expect([video!.profile, video!.fingerprint]).toEqual(['TCP/RTP/SAVP', { hash: 'sha-256', value: 'AB:CD' }])
  })

  it('reads an all-digit codec name as a name (sdp-transform gives it as a number), not a crash', () => {
    const sdp = editLines(sampleSdp('avmcu-answer.txt'), (l) => l.replace('a=rtpmap:118 CN/16000', 'a=rtpmap:118 1234/16000'))
    expect(readSfbSdp(sdp).sections[0]!.codecs.find((c) => c.payloadType === 118)).toEqual({ payloadType: 118, name: '1234', clockRate: 16000, bridge: null })
  })

  it('refuses with InvalidMediaOffer a text that is not SDP', () => {
    for (const text of ['hello', 'v=0\r\ns=-\r\nt=0 0\r\n', '']) {
      const e = (() => {
        try {
          readSfbSdp(text)
        } catch (err) {
          return err
        }
      })()
      expect(e).toBeInstanceOf(MediaRefusal)
      expect((e as MediaRefusal).declineReason).toBe('InvalidMediaOffer')
    }
  })
})

describe('SDES and ICE lines (RFC 4568 9.1, ICE draft 19 15.1)', () => {
  it('parses MKI and lifetime in any form, and refuses a key that is not 30 bytes', () => {
    const key = 'W8dP1cX5nR2vL7kT3yH9bM4qZ6fJ0sG1aE5uN8oI'
    expect(parseCrypto(`1 AES_CM_128_HMAC_SHA1_32 inline:${key}|1048576|7:4`)).toMatchObject({ suite: 'AES_CM_128_HMAC_SHA1_32', lifetime: 1048576, mki: { value: 7, length: 4 } })
    expect(parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${key}`)).toEqual({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: b64(key) })
    expect(parseCrypto('1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=|2^31')).toBeNull()
    expect(parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${key}|junk`)).toBeNull()
    expect(parseCrypto(`4 AEAD_AES_256_GCM inline:${key}`)).toEqual({ tag: 4, suite: 'AEAD_AES_256_GCM' })
  })

  it('writes a fresh random key that reads back the same', () => {
    const a = newSdesKey(3)
    const b = newSdesKey(3)
    expect(a.keySalt).toHaveLength(30)
    expect(a.keySalt.equals(b.keySalt)).toBe(false)
    expect(formatCrypto(a)).toMatch(/^3 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\|2\^31$/)
    const back = parseCrypto(formatCrypto({ ...a, mki: { value: 1, length: 1 } }))
    expect(isSdesKey(back) && back.keySalt.equals(a.keySalt) && back.mki).toEqual({ value: 1, length: 1 })
  })

  it('tells the ICE 19 and ICE 6 forms apart and reads RFC 6544 tcptype', () => {
    expect(parseIce19Candidate('9Uf5 1 mSit UDP 0.830 192.0.2.10 50010')).toBeNull()
    expect(parseIce6Candidate('1 1 UDP 2130706431 192.0.2.10 50020 typ host')).toBeNull()
    expect(parseIce19Candidate('5 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active')).toMatchObject({ transport: 'tcp', tcpType: 'active' })
    expect(parseIce19Candidate('5 1 TCP-SO 1518280447 192.0.2.1 9 typ host')).toMatchObject({ transport: 'tcp', tcpType: 'so' })
    expect(parseIce19Candidate('5 1 SCTP 1518280447 192.0.2.1 9 typ host')).toBeNull()
  })
})
