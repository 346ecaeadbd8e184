// The SDP steps of a call (each runs in the call's queue, engine.ts): the offer and answer that set a connection up,
// the provisional answer while it rings (sendProvisionalAnswer_ref.md), and the mid-call offers and answers.
import type { ShallowRef } from 'vue'
import type { EventPayload } from '../../../preload/contract'
import { reacquireCamera, releaseCamera } from './camera'
import { gathered } from './connections'
import type { CallMedia } from './remote-streams'
import { assertAudioAndVideo, capVideoBitrate } from './sdp'

/** receive slots offered beyond main audio/video when escalating: room for 5 in a conference */
export const EXTRA_SLOTS = 3

/** what the SDP steps need of the media engine */
export interface NegotiationHost {
  readonly local: ShallowRef<MediaStream | null>
  readonly state: { cameraOn: boolean }
  readonly calls: Map<string, CallMedia>
  /** the call is a video call (not "audio only") */
  wantVideo(): boolean
  /** camera and microphone, opened once however many steps ask */
  ensureLocal(): Promise<MediaStream>
  /** a connection for the call (its candidates gathering), replacing the one it had in that role */
  newPc(callId: string, which: 'p2p' | 'conference'): RTCPeerConnection
  /** the call's remote pictures and voices follow its connections */
  refresh(callId: string): void
  /** the chosen camera's constraint */
  camera(): MediaTrackConstraints | boolean
}

type Purpose = 'call' | 'escalation' | 'conference'

/** Puts the local tracks on the connection's first audio and video sections once the camera is ready. */
async function attachLocal(pc: RTCPeerConnection, stream: MediaStream): Promise<void> {
  const used = new Set<string>()
  for (const t of pc.getTransceivers()) {
    const kind = t.receiver.track.kind
    if (used.has(kind) || (t.direction !== 'sendrecv' && t.direction !== 'sendonly')) continue
    used.add(kind)
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0]
    if (!track) continue
    await t.sender.replaceTrack(track)
    t.sender.setStreams(stream)
  }
}

/**
 * An offer (SDP text, candidates gathered) for a call, an escalation (EXTRA_SLOTS more receiving sections) or a conference.
 * The camera and microphone start while the connection gathers its candidates: neither waits for the other, and the
 * tracks go onto the senders with replaceTrack (no new offer needed).
 */
export async function makeOffer(host: NegotiationHost, callId: string, purpose: Purpose): Promise<string> {
  const local = host.ensureLocal()
  const pc = host.newPc(callId, purpose === 'call' ? 'p2p' : 'conference')
  const sending = host.local.value ? host.local.value.getVideoTracks().length > 0 : host.wantVideo()
  pc.addTransceiver('audio', { direction: 'sendrecv' })
  // always a video section, even with the camera off: the far end may send video, and escalation needs both
  pc.addTransceiver('video', { direction: sending ? 'sendrecv' : 'recvonly' })
  if (purpose === 'escalation') {
    for (let i = 0; i < EXTRA_SLOTS; i++) {
      pc.addTransceiver('audio', { direction: 'recvonly' })
      pc.addTransceiver('video', { direction: 'recvonly' })
    }
  }
  await pc.setLocalDescription(await pc.createOffer())
  const [stream] = await Promise.all([local, gathered(pc)])
  await attachLocal(pc, stream)
  const sdp = pc.localDescription!.sdp
  return purpose === 'escalation' ? assertAudioAndVideo(sdp) : sdp
}

/**
 * While the call rings: ICE and DTLS connect on an answer that sends and receives nothing (every section
 * inactive), so no camera or microphone opens before the person accepts and Accept needs no handshake.
 * `check` throws once the person accepted: the final answer takes the connection from there.
 */
export async function makeProvisionalAnswer(host: NegotiationHost, callId: string, offer: string, check: () => void): Promise<string> {
  check()
  const pc = host.newPc(callId, 'p2p')
  await pc.setRemoteDescription({ type: 'offer', sdp: offer })
  check() // accepted meanwhile: the final answer takes the connection from here
  for (const t of pc.getTransceivers()) t.direction = 'inactive'
  const answer = await pc.createAnswer()
  check()
  await pc.setLocalDescription({ type: 'pranswer', sdp: answer.sdp })
  check()
  await gathered(pc)
  return pc.localDescription!.sdp
}

/** The answer (SDP text, video capped at 2.5 Mb/s) to `offer`, sending on the first audio and video sections only. */
export async function makeAnswer(host: NegotiationHost, callId: string, offer: string, purpose: Purpose): Promise<string> {
  const local = host.ensureLocal()
  // the final answer goes on the connection the provisional one opened (or took the offer on, when Accept overtook it),
  // also for an invitation known as a conference by then: a second connection would answer the same offer, with the
  // same credentials, beside it. A P2P call moving into a conference has its connection stable: that one is not taken.
  const early = host.calls.get(callId)?.p2p
  const opened = early?.signalingState === 'have-local-pranswer' || early?.signalingState === 'have-remote-offer'
  const pc = opened ? early : host.newPc(callId, purpose === 'call' ? 'p2p' : 'conference')
  if (pc !== early) await pc.setRemoteDescription({ type: 'offer', sdp: offer })
  const used = new Set<string>()
  for (const t of pc.getTransceivers()) {
    const kind = t.receiver.track.kind
    const main = !used.has(kind)
    used.add(kind)
    t.direction = main && (kind === 'audio' || host.wantVideo()) ? 'sendrecv' : 'recvonly'
  }
  await pc.setLocalDescription(await pc.createAnswer())
  const [stream] = await Promise.all([local, gathered(pc)])
  await attachLocal(pc, stream)
  return capVideoBitrate(pc.localDescription!.sdp, 2500)
}

