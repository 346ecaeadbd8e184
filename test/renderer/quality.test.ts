// The call's live quality line: figures read from getStats, rates between two readings.
import { describe, expect, it } from 'vitest'
import { measure } from '../../renderer/src/media/quality'

const peer = (bytesIn: number, bytesOut: number) =>
  ({
    getStats: async () =>
      new Map<string, Record<string, unknown>>([
        ['in', { type: 'inbound-rtp', kind: 'audio', bytesReceived: bytesIn, packetsReceived: 100, packetsLost: 0, jitter: 0.004 }],
        ['out', { type: 'outbound-rtp', kind: 'audio', bytesSent: bytesOut }],
      ]),
  }) as unknown as RTCPeerConnection

describe('call quality', () => {
  it('shows bit rates between readings, and none (not a negative one) when the call moved to a new connection', async () => {
    const first = await measure(peer(1_000_000, 2_000_000), null)
    expect(first.quality).toMatchObject({ inKbps: 0, outKbps: 0, jitterMs: 4 })
    const later = await measure(peer(1_125_000, 2_250_000), { ...first.totals, at: first.totals.at - 1000 })
    expect(later.quality.inKbps).toBeGreaterThan(900)
    expect(later.quality.inKbps).toBeLessThan(1001)
    // the conference connection's counters start again from zero
    const moved = await measure(peer(5_000, 6_000), later.totals)
    expect(moved.quality.inKbps).toBe(0)
    expect(moved.quality.outKbps).toBe(0)
    const next = await measure(peer(130_000, 131_000), { ...moved.totals, at: moved.totals.at - 1000 })
    expect(next.quality.inKbps).toBeGreaterThan(900)
  })
})
