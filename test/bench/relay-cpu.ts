// The relay's own cost per packet, load-independent enough to compare two builds: CPU time (not wall time) and heap
// bytes allocated per 1,000 packets, one P2P video call's packet mix, in this thread alone.
// Run: `node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx test/bench/relay-cpu.ts`
// (the flags give a young generation large enough that no collection falls inside a measured round: its heap growth is then
// what the round allocated; without --expose-gc only CPU is measured).
import { getHeapSpaceStatistics } from 'node:v8'
import { RtpHeader, RtpPacket } from 'werift'
import { Relay } from '../../main/media-bridge/relay'
import { newSdesKey } from '../../main/media-bridge/sdes'
import { SdesSrtp } from '../../main/media-bridge/srtp-sdes'
import { median, round } from './stats'

const maps = {
  payloadMap: [
    { kind: 'audio' as const, codec: 'PCMU' as const, sfb: 0, webrtc: 0 },
    { kind: 'video' as const, codec: 'H264' as const, sfb: 122, webrtc: 107 },
  ],
  ssrcMap: [
    { kind: 'audio' as const, sfb: { first: 5000, last: 5000 }, webrtc: 111 },
    { kind: 'video' as const, sfb: { first: 6000, last: 6099 }, webrtc: 222 },
  ],
}

type Step = () => void

/** Where each step's result goes, so that the compiler cannot leave out allocating what nobody reads. */
const sink: unknown[] = new Array(1024).fill(null)
let sunk = 0
const keep = (v: unknown): void => void (sink[sunk++ & 1023] = v)

/**
 * One P2P video call's packets for `seconds`, as the media bench sends them: each second from the pool 50 PCMU packets and
 * 30 frames of H.264 each led by a PACSI-only packet (the SfB endpoint's), from the renderer 50 PCMU packets and 30
 * single-NAL 1000-byte frames. Each pool packet is a fresh buffer (a decrypted packet is), each renderer packet a fresh
 * werift packet (its receiver hands every track a clone), all made before the round. With `legs`, what the legs do
 * with the relay's packets is counted too: toward the renderer werift's sender taking it in (a clone, or parsing a
 * Buffer), toward the pool its SRTP protection (srtp-sdes.ts, which reads the packet again).
 */
function steps(relay: Relay, seconds: number, legs: boolean): Step[] {
  const out: Step[] = []
  const srtp = new SdesSrtp(newSdesKey(1), newSdesKey(1))
  const take = (p: unknown) => (!legs ? p : Buffer.isBuffer(p) ? RtpPacket.deSerialize(p) : (p as RtpPacket | null)?.clone())
  const protect = (p: Buffer | null) => (legs && p ? srtp.protectRtp(p) : p)
  let seq = 0
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < 50; i++) {
      const n = ++seq
      const fromPool = new RtpPacket(new RtpHeader({ payloadType: 0, sequenceNumber: n & 0xffff, timestamp: n * 160, ssrc: 0x5fb0 }), Buffer.alloc(160, 0xff)).serialize()
      const fromRenderer = new RtpPacket(new RtpHeader({ payloadType: 0, sequenceNumber: n & 0xffff, timestamp: n * 160, ssrc: 0xabc }), Buffer.alloc(160, 0x7f))
      out.push(
        () => keep(take(relay.toRenderer('audio', fromPool))),
        () => keep(protect(relay.toPool('audio', fromRenderer))),
      )
    }
    for (let i = 0; i < 30; i++) {
      const n = ++seq
      const pacsi = new RtpPacket(new RtpHeader({ payloadType: 122, sequenceNumber: (2 * n) & 0xffff, timestamp: n * 3000, ssrc: 0x5fb1 }), Buffer.from([0x60 | 30, 0, 0, 0])).serialize()
      const frame = new RtpPacket(new RtpHeader({ payloadType: 122, sequenceNumber: (2 * n + 1) & 0xffff, timestamp: n * 3000, ssrc: 0x5fb1, marker: true }), Buffer.concat([Buffer.from([0x65]), Buffer.alloc(999, n & 0xff)])).serialize()
      const fromRenderer = new RtpPacket(new RtpHeader({ payloadType: 107, sequenceNumber: n & 0xffff, timestamp: n * 3000, ssrc: 0xabd, marker: true }), Buffer.concat([Buffer.from([0x65]), Buffer.alloc(999, n & 0xff)]))
      out.push(
        () => keep(take(relay.toRenderer('video', pacsi))),
        () => keep(take(relay.toRenderer('video', frame))),
        () => keep(protect(relay.toPool('video', fromRenderer))),
      )
    }
  }
  return out
}

/** Bytes in the young generation (where new objects go; compiled code does not) plus Buffers' backing stores. */
function youngBytes(): number {
  const young = getHeapSpaceStatistics().filter((s) => s.space_name === 'new_space' || s.space_name === 'new_large_object_space')
  return young.reduce((sum, s) => sum + s.space_used_size, 0) + process.memoryUsage().arrayBuffers
}

/**
 * CPU µs (user + system) per 1,000 packets, the median and the least of `rounds` rounds of `seconds` call-seconds each (the
 * least is the one other processes disturbed least), and heap bytes allocated per 1,000 packets (their median).
 */
export function relayCpu(legs: boolean, rounds = 21, seconds = 50): { cpuUsPer1000: number; leastCpuUsPer1000: number; heapBytesPer1000: number | null; packets: number } {
  const gc = (globalThis as { gc?: () => void }).gc
  const cpu: number[] = []
  const heap: number[] = []
  let packets = 0
  for (let r = 0; r < rounds + 2; r++) {
    const round = steps(new Relay(maps), seconds, legs)
    gc?.()
    const before = youngBytes()
    const start = process.cpuUsage()
    for (const step of round) step()
    const used = process.cpuUsage(start)
    const after = youngBytes()
    if (r < 2) continue // warm-up: the JIT settles
    packets = round.length
    cpu.push(((used.user + used.system) / round.length) * 1000)
    heap.push(((after - before) / round.length) * 1000)
  }
  return { cpuUsPer1000: round(median(cpu), 0), leastCpuUsPer1000: round(Math.min(...cpu), 0), heapBytesPer1000: gc ? round(median(heap), 0) : null, packets }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const legs of [false, true]) {
    const r = relayCpu(legs)
    const what = legs ? 'the relay with what the legs do to its packets (werift\'s intake, SRTP)' : 'the relay alone'
    console.log(`${what}, one P2P video call's packet mix (${r.packets} packets a round): CPU ${r.cpuUsPer1000} µs per 1,000 packets (least ${r.leastCpuUsPer1000}); heap allocated ${r.heapBytesPer1000 ?? 'n/a (run with --expose-gc)'} bytes per 1,000 packets`)
  }
}
