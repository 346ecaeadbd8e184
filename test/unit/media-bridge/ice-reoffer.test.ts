// The SfB description after ICE (RFC 5245 9.1.2.2, [MS-SDPEXT] 3.1.5.38): the selected pair as the default, a=remote-candidates.
import { describe, expect, it } from 'vitest'
import { afterIce } from '../../../main/media-bridge/ice-reoffer'
import { namesSelectedPairs } from '../../simulator/sfb/reanswer'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { newSdesKey } from '../../../main/media-bridge/sdes'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import { host } from './samples'

const key = newSdesKey(1)
/** an audio section with two host candidates per component (the pair took the second address) and mux offered beside component 2 */
const section = (rtcpMux: boolean): SfbLegSection => ({
  kind: 'audio',
  codecs: ['G722', 'PCMU'],
  ssrcs: { first: 7, last: 7 },
  ice: { ufrag: 'Ab1c', pwd: 'Pq2rSt3uVw4xYz5aBc6dEf7g' },
  candidates: [host('192.0.2.7', 50200), host('192.0.2.7', 50201, 2), host('198.51.100.7', 50300), host('198.51.100.7', 50301, 2)],
  rtcpMux,
  key,
})
const pair = (component: number, localPort: number, remotePort: number) => ({ component, local: { address: '198.51.100.7', port: localPort }, remote: { address: '203.0.113.9', port: remotePort } })

describe('the SfB section after ICE', () => {
  it('controlling, RTCP on component 2: the selected local candidates alone (m=, c= and a=rtcp their addresses), a=remote-candidates naming the peer of each pair, same ufrag, pwd and key', () => {
    const after = afterIce(section(false), [pair(1, 50300, 6000), pair(2, 50301, 6001)], true)
    const sdp = writeSfbSdp({ sections: [after] }).sdp
    const lines = sdp.split('\r\n')
    expect(lines).toContain('c=IN IP4 198.51.100.7')
    expect(lines).toContain('m=audio 50300 RTP/SAVP 9 0')
    expect(lines).toContain('a=rtcp:50301 IN IP4 198.51.100.7')
    expect(lines.filter((l) => l.startsWith('a=candidate:')).map((l) => l.split(' ').slice(4, 6).join(' '))).toEqual(['198.51.100.7 50300', '198.51.100.7 50301'])
    expect(lines).toContain('a=remote-candidates:1 203.0.113.9 6000 2 203.0.113.9 6001')
    expect(lines).toContain('a=ice-ufrag:Ab1c')
    expect(lines).toContain('a=ice-pwd:Pq2rSt3uVw4xYz5aBc6dEf7g')
    expect(after.key).toBe(key)
  })

  it('controlling, muxed (one pair): component 1 alone, no a=rtcp, and a=remote-candidates still names both components with the pair\'s address ([MS-SDPEXT] 3.1.5.38)', () => {
    const sdp = writeSfbSdp({ sections: [afterIce(section(true), [pair(1, 50300, 6000)], true)] }).sdp
    expect(sdp).toContain('a=remote-candidates:1 203.0.113.9 6000 2 203.0.113.9 6000\r\n')
    expect(sdp).toContain('a=rtcp-mux\r\n')
    expect(sdp).not.toContain('a=rtcp:')
    expect(sdp.match(/^a=candidate:/gm)).toHaveLength(1)
  })

  it('controlled: the selected candidates alone and no a=remote-candidates (only the controlling side writes it, RFC 5245 9.1.2.2)', () => {
    const after = afterIce({ ...section(false), remoteCandidates: [{ component: 1, address: '203.0.113.9', port: 1 }] }, [pair(1, 50300, 6000), pair(2, 50301, 6001)], false)
    const sdp = writeSfbSdp({ sections: [after] }).sdp
    expect(sdp).not.toContain('a=remote-candidates')
    expect(sdp.match(/^a=candidate:/gm)).toHaveLength(2)
  })

  it('a rejected section, or one ICE has no pair for, stays as it was', () => {
    const rejected = { ...section(false), rejected: { type: 'video', protocol: 'RTP/SAVP', formats: '122' } }
    expect(afterIce(rejected, [pair(1, 50300, 6000)], true)).toBe(rejected)
    const none = section(false)
    expect(afterIce(none, [], true)).toBe(none)
  })
})

describe('checking a re-offer\'s a=remote-candidates (the controlled side)', () => {
  const pairs = [pair(1, 50300, 6000), pair(2, 50301, 6001)]
  const ours = [
    { component: 1, address: '198.51.100.7', port: 50300 },
    { component: 2, address: '198.51.100.7', port: 50301 },
  ]
  it('takes a line naming our side of each selected pair, in any order', () => {
    expect(namesSelectedPairs(ours, pairs)).toBe(true)
    expect(namesSelectedPairs([...ours].reverse(), pairs)).toBe(true)
  })
  it('refuses another port, a missing component, an extra entry, or an empty line', () => {
    expect(namesSelectedPairs([ours[0]!, { ...ours[1]!, port: 50302 }], pairs)).toBe(false)
    expect(namesSelectedPairs([ours[0]!], pairs)).toBe(false)
    expect(namesSelectedPairs([...ours, { component: 1, address: '192.0.2.7', port: 50200 }], pairs)).toBe(false)
    expect(namesSelectedPairs([], pairs)).toBe(false)
  })
  it('muxed: the one pair named for both components', () => {
    expect(namesSelectedPairs([ours[0]!, { ...ours[0]!, component: 2 }], [pairs[0]!])).toBe(true)
    expect(namesSelectedPairs([ours[0]!], [pairs[0]!])).toBe(false)
  })
})
