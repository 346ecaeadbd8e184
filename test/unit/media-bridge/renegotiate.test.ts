// A bridged call's re-offers: the directions read from one dialect and written into the other.
import { describe, expect, it } from 'vitest'
import { parse } from 'sdp-transform'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { directionsOf, mirror } from '../../../main/media-bridge/renegotiate'
import { withDirections } from '../../simulator/sfb/reanswer'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { host, sampleSdp } from './samples'

const sections: SfbLegSection[] = [
  { kind: 'audio', codecs: ['G722', 'PCMU'], ssrcs: { first: 10, last: 10 }, ice: { ufrag: 'Ab1c', pwd: 'Pq2rSt3uVw4xYz5aBc6dEf7g' }, candidates: [host('127.0.0.1', 40000)], rtcpMux: true, key: newSdesKey(1) },
  { kind: 'video', codecs: ['H264'], ssrcs: { first: 20, last: 119 }, ice: { ufrag: 'Gh8i', pwd: 'Jk9lMn0oPq1rSt2uVw3xYz4a' }, candidates: [host('127.0.0.1', 40010)], rtcpMux: true, key: newSdesKey(1) },
  { kind: 'audio', codecs: [], ssrcs: { first: 1, last: 1 }, ice: { ufrag: 'none', pwd: 'none' }, candidates: [], rtcpMux: false, rejected: { type: 'audio', protocol: 'RTP/SAVP', formats: '0' }, key: newSdesKey(1) },
]

describe('renegotiation through the bridge', () => {
  it('reads each kind’s direction from its first live line; none written is sendrecv (RFC 3264 5.1)', () => {
    expect(directionsOf(sampleSdp('p2p-offer-multipart.txt'))).toEqual({ audio: 'sendrecv', video: 'sendrecv' })
    const held = sampleSdp('p2p-offer-multipart.txt').replace(/^(m=audio .*\r\n)/m, '$1a=sendonly\r\n')
    expect(directionsOf(held)).toMatchObject({ audio: 'sendonly' })
  })

  it('an answerer mirrors sendonly and recvonly, keeps inactive and sendrecv (RFC 3264 6.1)', () => {
    expect([mirror('sendonly'), mirror('recvonly'), mirror('inactive'), mirror('sendrecv')]).toEqual(['recvonly', 'sendonly', 'inactive', 'sendrecv'])
  })

  it('writes the same SfB sections again with new directions: keys, credentials and addresses kept, a rejected line stays rejected', () => {
    const sdp = withDirections(sections, { audio: 'inactive', video: 'recvonly' })
    const read = readSfbSdp(sdp)
    expect(parse(sdp).media.map((m) => [m.type, m.port, m.direction ?? 'sendrecv'])).toEqual([['audio', 40000, 'inactive'], ['video', 40010, 'recvonly'], ['audio', 0, 'sendrecv']])
    expect(read.sections[0]!.keys[0]!.keySalt.equals(sections[0]!.key.keySalt)).toBe(true)
    expect(read.sections[1]!.iceUfrag).toBe('Gh8i')
  })
})
