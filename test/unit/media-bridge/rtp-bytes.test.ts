// RTP bytes read and written without werift's parser: the same packet werift reads, the same bytes werift writes.
import { ExtensionProfiles, RtpHeader, RtpPacket } from 'werift'
import { describe, expect, it } from 'vitest'
import { readRtp, rtpPayloadStart, writeRtp } from '../../../main/media-bridge/rtp-bytes'

/** Packets with each header feature: CSRCs, the marker, padding, one- and two-byte header extensions (RFC 8285). */
function variants(): RtpPacket[] {
  const base = { version: 2, payloadType: 107, sequenceNumber: 0xfffe, timestamp: 0xfffffff0, ssrc: 0xdeadbeef }
  const payload = Buffer.from([0x65, 1, 2, 3, 4, 5])
  return [
    new RtpPacket(new RtpHeader(base), payload),
    new RtpPacket(new RtpHeader({ ...base, marker: true, csrc: [0x01020304, 0xa0b0c0d0] }), payload),
    new RtpPacket(new RtpHeader({ ...base, padding: true, paddingSize: 3 }), payload),
    new RtpPacket(new RtpHeader({ ...base, extensions: [{ id: 1, payload: Buffer.from([9]) }, { id: 3, payload: Buffer.from([7, 7, 7]) }] }), payload),
    new RtpPacket(new RtpHeader({ ...base, extensionProfile: ExtensionProfiles.TwoByte, extensions: [{ id: 200, payload: Buffer.from([1, 2]) }] }), payload),
  ]
}

describe('readRtp', () => {
  it('gives the header fields and payload werift\'s RtpPacket.deSerialize gives, for each header feature', () => {
    for (const p of variants()) {
      const bytes = p.serialize()
      const ours = readRtp(bytes)
      const theirs = RtpPacket.deSerialize(bytes)
      expect({ ...ours.header }).toEqual({ ...theirs.header })
      expect(ours.payload).toEqual(theirs.payload)
    }
  })

  it('its payload is a view of the bytes, not a copy, and ends before the padding', () => {
    const bytes = variants()[2]!.serialize()
    const p = readRtp(bytes)
    expect(p.payload.buffer).toBe(bytes.buffer)
    expect([...p.payload]).toEqual([0x65, 1, 2, 3, 4, 5])
    expect(rtpPayloadStart(bytes)).toBe(12)
  })

  it('the payload starts after the CSRCs and the header extension (RFC 3550 5.3.1), never past the end', () => {
    expect(rtpPayloadStart(variants()[1]!.serialize())).toBe(20)
    expect(rtpPayloadStart(variants()[3]!.serialize())).toBe(12 + 4 + 8)
    // an extension length that runs past the packet
    expect(rtpPayloadStart(Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9]))).toBe(16)
  })
})

describe('writeRtp', () => {
  it('writes what werift writes for a clone given the new payload type, SSRC and payload, and leaves the header alone', () => {
    for (const p of variants()) {
      const header = RtpPacket.deSerialize(p.serialize()).header
      const before = { ...header, csrc: [...header.csrc], extensions: [...header.extensions] }
      const payload = Buffer.from([0x78, 0, 5, 0x65, 1, 2, 3, 4])
      const expected = new RtpPacket(new RtpHeader({ ...header, payloadType: 122, ssrc: 6000 }), payload).serialize()
      expect(writeRtp(header, 122, 6000, payload)).toEqual(expected)
      expect({ ...header }).toEqual(before)
    }
  })
})
