// The relay's rewriting: payload types and SSRCs by step 1's maps, PACSI out toward the renderer with no sequence gap, PLI recognised and written.
import { RtpHeader, RtpPacket } from 'werift'
import { describe, expect, it } from 'vitest'
import { addPacsi, stripPacsi } from '../../../main/media-bridge/pacsi'
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

describe('Relay: its per-kind tables and per-source numbering', () => {
  it('two sources on one leg (a conference\'s video) keep their own numbering: a PACSI-only packet of one shifts only its own sequence numbers', () => {
    const relay = new Relay(maps)
    const [a, b] = [0x1111, 0x2222]
    const seqOf = (p: RtpPacket) => relay.toRenderer('video', p.serialize())?.header.sequenceNumber ?? null
    expect([seqOf(packet(122, 500, [nal(5), 1], a)), seqOf(packet(122, 7000, [nal(5), 1], b))]).toEqual([500, 7000])
    expect(seqOf(packet(122, 501, [nal(30), 0, 0, 0], a))).toBeNull()
    expect(seqOf(packet(122, 7001, [nal(1), 2], b))).toBe(7001)
    expect(seqOf(packet(122, 502, [nal(1), 2], a))).toBe(501)
    // both go out with the WebRTC payload type and the bridge's WebRTC video SSRC
    const out = relay.toRenderer('video', packet(122, 7002, [nal(1), 3], b).serialize())!
    expect(out.header).toMatchObject({ payloadType: 107, ssrc: 222, sequenceNumber: 7002 })
  })

  it('a payload type maps only within its kind: 96 is telephone-event on audio, nothing on video; 107 is H.264 toward the pool only on video', () => {
    const relay = new Relay(maps)
    expect(relay.toRenderer('audio', packet(96, 1, [1]).serialize())?.header.payloadType).toBe(101)
    expect(relay.toRenderer('video', packet(96, 1, [nal(5)]).serialize())).toBeNull()
    expect(relay.toRenderer('audio', packet(122, 1, [nal(5)]).serialize())).toBeNull()
    expect(relay.toPool('audio', packet(107, 1, [nal(5)]))).toBeNull()
    expect(relay.toPool('video', packet(101, 1, [1]))).toBeNull()
    // telephone-event toward the pool is not H.264: no PACSI is put in front of it
    expect([...RtpPacket.deSerialize(relay.toPool('audio', packet(101, 1, [nal(5), 9]))!).payload]).toEqual([nal(5), 9])
  })

  it('a kind the maps give no SSRC for is not carried (the pool answered without video)', () => {
    const relay = new Relay({ payloadMap: maps.payloadMap, ssrcMap: maps.ssrcMap.filter((s) => s.kind === 'audio') })
    expect(relay.toRenderer('video', packet(122, 1, [nal(5)]).serialize())).toBeNull()
    expect(relay.toPool('video', packet(107, 1, [nal(5)]))).toBeNull()
    expect(relay.toRenderer('audio', packet(0, 1, [1]).serialize())?.header.ssrc).toBe(111)
  })

  it('changes neither what it is given: the pool\'s bytes (read again after it for the PLI\'s media SSRC) nor the renderer\'s packet (werift\'s track keeps its header)', () => {
    const relay = new Relay(maps)
    const plain = packet(122, 100, [nal(5), 1, 2], 0xabcdef).serialize()
    const copy = Buffer.from(plain)
    const out = relay.toRenderer('video', plain)!
    expect(plain).toEqual(copy)
    expect(out.header).toMatchObject({ payloadType: 107, ssrc: 222 })
    const fromRenderer = packet(107, 9, [nal(1), 4], 0x1234)
    fromRenderer.header.marker = true
    const first = relay.toPool('video', fromRenderer)!
    expect(fromRenderer.header).toMatchObject({ payloadType: 107, ssrc: 0x1234, sequenceNumber: 9 })
    expect([...fromRenderer.payload]).toEqual([nal(1), 4])
    // written again (the next frame starts there too), the same bytes: nothing of the first write stuck to the packet
    expect(relay.toPool('video', fromRenderer)).toEqual(first)
    expect(RtpPacket.deSerialize(first).header).toMatchObject({ payloadType: 122, ssrc: 6000, sequenceNumber: 9, marker: true })
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

describe('addPacsi', () => {
  const stap = (...units: number[][]) => [nal(24), ...units.flatMap((u) => [0, u.length, ...u])]

  it('a single NAL unit becomes a STAP-A led by a 5-byte PACSI (RFC 6190 4.9): base-layer SVC header, A for an IDR, S, and E on the last packet', () => {
    const idr = [nal(5), 1, 2, 3]
    expect([...addPacsi(Buffer.from(idr), { last: true })!]).toEqual(stap([nal(30), 0xc0, 0x80, 0x07, 0x13], idr))
    const slice = [0x40 | 1, 9]
    expect([...addPacsi(Buffer.from(slice), { last: false })!]).toEqual([0x40 | 24, 0, 5, 0x40 | 30, 0x80, 0x80, 0x07, 0x02, 0, 2, ...slice])
  })

  it('a STAP-A gets the PACSI as its first unit; an FU-A is not changed; stripPacsi undoes it', () => {
    const sps = [nal(7), 0x42, 0xe0]
    const pps = [nal(8), 0xce]
    const withPacsi = addPacsi(Buffer.from(stap(sps, pps)), { last: false })!
    expect([...withPacsi]).toEqual(stap([nal(30), 0x80, 0x80, 0x07, 0x02], sps, pps))
    expect([...stripPacsi(withPacsi)!]).toEqual(stap(sps, pps))
    expect([...stripPacsi(addPacsi(Buffer.from([nal(5), 7]), { last: true })!)!]).toEqual([nal(5), 7])
    expect(addPacsi(Buffer.from([0x7c, 0x85, 1]), { last: false })).toBeNull()
  })

  it('the relay adds it toward the pool to the first packet of each access unit only', () => {
    const relay = new Relay(maps)
    const types = (b: Buffer) => RtpPacket.deSerialize(b).payload[0]! & 0x1f
    const frame = (seq: number, marker: boolean) => {
      const p = packet(107, seq, [nal(1), seq])
      p.header.marker = marker
      return relay.toPool('video', p)!
    }
    expect([frame(1, false), frame(2, true), frame(3, true), frame(4, false), frame(5, true)].map(types)).toEqual([24, 1, 24, 24, 1])
  })
})
