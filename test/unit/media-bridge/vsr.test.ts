// The bridge's video source requests: the stand-in layout the simulator's unit reads (test/simulator/sfb/vsr.ts), and when they go out.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { VideoSourceRequests, writeVideoSourceRequest } from '../../../main/media-bridge/vsr'
import { requestedSources } from '../../simulator/sfb/vsr'

afterEach(() => vi.useRealTimers())

describe('video source requests (VSR)', () => {
  it('is RFC 4585 application layer feedback (PT 206, FMT 15) naming the MSI, which the unit reads back, also in a compound packet', () => {
    const b = writeVideoSourceRequest(0x11223344, 0xfedcba98, 7)
    expect([b[0], b[1], b.readUInt16BE(2), b.readUInt32BE(4), b.readUInt32BE(8), b.readUInt16BE(12), b.readUInt16BE(14), b.readUInt16BE(16)]).toEqual([0x8f, 206, 4, 0x11223344, 0xfedcba98, 1, 8, 7])
    expect(requestedSources(Buffer.concat([b, writeVideoSourceRequest(1, 42, 8)]))).toEqual([0xfedcba98, 42])
  })

  it('asks for each source once the video leg is up, new ones when the roster changes, a returning one again, and every wanted one each refresh', () => {
    vi.useFakeTimers()
    const sent: number[][] = []
    const r = new VideoSourceRequests(1000)
    r.want([5, 6, 5, 0, -1, 2 ** 32])
    expect(sent).toEqual([]) // nothing can be sent before the leg is up
    r.attach((rtcp) => sent.push(requestedSources(rtcp)), 99)
    expect(sent).toEqual([[5], [6]])
    r.want([6, 7])
    expect(sent.slice(2)).toEqual([[7]])
    r.want([5, 6, 7])
    expect(sent.slice(3)).toEqual([[5]])
    vi.advanceTimersByTime(1000)
    expect(sent.slice(4)).toEqual([[5], [6], [7]])
    r.close()
    vi.advanceTimersByTime(5000)
    r.want([8])
    expect(sent).toHaveLength(7)
  })
})
