// X-H264UC's PACSI NAL units (type 30, Microsoft's H.264 payload format, after RFC 6190 4.9) that a standard decoder must not see (../shared/sfb-media.md).

const pacsiType = 30
const stapA = 24

/**
 * An H.264 RTP payload (RFC 6184) without PACSI: a single-NAL packet of type 30 gives null (drop it); a STAP-A
 * loses its aggregated type-30 units, and a STAP-A left with one unit becomes that single NAL unit. Anything
 * else (single NAL units, FU-A) is returned as is. Adding a PACSI toward the pool is not done: the material
 * here does not give its fields ([MS-H264PF] is not among the pages), and a receiver that does not need it
 * decodes without it.
 */
export function stripPacsi(payload: Buffer): Buffer | null {
  if (payload.length === 0) return null
  const type = payload[0]! & 0x1f
  if (type === pacsiType) return null
  if (type !== stapA) return payload
  const units: Buffer[] = []
  for (let at = 1; at + 2 <= payload.length; ) {
    const size = payload.readUInt16BE(at)
    const unit = payload.subarray(at + 2, at + 2 + size)
    if (unit.length !== size) return payload // malformed: leave it for the decoder to judge
    if (size > 0 && (unit[0]! & 0x1f) !== pacsiType) units.push(unit)
    at += 2 + size
  }
  if (units.length === 0) return null
  if (units.length === 1) return Buffer.from(units[0]!)
  return Buffer.concat([payload.subarray(0, 1), ...units.flatMap((u) => [Buffer.from([u.length >> 8, u.length & 0xff]), u])])
}
