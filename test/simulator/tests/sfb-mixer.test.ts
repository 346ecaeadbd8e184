// The sfb2015 conference unit's audio mixer alone: who hears whom, in which law, with which CSRCs; G.722 passed
// through to whoever hears nobody else and counted as unheard otherwise; bytes that are not RTP dropped.
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

  it('passes G.722 through to whoever hears nobody else, one timeline with the mix; counts it unheard while someone else talks', async () => {
    mixer = new AudioMixer()
    const [a, b, c] = [member('a', 100), member('b', 200), member('c', 300)]
    for (const m of [a, b, c]) m.add()
    const g722 = Buffer.alloc(160, 0x42)
    const burstStart = performance.now()
    mixer.receive('a', rtp(9, g722, 1))
    mixer.receive('a', rtp(9, g722, 2)) // a burst: the next frame, not the same one
    const burstMs = performance.now() - burstStart
    for (const to of [b, c]) expect(to.got.map((p) => [p.header.payloadType, p.header.csrc, p.payload.equals(g722)])).toEqual([[9, [100], true], [9, [100], true]])
    // the timeline follows the clock: one frame (160) apart, more only when the loaded machine paused between the two
    const step = (b.got[1]!.header.timestamp - b.got[0]!.header.timestamp) >>> 0
    expect(step % 160).toBe(0)
    expect(step).toBeGreaterThanOrEqual(160)
    expect(step).toBeLessThanOrEqual(160 * (1 + Math.ceil(burstMs / 20)))
    expect(mixer.unmixed).toBe(0)
    // Carol talks (G.711): Bob hears her mix, and Alice's G.722 no longer reaches him; Carol still gets it, nobody else talks for her
    mixer.receive('c', rtp(0, mulawTone(1000, 0, 160)))
    mixer.receive('a', rtp(9, g722, 3))
    expect(mixer.unmixed).toBe(1)
    expect(c.got).toHaveLength(3)
    await ticks(2)
    expect(b.got.slice(2).map((p) => [p.header.payloadType, p.header.csrc])).toEqual([[0, [300]]])
    expect((b.got[2]!.header.timestamp - b.got[1]!.header.timestamp) >>> 0).toBeGreaterThan(0) // one timeline, forwards
    expect((b.got[2]!.header.timestamp - b.got[1]!.header.timestamp) >>> 0).toBeLessThan(160 * 20)
  })

  it('drops bytes that are not RTP and goes on mixing', async () => {
    mixer = new AudioMixer()
    const [a, b] = [member('a', 100), member('b', 200)]
    a.add()
    b.add()
    for (const junk of [Buffer.alloc(3), Buffer.from([0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]) expect(() => mixer.receive('b', junk)).not.toThrow()
    mixer.receive('b', rtp(0, mulawTone(1000, 0, 160)))
    await ticks(2)
    expect(a.got.map((p) => p.header.csrc)).toEqual([[200]])
  })
})
