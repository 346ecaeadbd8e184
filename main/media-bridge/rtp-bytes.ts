// RTP packet bytes (RFC 3550 5.1) for the bridge's per-packet path: read into werift's packet without its parser (which
// goes through strings for every bit field), and written from a header with another payload type and SSRC.
import { ExtensionProfiles, RtpHeader, RtpPacket } from 'werift'

/**
 * RTP bytes → werift's RtpPacket: the header's fields and CSRCs, the payload a view of `rtp` (not a copy), the padding
 * counted as werift counts it. A packet with a header extension is left to werift's RtpPacket.deSerialize, so its
 * extensions are read as they always were. `rtp` must be at least 12 bytes.
 */
export function readRtp(rtp: Buffer): RtpPacket {
  const first = rtp[0]!
  if (first & 0x10) return RtpPacket.deSerialize(rtp)
  const h = new RtpHeader()
  h.version = first >> 6
  h.padding = (first & 0x20) !== 0
  h.csrcLength = first & 0x0f
  h.marker = (rtp[1]! & 0x80) !== 0
  h.payloadType = rtp[1]! & 0x7f
  h.sequenceNumber = rtp.readUInt16BE(2)
  h.timestamp = rtp.readUInt32BE(4)
  h.ssrc = rtp.readUInt32BE(8)
  for (let i = 0; i < h.csrcLength && 16 + 4 * i <= rtp.length; i++) h.csrc.push(rtp.readUInt32BE(12 + 4 * i))
  const start = rtpPayloadStart(rtp)
  h.payloadOffset = start
  if (h.padding) h.paddingSize = rtp[rtp.length - 1]!
  return new RtpPacket(h, rtp.subarray(start, rtp.length - h.paddingSize))
}

/**
 * Where the payload of RTP bytes `rtp` starts: after the fixed header, the CSRCs and the header extension (RFC 3550
 * 5.3.1: 4 bytes, then its length in 32-bit words); at most the packet's length.
 */
export function rtpPayloadStart(rtp: Buffer): number {
  let start = 12 + 4 * (rtp[0]! & 0x0f)
  if (rtp[0]! & 0x10 && start + 4 <= rtp.length) start += 4 + 4 * rtp.readUInt16BE(start + 2)
  return Math.min(start, rtp.length)
}

/**
 * `header`'s packet as RTP bytes with `payloadType` and `ssrc` in place of its own and `payload` after it, in a buffer of
 * its own; `header` itself is not changed (werift hands the same header object to more than one reader). Writes what
 * werift's RtpPacket.serialize writes: the CSRCs, the header extension in its profile (RFC 8285 one- or two-byte, else
 * the raw block) padded to 32 bits, and the padding the header counts, its last byte giving its length (RFC 3550 5.1).
 */
export function writeRtp(header: RtpHeader, payloadType: number, ssrc: number, payload: Buffer): Buffer {
  const { csrc, extensions } = header
  const extended = extensions.length > 0 || header.extension
  const extensionBody = extended ? extensionLength(header) : 0
  const extensionBlock = extended ? 4 + ((extensionBody + 3) & ~3) : 0
  const start = 12 + 4 * csrc.length + extensionBlock
  const padding = header.padding ? header.paddingSize : 0
  const out = Buffer.allocUnsafe(start + payload.length + padding)
  out[0] = ((header.version & 0x03) << 6) | (padding ? 0x20 : 0) | (extended ? 0x10 : 0) | (csrc.length & 0x0f)
  out[1] = (header.marker ? 0x80 : 0) | (payloadType & 0x7f)
  out.writeUInt16BE(header.sequenceNumber & 0xffff, 2)
  out.writeUInt32BE(header.timestamp >>> 0, 4)
  out.writeUInt32BE(ssrc >>> 0, 8)
  for (let i = 0; i < csrc.length; i++) out.writeUInt32BE(csrc[i]! >>> 0, 12 + 4 * i)
  if (extended) writeExtensions(header, out, 12 + 4 * csrc.length, extensionBlock - 4)
  payload.copy(out, start)
  if (padding) {
    out.fill(0, start + payload.length, out.length - 1)
    out[out.length - 1] = padding
  }
  return out
}

/** The header extension's bytes before its 32-bit padding (RFC 8285 4.2, 4.3; any other profile: its one raw block). */
function extensionLength({ extensionProfile, extensions }: RtpHeader): number {
  let size = 0
  if (extensionProfile === ExtensionProfiles.OneByte) for (let i = 0; i < extensions.length; i++) size += 1 + extensions[i]!.payload.length
  else if (extensionProfile === ExtensionProfiles.TwoByte) for (let i = 0; i < extensions.length; i++) size += 2 + extensions[i]!.payload.length
  else size = extensions[0]?.payload.length ?? 0
  return size
}

/** The extension block at `at`: profile, length in words, the elements, zeros up to its `bytes` (a multiple of 4) after those 4. */
function writeExtensions({ extensionProfile, extensions }: RtpHeader, out: Buffer, at: number, bytes: number): void {
  out.writeUInt16BE(extensionProfile, at)
  out.writeUInt16BE(bytes / 4, at + 2)
  const end = at + 4 + bytes
  at += 4
  if (extensionProfile === ExtensionProfiles.OneByte || extensionProfile === ExtensionProfiles.TwoByte) {
    const oneByte = extensionProfile === ExtensionProfiles.OneByte
    for (let i = 0; i < extensions.length; i++) {
      const { id, payload } = extensions[i]!
      if (oneByte) out[at++] = ((id & 0x0f) << 4) | ((payload.length - 1) & 0x0f)
      else {
        out[at++] = id & 0xff
        out[at++] = payload.length & 0xff
      }
      at += payload.copy(out, at)
    }
  } else if (extensions[0]) at += extensions[0].payload.copy(out, at)
  out.fill(0, at, end)
}
