// G.711 μ-law (ITU-T G.711, the Sun reference algorithm): what the simulated SfB endpoint sends as PCMU (RTP payload type 0).

const bias = 0x84
const clip = 32635

/** One 16-bit linear sample → one μ-law byte. */
export function linearToMulaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)))
  const sign = s < 0 ? 0x80 : 0
  if (s < 0) s = -s
  s = Math.min(s, clip) + bias
  let exponent = 7
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--
  const mantissa = (s >> (exponent + 3)) & 0x0f
  return ~(sign | (exponent << 4) | mantissa) & 0xff
}

/** One μ-law byte → a 16-bit linear sample. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff
  const magnitude = ((((u & 0x0f) << 3) + bias) << ((u & 0x70) >> 4)) - bias
  return u & 0x80 ? -magnitude : magnitude
}

/** A sine tone at `hz` as 8 kHz μ-law, `samples` long, starting at sample index `from` (phase continuous across frames). */
export function mulawTone(hz: number, from: number, samples: number, amplitude = 8000): Buffer {
  const out = Buffer.alloc(samples)
  for (let i = 0; i < samples; i++) out[i] = linearToMulaw(amplitude * Math.sin((2 * Math.PI * hz * (from + i)) / 8000))
  return out
}

/** RMS of μ-law bytes as linear samples, 0..32767: silence (0xFF) is 0. */
export function mulawRms(bytes: Buffer): number {
  if (bytes.length === 0) return 0
  let sum = 0
  for (const b of bytes) sum += mulawToLinear(b) ** 2
  return Math.sqrt(sum / bytes.length)
}

/** A-law segment ends for 13-bit magnitudes (the Sun reference's seg_aend). */
const alawSegmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff]

/** One 16-bit linear sample → one A-law byte (G.711, even bits inverted). */
export function linearToAlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3
  let mask = 0xd5
  if (s < 0) {
    mask = 0x55
    s = -s - 1
  }
  const segment = alawSegmentEnds.findIndex((end) => s <= end)
  if (segment < 0) return 0x7f ^ mask
  const a = (segment << 4) | ((segment < 2 ? s >> 1 : s >> segment) & 0x0f)
  return a ^ mask
}

/** One A-law byte → a 16-bit linear sample. */
export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55
  let t = (a & 0x0f) << 4
  const segment = (a & 0x70) >> 4
  if (segment === 0) t += 8
  else t = (t + 0x108) << (segment - 1)
  return a & 0x80 ? t : -t
}

/** Amplitude (0..32767) of the `hz` component of 8 kHz samples (Goertzel): a tone of amplitude A gives about A. */
export function toneAmplitude(samples: ArrayLike<number>, hz: number): number {
  const n = samples.length
  if (n === 0) return 0
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / 8000)
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const s = samples[i]! + coeff * s1 - s2
    s2 = s1
    s1 = s
  }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2))) / n
}
