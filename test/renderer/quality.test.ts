// The call's live quality line: figures read from getStats, rates between two readings.
import { describe, expect, it } from 'vitest'
import { measure } from '../../renderer/src/media/quality'

const peer = (bytesIn: number, bytesOut: number) =>
  ({
    getStats: async () =>
      new Map<string, Record<string, unknown>>([
        ['in', { type: 'inbound-rtp', kind: 'audio', bytesReceived: bytesIn, packetsReceived: 100, packetsLost: 0, jitter: 0.004 }],
        ['out', { type: 'outbound-rtp', kind: 'audio', bytesSent: bytesOut }],
        ['pair', { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.02 }],
      ]),
  }) as unknown as RTCPeerConnection

describe('call quality', () => {
  it('shows bit rates between readings, and none (not a negative one) when the call moved to a new connection', async () => {
    const first = await measure(peer(1_000_000, 2_000_000), null)
    // no rate yet: no quality claimed either
    expect(first.quality).toMatchObject({ inKbps: 0, outKbps: 0, jitterMs: 4, grade: 'unknown' })
    const later = await measure(peer(1_125_000, 2_250_000), { ...first.totals, at: first.totals.at - 1000 })
    expect(later.quality.inKbps).toBeGreaterThan(900)
    expect(later.quality.inKbps).toBeLessThan(1001)
    expect(later.quality.grade).toBe('good')
    // nothing arriving any more (on hold): 0 kb/s is no quality at all
    const held = await measure(peer(1_125_000, 2_250_000), { ...later.totals, at: later.totals.at - 1000 })
    expect(held.quality).toMatchObject({ inKbps: 0, grade: 'unknown' })
    // the conference connection's counters start again from zero
    const moved = await measure(peer(5_000, 6_000), later.totals)
    expect(moved.quality.inKbps).toBe(0)
    expect(moved.quality.outKbps).toBe(0)
    const next = await measure(peer(130_000, 131_000), { ...moved.totals, at: moved.totals.at - 1000 })
    expect(next.quality.inKbps).toBeGreaterThan(900)
  })

  it('says who is speaking: a remote track whose level over the last reading is above the threshold, not one that is silent or new', async () => {
    const peerWith = (voice: number, quiet: number) =>
      ({
        getStats: async () =>
          new Map<string, Record<string, unknown>>([
            ['a', { type: 'inbound-rtp', kind: 'audio', trackIdentifier: 'voice', totalAudioEnergy: voice, totalSamplesDuration: 10 }],
            ['b', { type: 'inbound-rtp', kind: 'audio', trackIdentifier: 'quiet', totalAudioEnergy: quiet, totalSamplesDuration: 10 }],
          ]),
      }) as unknown as RTCPeerConnection
    const first = await measure(peerWith(1, 0), null)
    expect(first.quality.speaking).toEqual([]) // no interval yet
    // one second later: 0.04 of energy in 1 s is an RMS of 0.2 (speech); 1e-6 is 0.001 (background)
    const at = (t: typeof first.totals, energy: Map<string, { energy: number; seconds: number; bytes: number }>) => ({ ...t, energy, at: t.at - 1000 })
    const before = new Map([['voice', { energy: 1, seconds: 9, bytes: 0 }], ['quiet', { energy: 0, seconds: 9, bytes: 0 }]])
    const later = await measure(peerWith(1.04, 1e-6), at(first.totals, before))
    expect(later.quality.speaking).toEqual(['voice'])
  })

  it('names a remote track silent when its packets carried digital silence (a muted microphone), not when nothing arrived or any sound did', async () => {
    const peerWith = (tracks: Record<string, { energy: number; seconds: number; bytes: number }>) =>
      ({
        getStats: async () =>
          new Map<string, Record<string, unknown>>(
            Object.entries(tracks).map(([id, t]) => [id, { type: 'inbound-rtp', kind: 'audio', trackIdentifier: id, totalAudioEnergy: t.energy, totalSamplesDuration: t.seconds, bytesReceived: t.bytes }]),
          ),
      }) as unknown as RTCPeerConnection
    const before = { muted: { energy: 0.5, seconds: 9, bytes: 9000 }, held: { energy: 0.5, seconds: 9, bytes: 9000 }, noise: { energy: 0.5, seconds: 9, bytes: 9000 } }
    const first = await measure(peerWith(before), null)
    expect(first.quality.silent).toEqual([]) // no interval yet
    const later = await measure(peerWith({ muted: { energy: 0.5, seconds: 10, bytes: 10_000 }, held: { energy: 0.5, seconds: 10, bytes: 9000 }, noise: { energy: 0.5 + 1e-9, seconds: 10, bytes: 10_000 } }), { ...first.totals, at: first.totals.at - 1000 })
    expect(later.quality.silent).toEqual(['muted'])
  })
})
