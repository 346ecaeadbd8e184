// Video source requests (VSR, [MS-RTP]): how an SfB client asks the conference unit for a member's video.
//
// [MS-RTP] defines the VSR as an application layer feedback message; its byte layout is not in this project's
// material (../shared/sfb-media.md names the message, its x-message SDP name `src` and the MSI it asks for, no
// more). So the simplest form that keeps to RFC 4585 is used: payload-specific feedback (PT 206) of FMT 15
// (application layer feedback, RFC 4585 6.4), "SSRC of media source" naming the requested media source id
// (MSI), then an FCI of a 16-bit message type (1, VSR), its 16-bit length in bytes (8) and a 16-bit request id.
// It goes out as reduced-size RTCP (RFC 5506), as [MS-RTP] sends feedback.
// Written twice on purpose: main/media-bridge/vsr.ts is Parley's own copy; sharing it would make the tests prove Parley talks to itself.

const psfb = 206
const afbFmt = 15
const vsrType = 1

/** A VSR from `senderSsrc` asking for the video of media source `msi`; `requestId` tells requests apart. */
export function videoSourceRequest(senderSsrc: number, msi: number, requestId = 1): Buffer {
  const b = Buffer.alloc(20)
  b[0] = 0x80 | afbFmt
  b[1] = psfb
  b.writeUInt16BE(b.length / 4 - 1, 2)
  b.writeUInt32BE(senderSsrc >>> 0, 4)
  b.writeUInt32BE(msi >>> 0, 8)
  b.writeUInt16BE(vsrType, 12)
  b.writeUInt16BE(8, 14)
  b.writeUInt16BE(requestId & 0xffff, 16)
  return b
}

/** The MSIs a (compound or reduced-size) RTCP packet asks video of, walking its packets by their length fields; [] when none. */
export function requestedSources(rtcp: Buffer): number[] {
  const out: number[] = []
  for (let at = 0; at + 4 <= rtcp.length; at += (rtcp.readUInt16BE(at + 2) + 1) * 4) {
    if (rtcp[at + 1] !== psfb || (rtcp[at]! & 0x1f) !== afbFmt || at + 16 > rtcp.length) continue
    if (rtcp.readUInt16BE(at + 12) === vsrType) out.push(rtcp.readUInt32BE(at + 8))
  }
  return out
}
