// G.711 μ-law as the simulated SfB endpoint encodes and decodes it (ITU-T G.711 table values).
import { describe, expect, it } from 'vitest'
import { linearToMulaw, mulawRms, mulawTone, mulawToLinear } from '../sfb/g711'

describe('G.711 μ-law', () => {
  it('encodes the table points: 0 → 0xFF, the top of the range → 0x80 / 0x00, and decodes them back', () => {
    expect(linearToMulaw(0)).toBe(0xff)
    expect(linearToMulaw(32767)).toBe(0x80)
    expect(linearToMulaw(-32768)).toBe(0x00)
    expect(mulawToLinear(0xff)).toBe(0)
    expect(mulawToLinear(0x80)).toBe(32124)
    expect(mulawToLinear(0x00)).toBe(-32124)
  })

  it('round-trips within the segment\'s quantisation step (under 1/16 of the value, plus the bias near zero)', () => {
    for (let x = -32000; x <= 32000; x += 137) expect(Math.abs(mulawToLinear(linearToMulaw(x)) - x)).toBeLessThanOrEqual(Math.abs(x) / 16 + 8)
  })

  it('a tone has the RMS of its amplitude (A/√2); silence has none', () => {
    expect(mulawRms(mulawTone(440, 0, 8000, 8000))).toBeGreaterThan(5400)
    expect(mulawRms(mulawTone(440, 0, 8000, 8000))).toBeLessThan(5900)
    expect(mulawRms(Buffer.alloc(160, 0xff))).toBe(0)
  })
})
