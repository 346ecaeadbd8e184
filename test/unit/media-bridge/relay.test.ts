// The relay's rewriting: payload types and SSRCs by step 1's maps, PACSI out toward the renderer with no sequence gap, PLI recognised and written.
import { RtpHeader, RtpPacket } from 'werift'
import { describe, expect, it } from 'vitest'
import { stripPacsi } from '../../../main/media-bridge/pacsi'
import { hasPli, Relay } from '../../../main/media-bridge/relay'

const maps = {
  payloadMap: [
    { kind: 'audio' as const, codec: 'PCMU' as const, sfb: 0, webrtc: 0 },
    { kind: 'audio' as const, codec: 'telephone-event' as const, sfb: 96, webrtc: 101 },
    { kind: 'video' as const, codec: 'H264' as const, sfb: 122, webrtc: 107 },
  ],
  ssrcMap: [
    { kind: 'audio' as const, sfb: { first: 5000, last: 5000 }, webrtc: 111 },
    { kind: 'video' as const, sfb: { first: 6000, last: 6099 }, webrtc: 222 },
  ],
}

function packet(pt: number, seq: number, payload: number[], ssrc = 0xdead): RtpPacket {
  return new RtpPacket(new RtpHeader({ version: 2, payloadType: pt, sequenceNumber: seq, timestamp: seq * 3000, ssrc }), Buffer.from(payload))
}

/** A NAL unit header byte of `type` with NRI 3. */
const nal = (type: number) => 0x60 | type

describe('Relay', () => {
  it('toward the renderer: the WebRTC payload type of the same codec and the bridge\'s WebRTC SSRC; a payload type not agreed is dropped', () => {
    const relay = new Relay(maps)
    const out = relay.toRenderer('audio', packet(96, 10, [1, 2]).serialize())!
    expect(out.header).toMatchObject({ payloadType: 101, ssrc: 111, sequenceNumber: 10 })
    expect([...out.payload]).toEqual([1, 2])
    expect(relay.toRenderer('audio', packet(8, 11, [1]).serialize())).toBeNull()
  })

  it('toward the pool: the SfB payload type and the first SSRC of the bridge\'s x-ssrc-range', () => {
    const relay = new Relay(maps)
    const out = RtpPacket.deSerialize(relay.toPool('video', packet(107, 3, [nal(5), 9]))!)
    expect(out.header).toMatchObject({ payloadType: 122, ssrc: 6000, sequenceNumber: 3 })
    expect(relay.toPool('video', packet(96, 4, [1]))).toBeNull()
  })

  it('H.264 toward the renderer: a PACSI-only packet is dropped and the sequence numbers after it close the gap', () => {
    const relay = new Relay(maps)
    expect(relay.toRenderer('video', packet(122, 100, [nal(5), 1]).serialize())!.header.sequenceNumber).toBe(100)
    expect(relay.toRenderer('video', packet(122, 101, [nal(30), 0, 0, 0]).serialize())).toBeNull()
    const next = relay.toRenderer('video', packet(122, 102, [nal(1), 7]).serialize())!
    expect(next.header.sequenceNumber).toBe(101)
    expect(next.header.payloadType).toBe(107)
  })

  it('PLI: recognised inside a compound RTCP packet, and written toward the pool from the bridge\'s SSRC (RFC 4585 6.3.1)', () => {
    const relay = new Relay(maps)
    const pli = relay.pliToPool('video', 0xabcdef)
    expect([...pli.subarray(0, 4)]).toEqual([0x81, 206, 0, 2])
    expect(pli.readUInt32BE(4)).toBe(6000)
    expect(pli.readUInt32BE(8)).toBe(0xabcdef)
    const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1])
    expect(hasPli(Buffer.concat([rr, pli]))).toBe(true)
    expect(hasPli(rr)).toBe(false)
    // FIR (FMT 4) is not a PLI
    expect(hasPli(Buffer.from([0x84, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]))).toBe(false)
  })
})

describe('stripPacsi', () => {
  it('drops a PACSI single NAL packet, removes PACSI from a STAP-A, leaves other payloads alone', () => {
    expect(stripPacsi(Buffer.from([nal(30), 1, 2]))).toBeNull()
    const sps = [nal(7), 0x42, 0xe0]
    const pps = [nal(8), 0xce]
    const pacsi = [nal(30), 0x80, 0, 0]
    const stap = (...units: number[][]) => Buffer.from([nal(24), ...units.flatMap((u) => [0, u.length, ...u])])
    expect([...stripPacsi(stap(pacsi, sps, pps))!]).toEqual([...stap(sps, pps)])
    expect([...stripPacsi(stap(pacsi, sps))!]).toEqual(sps)
    expect(stripPacsi(stap(pacsi))).toBeNull()
    const fuA = Buffer.from([0x7c, 0x85, 1, 2, 3])
    expect(stripPacsi(fuA)).toBe(fuA)
  })
})
