// The media bridge's cost, for `npm run bench` (wiring into index.ts later): added latency per packet (p50/p99) and CPU per call.
// Run alone: `unshare -rn sh -c 'ip link set lo up; exec npx tsx test/bench/media-bridge.ts [seconds]'`.
import { RtpHeader, RtpPacket } from 'werift'
import { MediaWorker } from '../../main/media-bridge/media-worker-host'
import { rendererPeer } from '../integration/media-bridge/renderer-peer'
import { SfbEndpoint } from '../simulator/sfb/endpoint'
import { percentile, round } from './stats'

export interface BridgeCost {
  /** one-way ms, SfB endpoint → bridge → renderer (two SRTP legs, the relay, loopback UDP twice) per audio packet */
  latencyMs: { p50: number; p99: number; packets: number }
  /** the worker thread's event-loop utilisation over the call: % of one core */
  cpuPercent: number
  seconds: number
}

/**
 * One P2P call's load through the bridge in its worker: audio both ways at 50 packets/s (PCMU) and 30 frames/s
 * of 1000-byte H.264 packets from the renderer, reflected by the SfB endpoint. The added latency is measured on
 * the endpoint's audio: each packet's send time (in its payload's first 8 bytes, this thread's clock) against its
 * arrival at the renderer's stand-in, both in this thread.
 */
export async function measureBridgeCost(seconds = 10): Promise<BridgeCost> {
  const worker = new MediaWorker()
  const endpoint = new SfbEndpoint({ video: true })
  const renderer = rendererPeer({ video: true })
  const timers: NodeJS.Timeout[] = []
  try {
    const answer = await worker.answer('bench', await endpoint.offer(), () => undefined, true)
    await Promise.all([worker.rendererAnswered('bench', await renderer.answer(answer.webrtcOffer)), endpoint.answered(answer.sfbAnswer)])
    const sent = new Map<number, number>()
    const audioSsrc = endpoint.ssrc
    let n = 0
    const stopTone = renderer.sendTone(300)
    const video = renderer.pc.getTransceivers().find((t) => t.kind === 'video')!
    let vseq = 0
    const elu0 = worker.thread.performance.eventLoopUtilization()
    timers.push(
      setInterval(() => {
        const payload = Buffer.alloc(160, 0xff)
        payload.writeUInt32BE(++n, 0)
        sent.set(n, performance.now())
        // the endpoint's own leg, as sendTone does, with a numbered payload
        endpoint.sendRaw(new RtpPacket(new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: n & 0xffff, timestamp: n * 160, ssrc: audioSsrc }), payload))
      }, 20),
      setInterval(() => {
        const header = new RtpHeader({ version: 2, payloadType: 122, sequenceNumber: ++vseq & 0xffff, timestamp: vseq * 3000, ssrc: 1, marker: true })
        void video.sender.sendRtp(new RtpPacket(header, Buffer.concat([Buffer.from([0x65]), Buffer.alloc(999, vseq & 0xff)])))
      }, 33),
    )
    await new Promise((r) => setTimeout(r, seconds * 1000))
    const elu = worker.thread.performance.eventLoopUtilization(elu0)
    stopTone()
    // the stand-in stamps each packet's arrival (performance.now(), this thread) in `received`
    const latencies = renderer.received.flatMap((r) => {
      const at = r.payload.length >= 4 ? sent.get(r.payload.readUInt32BE(0)) : undefined
      return at === undefined ? [] : [r.at - at]
    })
    return { latencyMs: { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2), packets: latencies.length }, cpuPercent: round(elu.utilization * 100, 1), seconds }
  } finally {
    timers.forEach(clearInterval)
    await Promise.all([endpoint.close(), renderer.close()])
    await worker.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cost = await measureBridgeCost(Number(process.argv[2] ?? 10))
  console.log(`media bridge, one P2P call (audio both ways + 30 fps video reflected), ${cost.seconds} s:`)
  console.log(`  added latency per packet (endpoint → bridge → renderer, one way): p50 ${cost.latencyMs.p50} ms, p99 ${cost.latencyMs.p99} ms over ${cost.latencyMs.packets} packets`)
  console.log(`  bridge CPU per call: ${cost.cpuPercent} % of one core (worker event-loop utilisation)`)
}
