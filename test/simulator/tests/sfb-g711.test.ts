// G.711 μ-law and A-law as the simulated SfB endpoints and the sfb2015 conference unit's mixer encode and decode them
// (ITU-T G.711 table values), and the tone detector the conference tests listen with.
import { describe, expect, it } from 'vitest'
import { alawToLinear, linearToAlaw, linearToMulaw, mulawRms, mulawTone, mulawToLinear, toneAmplitude } from '../sfb/g711'

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

describe('G.711 A-law', () => {
  it('encodes the table points: 0 → 0xD5, the top of the range → 0xAA / 0x2A, and decodes them back', () => {
    expect(linearToAlaw(0)).toBe(0xd5)
    expect(linearToAlaw(32767)).toBe(0xaa)
    expect(linearToAlaw(-32768)).toBe(0x2a)
    expect(alawToLinear(0xd5)).toBe(8)
    expect(alawToLinear(0xaa)).toBe(32256)
    expect(alawToLinear(0x2a)).toBe(-32256)
  })

  it('round-trips within the segment\'s quantisation step (under 1/16 of the value, plus 16 near zero)', () => {
    for (let x = -32000; x <= 32000; x += 137) expect(Math.abs(alawToLinear(linearToAlaw(x)) - x)).toBeLessThanOrEqual(Math.abs(x) / 16 + 16)
  })
})

describe('tone amplitude (Goertzel)', () => {
  const tone = (hz: number, amplitude: number) => Int16Array.from({ length: 160 }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / 8000))
  it('gives a tone\'s amplitude at its frequency and next to nothing at another bin, also in a mix', () => {
    expect(toneAmplitude(tone(400, 8000), 400)).toBeCloseTo(8000, -2)
    expect(toneAmplitude(tone(400, 8000), 1000)).toBeLessThan(50)
    const mix = tone(1000, 8000).map((v, i) => v + tone(1600, 4000)[i]!)
    expect(toneAmplitude(mix, 1000)).toBeCloseTo(8000, -2)
    expect(toneAmplitude(mix, 1600)).toBeCloseTo(4000, -2)
    expect(toneAmplitude(mix, 400)).toBeLessThan(50)
  })
})
