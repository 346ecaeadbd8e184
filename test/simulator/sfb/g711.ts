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
