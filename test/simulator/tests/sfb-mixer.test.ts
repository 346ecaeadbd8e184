// The sfb2015 conference unit's audio mixer alone: who hears whom, in which law, with which CSRCs; G.722 passed
// through between two members and counted as unheard with more; bytes that are not RTP dropped.
import { afterEach, describe, expect, it } from 'vitest'
import { RtpHeader, RtpPacket } from 'werift'
import type { BridgeCodec } from '../../../main/media-bridge/codecs'
import { AudioMixer } from '../conference/sfb-mixer'
import { mulawTone } from '../sfb/g711'

let mixer: AudioMixer
afterEach(() => mixer?.close())

const codecs = new Map<number, BridgeCodec>([
  [0, 'PCMU'],
  [8, 'PCMA'],
  [9, 'G722'],
])
function member(id: string, msi: number): { got: RtpPacket[]; add(): void } {
  const got: RtpPacket[] = []
  return { got, add: () => mixer.add({ id, msi, ssrc: msi * 10, codecs, send: (p) => got.push(RtpPacket.deSerialize(p)) }) }
}
const rtp = (payloadType: number, payload: Buffer, seq = 1) => new RtpPacket(new RtpHeader({ payloadType, sequenceNumber: seq, timestamp: seq * 160, ssrc: 77 }), payload).serialize()
const ticks = (n: number) => new Promise((r) => setTimeout(r, 20 * n + 10))

describe('the sfb2015 unit’s audio mixer', () => {
  it('mixes the others’ G.711 for each member, from the unit’s SSRC, the CSRCs naming who is in it, never oneself', async () => {
    mixer = new AudioMixer()
    const [a, b, c] = [member('a', 100), member('b', 200), member('c', 300)]
    for (const m of [a, b, c]) m.add()
    mixer.receive('a', rtp(0, mulawTone(400, 0, 160)))
    mixer.receive('b', rtp(8, Buffer.alloc(160, 0xd5))) // PCMA silence: B speaks A-law, so it hears A-law
    await ticks(2)
    expect(c.got.map((p) => [p.header.ssrc, p.header.payloadType, [...p.header.csrc].sort()])).toEqual([[3000, 0, [100, 200]]])
    expect(b.got.map((p) => [p.header.payloadType, p.header.csrc])).toEqual([[8, [100]]])
    expect(a.got.map((p) => p.header.csrc)).toEqual([[200]])
    expect(c.got[0]!.header.marker).toBe(true) // the first packet after silence (RFC 3551 4.1)
  })

  it('passes G.722 through between two members and counts it as unheard with three; drops bytes that are not RTP', async () => {
    mixer = new AudioMixer()
    const [a, b, c] = [member('a', 100), member('b', 200), member('c', 300)]
    a.add()
    b.add()
    const g722 = Buffer.alloc(160, 0x42)
    mixer.receive('a', rtp(9, g722))
    expect(b.got.map((p) => [p.header.payloadType, p.header.csrc, p.payload.equals(g722)])).toEqual([[9, [100], true]])
    c.add()
    mixer.receive('a', rtp(9, g722, 2))
    expect(mixer.unmixed).toBe(1)
    expect(b.got).toHaveLength(1)
    for (const junk of [Buffer.alloc(3), Buffer.from([0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]) expect(() => mixer.receive('b', junk)).not.toThrow()
    mixer.receive('b', rtp(0, mulawTone(1000, 0, 160)))
    await ticks(2)
    expect(a.got.map((p) => p.header.csrc)).toEqual([[200]]) // the mix goes on after the junk
  })
})
