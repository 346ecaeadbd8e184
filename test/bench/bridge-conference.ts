// The bridge's CPU in a 3-person conference, and the baseline beside each of its CPU rows: the same media relayed in
// WebRTC's dialect by the simulator's werift conference unit (a process of its own), measured in the same run.
import { RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift'
import { MediaWorker } from '../../main/media-bridge/media-worker-host'
import { rendererPeer } from '../integration/media-bridge/renderer-peer'
import { SfbConference } from '../simulator/conference/sfb-conference'
import { TestPeer } from '../simulator/conference/test-peer'
import { MediaUnit } from '../simulator/conference/unit'
import { SfbMember } from '../simulator/sfb/member'
import { videoSourceRequest } from '../simulator/sfb/vsr'
import { cpuSeconds } from './conference'
import { round } from './stats'

const msi = (n: number) => ({ audio: n * 100, video: n * 100 + 1 })
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** 160-byte audio at 50 packets/s and 1000-byte video at 30 frames/s on a sender's transceivers, as the bridge bench's renderer sends. */
function sendLoad(audio: RTCRtpTransceiver | undefined, video: RTCRtpTransceiver | undefined, payloadTypes: { audio: number; video: number }): () => void {
  let a = 0
  let v = 0
  const timers = [
    setInterval(() => void audio?.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: payloadTypes.audio, sequenceNumber: ++a & 0xffff, timestamp: a * 160, ssrc: 1 }), Buffer.alloc(160, 0xff))).catch(() => {}), 20),
    setInterval(() => void video?.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: payloadTypes.video, sequenceNumber: ++v & 0xffff, timestamp: v * 3000, ssrc: 2, marker: true }), Buffer.concat([Buffer.from([0x65]), Buffer.alloc(999, v & 0xff)]))).catch(() => {}), 33),
  ]
  return () => timers.forEach(clearInterval)
}

/**
 * Parley's side of a 3-person conference through the bridge, in its worker: Parley is the moved member (the sfb2015
 * unit offers, the bridge answers), two SfB clients join by offer and send a PCMU tone and 15 fps X-H264UC each; the
 * renderer sends audio and 30 fps video. The bridge sends no video source request (VSR) itself yet, so the bench asks
 * the unit for both others' video on its behalf. Returns the worker's event-loop utilisation, % of one core.
 */
export async function bridgeConferenceCpu(seconds = 10): Promise<number> {
  const conf = new SfbConference('bench')
  const worker = new MediaWorker()
  const renderer = rendererPeer({ video: true })
  const others = [new SfbMember('bob', { video: true }), new SfbMember('carol', { video: true })]
  let stop = () => {}
  try {
    const o = await conf.offerTo('parley', msi(1))
    const answer = await worker.answer('conf', { contentType: 'application/sdp', body: o.offer }, () => undefined)
    const done = await o.complete(answer.sfbAnswer)
    await Promise.all([worker.rendererAnswered('conf', await renderer.answer(answer.webrtcOffer)), done.connected])
    for (const [i, m] of others.entries()) {
      const joined = await conf.joinWithOffer(m.tag, (await m.offer()).body, msi(i + 2))
      await m.answered(joined.answer)
      await joined.connected
    }
    for (const n of [2, 3]) conf.video.feedback('parley', videoSourceRequest(0, msi(n).video))
    others.forEach((m, i) => (m.sendTone(500 + 500 * i), m.sendVideo()))
    const [audio, video] = ['audio', 'video'].map((k) => renderer.pc.getTransceivers().find((t) => t.kind === k))
    stop = sendLoad(audio, video, { audio: 0, video: 122 })
    await pause(1000) // warm-up: ICE consent, key frames
    const elu0 = worker.thread.performance.eventLoopUtilization()
    const before = { audio: renderer.received.length, video: renderer.video.length }
    await pause(seconds * 1000)
    const elu = worker.thread.performance.eventLoopUtilization(elu0)
    // a figure for a conference that carried nothing would mislead: both kinds must have reached the renderer
    if (renderer.received.length - before.audio < 25 * seconds || renderer.video.length - before.video < 15 * seconds) throw new Error(`the conference through the bridge carried too little media (${renderer.received.length - before.audio} audio, ${renderer.video.length - before.video} video packets in ${seconds} s)`)
    return round(elu.utilization * 100, 1)
  } finally {
    stop()
    await Promise.all([...others.map((m) => m.close()), renderer.close(), conf.close()])
    await worker.stop()
  }
}

/**
 * The baseline: the simulator's werift conference unit in the webrtc dialect (its own process: DTLS-SRTP on every
 * leg, packets forwarded as they come) with `members` werift members, each sending the bridge bench's load (160-byte
 * audio at 50/s, 1000-byte video at 30/s). Two members relay what one bridged P2P call carries, both ways. Returns
 * the unit process's CPU, % of one core, divided by `per` (3 for one member's share of a 3-person conference).
 */
export async function unitRelayCpu(members: number, per: number, seconds = 10): Promise<number> {
  const unit = new MediaUnit()
  const conf = unit.open('baseline')
  const peers = Array.from({ length: members }, (_, i) => new TestPeer(`m${i}`))
  const stops: Array<() => void> = []
  try {
    const joined = await conf.joinWithOffer('m0', await peers[0]!.offer(), msi(1))
    await peers[0]!.accept(joined.answer)
    for (let i = 1; i < members; i++) {
      const o = await conf.offerTo(`m${i}`, msi(i + 1))
      await (await o.complete(await peers[i]!.answer(o.offer))).connected
    }
    await joined.connected
    for (const p of peers) {
      const [audio, video] = p.pc.getTransceivers().filter((t) => t.direction === 'sendrecv')
      stops.push(sendLoad(audio, video, { audio: 111, video: 96 }))
    }
    await pause(1000)
    const cpu0 = cpuSeconds(unit.pid!)
    await pause(seconds * 1000)
    return round(((cpuSeconds(unit.pid!) - cpu0) / seconds / per) * 100, 1)
  } finally {
    stops.forEach((s) => s())
    await Promise.all(peers.map((p) => p.close()))
    await conf.close()
    await unit.close()
  }
}