/** A mid-call offer on the P2P connection: hold (nothing either way), resume, or the camera in or out. */
export async function makeReoffer(host: NegotiationHost, callId: string, change: 'hold' | 'resume' | 'video-off' | 'video-on'): Promise<string> {
  const pc = host.calls.get(callId)?.p2p
  if (!pc) throw new Error('There is no two-person connection to change.')
  remember(host, pc)
  const [audio, video] = [pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio'), pc.getTransceivers().find((t) => t.receiver.track.kind === 'video')]
  if (change === 'hold') for (const t of pc.getTransceivers()) t.direction = 'inactive'
  if (change === 'resume') {
    if (audio) audio.direction = 'sendrecv'
    // the camera may have been turned off (released) or on while this call was held (call waiting)
    if (video) video.direction = video.sender.track && host.state.cameraOn ? 'sendrecv' : 'recvonly'
    if (video?.direction === 'sendrecv' && video.sender.track?.readyState !== 'live') await reacquireCamera(host, host.camera(), pc)
  }
  if (change === 'video-off' && video) {
    video.direction = 'recvonly'
    host.state.cameraOn = false
    await releaseCamera(host)
  }
  if (change === 'video-on' && video) {
    video.direction = 'sendrecv'
    await reacquireCamera(host, host.camera(), pc)
    host.state.cameraOn = true
  }
  await pc.setLocalDescription(await pc.createOffer())
  await gathered(pc)
  return pc.localDescription!.sdp
}

/** what was before the connection's latest re-offer changed it locally: rollBack puts it back */
interface BeforeReoffer {
  directions: RTCRtpTransceiverDirection[]
  cameraOn: boolean
  cameraLive: boolean
}
const beforeReoffer = new WeakMap<RTCPeerConnection, BeforeReoffer>()
const cameraLive = (host: NegotiationHost) => !!host.local.value?.getVideoTracks().some((t) => t.readyState === 'live')

function remember(host: NegotiationHost, pc: RTCPeerConnection): void {
  beforeReoffer.set(pc, { directions: pc.getTransceivers().map((t) => t.direction), cameraOn: host.state.cameraOn, cameraLive: cameraLive(host) })
}

/**
 * Our re-offer was declined or never reached the pool: the connection takes it back (WebRTC 1.0 4.4.1.5, JSEP 5.7) and the
 * directions and camera go back to what they were, so hold and the camera show what the call still is. No pending offer: nothing.
 */
export async function rollBack(host: NegotiationHost, callId: string): Promise<void> {
  const pc = host.calls.get(callId)?.p2p
  const was = pc && beforeReoffer.get(pc)
  if (!pc || !was || pc.signalingState !== 'have-local-offer') return
  beforeReoffer.delete(pc)
  await pc.setLocalDescription({ type: 'rollback' })
  // the directions the app set are not part of what a rollback undoes: they are put back by hand
  pc.getTransceivers().forEach((t, i) => (t.direction = was.directions[i] ?? t.direction))
  if (was.cameraLive && !cameraLive(host)) await reacquireCamera(host, host.camera())
  if (!was.cameraLive && cameraLive(host)) await releaseCamera(host)
  host.state.cameraOn = was.cameraOn
}

/** The other side's mid-call offer: answered on the same connection (their hold makes ours inactive). */
export async function makeReanswer(host: NegotiationHost, callId: string, offer: string): Promise<string> {
  const pc = host.calls.get(callId)?.p2p
  if (!pc) throw new Error('There is no two-person connection to change.')
  await pc.setRemoteDescription({ type: 'offer', sdp: offer })
  await pc.setLocalDescription(await pc.createAnswer())
  host.refresh(callId) // their camera or hold changed what we receive: the tile follows at once
  return pc.localDescription!.sdp
}

/** The far end's answer (provisional or final) to our offer; one that no longer fits the connection's state is ignored. */
export async function applyAnswer(host: NegotiationHost, a: EventPayload<'media.answer'>): Promise<void> {
  const m = host.calls.get(a.callId)
  const pc = a.purpose === 'escalation' ? m?.conference : m?.p2p
  if (!pc || pc.signalingState === 'closed') return
  if (a.provisional && pc.signalingState !== 'have-local-offer') return
  if (!a.provisional && pc.signalingState === 'stable') return // the final answer was applied already
  await pc.setRemoteDescription({ type: a.provisional ? 'pranswer' : 'answer', sdp: a.sdp })
  if (a.purpose === 'renegotiate') host.refresh(a.callId)
}
