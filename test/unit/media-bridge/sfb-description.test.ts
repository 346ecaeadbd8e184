// The bridge's SfB description as it changes mid-call (sfb-description.ts): directions, the selected pairs after ICE, versions.
import { describe, expect, it } from 'vitest'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { SfbDescription } from '../../../main/media-bridge/sfb-description'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { host } from './samples'

const audio: SfbLegSection = { kind: 'audio', codecs: ['G722', 'PCMU'], ssrcs: { first: 7, last: 7 }, ice: { ufrag: 'Ab1c', pwd: 'Pq2rSt3uVw4xYz5aBc6dEf7g' }, candidates: [host('192.0.2.7', 50200), host('192.0.2.7', 50201, 2)], rtcpMux: false, key: newSdesKey(1) }
const video: SfbLegSection = { ...audio, kind: 'video', codecs: ['H264'], ssrcs: { first: 100, last: 199 }, candidates: [host('192.0.2.7', 50210), host('192.0.2.7', 50211, 2)], key: newSdesKey(1) }
const pair = (component: number, port: number) => ({ component, local: { address: '192.0.2.7', port }, remote: { address: '203.0.113.9', port: 6000 + component } })

describe('SfbDescription', () => {
  it('after ICE, controlling: the carried line names its pairs; a line the pool\'s answer rejected (no pool leg) is re-offered with port 0 and its payload types', () => {
    const d = new SfbDescription()
    d.sections = [audio, video]
    const sdp = d.afterIce(new Map([['audio', [pair(1, 50200), pair(2, 50201)]]]), true)
    const [a, v] = readSfbSdp(sdp).sections
    expect(a!.remoteCandidates).toEqual([
      { component: 1, address: '203.0.113.9', port: 6001 },
      { component: 2, address: '203.0.113.9', port: 6002 },
    ])
    expect(sdp).toContain('m=video 0 RTP/SAVP 122\r\n')
    expect(v!.port).toBe(0)
  })

  it('each description sent is the next version of the session (RFC 3264 8: o= version incremented by one), the first answer or offer being 0; the one ICE\'s completion writes is not sent, so it takes none', () => {
    const d = new SfbDescription()
    d.sections = [audio]
    const hold = d.withDirections({ audio: 'inactive' })
    d.afterIce(new Map([['audio', [pair(1, 50200), pair(2, 50201)]]]), true)
    const versions = [hold, d.offer(), d.withDirections({})].map((sdp) => /^o=- 0 (\d+) /m.exec(sdp)![1])
    expect(versions).toEqual(['1', '2', '3'])
  })

  it('changes(): whether new directions differ from the ones last written (none is sendrecv); a rejected line does not count', () => {
    const d = new SfbDescription()
    d.sections = [audio, { ...video, rejected: { type: 'video', protocol: 'RTP/SAVP', formats: '122' } }]
    expect(d.changes({ audio: 'sendrecv', video: 'inactive' })).toBe(false)
    expect(d.changes({ audio: 'sendonly' })).toBe(true)
    d.withDirections({ audio: 'sendonly' })
    expect(d.changes({ audio: 'sendonly' })).toBe(false)
    expect(d.changes({})).toBe(true)
  })

  it('offer(): the description as it stands, a hold written before ICE completed still in it after', () => {
    const d = new SfbDescription()
    d.sections = [audio]
    d.withDirections({ audio: 'inactive' })
    d.afterIce(new Map([['audio', [pair(1, 50200), pair(2, 50201)]]]), true)
    const sdp = d.offer()
    expect(sdp).toContain('a=inactive\r\n')
    expect(sdp).toContain('a=remote-candidates:1 203.0.113.9 6001 2 203.0.113.9 6002\r\n')
    expect(sdp).toMatch(/^o=- 0 2 /m) // the second description sent: the after-ICE one written in between was not
  })

  it('propose(): our re-offer\'s directions hold only once the pool takes it (settle(true)); declined, the next offer carries the ones last agreed', () => {
    const d = new SfbDescription()
    d.sections = [audio]
    expect(d.propose({ audio: 'inactive' })).toContain('a=inactive\r\n')
    d.settle(false)
    expect(d.offer()).not.toContain('a=inactive')
    d.propose({ audio: 'inactive' })
    d.settle(true)
    expect(d.offer()).toContain('a=inactive\r\n')
  })
})
