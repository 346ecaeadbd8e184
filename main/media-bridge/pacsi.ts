// X-H264UC's PACSI NAL units (type 30, Microsoft's H.264 payload format, after RFC 6190 4.9) that a standard decoder must not see (../shared/sfb-media.md).

const pacsiType = 30
const stapA = 24

/**
 * An H.264 RTP payload (RFC 6184) without PACSI: a single-NAL packet of type 30 gives null (drop it); a STAP-A
 * loses its aggregated type-30 units, and a STAP-A left with one unit becomes that single NAL unit. Anything
 * else (single NAL units, FU-A) is returned as is.
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

/**
 * The first packet of an access unit toward the pool, led by a minimal PACSI: a single NAL unit becomes a STAP-A
 * (RFC 6184 5.7.1) of [PACSI, unit], a STAP-A gets the PACSI as its first unit; an FU-A is left as is (one more
 * packet would shift every sequence number). The PACSI follows RFC 6190 4.9, on which X-H264UC's is based
 * ([MS-H264PF] itself is not among this project's pages): NAL type 30 with the aggregated units' NRI, an SVC
 * header for the base layer (R=1, I=idr, PRID 0; N=1, DID 0, QID 0; TID 0, O=1, RR=3), then the flags with no
 * optional field (A for an IDR, S set, E when `last`). Null when the payload is not one of those.
 */
export function addPacsi(payload: Buffer, frame: { last: boolean }): Buffer | null {
  if (payload.length === 0) return null
  const type = payload[0]! & 0x1f
  const units: Buffer[] = []
  if (type >= 1 && type <= 23) units.push(payload)
  else if (type === stapA) {
    for (let at = 1; at + 2 <= payload.length; ) {
      const size = payload.readUInt16BE(at)
      const unit = payload.subarray(at + 2, at + 2 + size)
      if (unit.length !== size || size === 0) return null
      units.push(unit)
      at += 2 + size
    }
  } else return null
  const nri = Math.max(...units.map((u) => u[0]! & 0x60))
  const idr = units.some((u) => (u[0]! & 0x1f) === 5)
  const pacsi = Buffer.from([nri | pacsiType, 0x80 | (idr ? 0x40 : 0), 0x80, 0x07, (idr ? 0x10 : 0) | 0x02 | (frame.last ? 0x01 : 0)])
  return Buffer.concat([Buffer.from([nri | stapA]), ...[pacsi, ...units].flatMap((u) => [Buffer.from([u.length >> 8, u.length & 0xff]), u])])
}
