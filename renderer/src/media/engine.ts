// The media engine: the one owner of every RTCPeerConnection. Main asks it for offers and answers
// (UCWA has no trickle ICE, so candidates are gathered before SDP leaves); every SDP step of a call runs
// through that call's queue, so an escalation, a renegotiation and a device change never interleave.
import { reactive, shallowRef, type ShallowRef } from 'vue'
import type { EventPayload } from '../../../preload/contract'
import { api } from '../api/current'
import { CallClosed, CallQueues } from './call-queues'
import { reacquireCamera, releaseCamera } from './camera'
import { ProvisionalAnswers, ProvisionalSuperseded } from './provisional'
import { assertAudioAndVideo, capVideoBitrate } from './sdp'
import { newestSource } from './tiles'

export interface CallMedia {
  /** the P2P connection, then the conference one; the call is carried by `conference ?? p2p` */
  p2p?: RTCPeerConnection
  conference?: RTCPeerConnection
  /** the conference connection once it receives audio: the person hears it from then on, while P2P still lingers */
  heard?: RTCPeerConnection
  /** remote video tiles (one per receiving section with a track) */
  remoteVideos: ShallowRef<MediaStream[]>
  remoteAudio: ShallowRef<MediaStream[]>
}

/** receive slots offered beyond main audio/video when escalating: room for 5 in a conference */
export const EXTRA_SLOTS = 3
const GATHER_LIMIT_MS = 3000
/** a spare connection is replaced this often, so its candidates follow network changes */
const SPARE_REFRESH_MS = 5 * 60_000
const PC_CONFIG: RTCConfiguration = { iceServers: [], bundlePolicy: 'max-bundle' }
/** how long the P2P connection may outlive a conference that carries no audio yet */
const CARRY_LIMIT_MS = 2000
/** the P2P connection stays this long after the conference's first audio (the person hears P2P until then) */
const CARRY_MARGIN_MS = 250

async function audioPackets(pc: RTCPeerConnection): Promise<number> {
  let n = 0
  ;(await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived ?? 0
  })
  return n
}

/** one stream per remote track, kept: a refresh that keeps a track keeps its element playing */
const streams = new WeakMap<MediaStreamTrack, MediaStream>()
/** each remote stream's receiver: its packets say whose media it carries now */
const receivers = new WeakMap<MediaStream, RTCRtpReceiver>()
/** each receiver's newest contributing source and when it was heard, kept once its packets stop */
const lastHeard = new WeakMap<RTCRtpReceiver, { source: number; timestamp: number }>()
function streamOf(track: MediaStreamTrack): MediaStream {
  let s = streams.get(track)
  if (!s) streams.set(track, (s = new MediaStream([track])))
  return s
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      pc.removeEventListener('icegatheringstatechange', check)
      resolve()
    }
    const check = () => pc.iceGatheringState === 'complete' && done()
    // a bounded wait: what was gathered by then goes out (host candidates come first)
    const timer = setTimeout(done, GATHER_LIMIT_MS)
    pc.addEventListener('icegatheringstatechange', check)
  })
}

/** an answer for a call that ended meanwhile has nothing to apply to */
function ignoreClosed(e: unknown): void {
  if (!(e instanceof CallClosed)) throw e
}

export class MediaEngine {
  readonly local = shallowRef<MediaStream | null>(null)
  readonly state = reactive({ microphoneOn: true, cameraOn: true, error: null as string | null })
  readonly calls = new Map<string, CallMedia>()
  readonly #queues = new CallQueues()
  readonly #provisional = new ProvisionalAnswers()
  #wantVideo = true
  /** chosen devices ('' = default), from settings */
  devices = { cameraId: '', microphoneId: '' }
  #unsubscribe: Array<() => void> = []
  /** the next call's connection, its candidates gathered ahead (UCWA has no trickle: gathering is on the clock) */
  #spare: { pc: RTCPeerConnection; timer: ReturnType<typeof setTimeout> } | null = null

  attach(): void {
    // a reload or a crash lost whatever connections this page had: main ends the calls they carried (no ghost call)
    void api().invoke('media.started').catch(() => {})
    this.#warm()
    this.#unsubscribe.push(
      api().on('media.request', (r) => void this.#answerRequest(r)),
      api().on('media.answer', (a) => void this.#queue(a.callId, () => this.#applyAnswer(a)).catch(ignoreClosed)),
      api().on('media.close', (c) => this.close(c.callId, c.what)),
    )
  }

  /** How the next call starts: camera or not ("audio only"), microphone and camera muted per settings. */
  prepare(o: { video: boolean; microphoneOn?: boolean; cameraOn?: boolean }): void {
    this.#wantVideo = o.video
    this.state.microphoneOn = o.microphoneOn ?? true
    this.state.cameraOn = o.video && (o.cameraOn ?? true)
    // call waiting: a call answered without the camera while another holds it releases it (camera off means off)
    if (this.local.value && !this.state.cameraOn) void releaseCamera(this)
    this.setMicrophone(this.state.microphoneOn)
  }

  /**
   * Switches camera or microphone mid-call: the new track replaces the old on every connection's sender
   * (replaceTrack, no renegotiation), then the old device is released.
   */
  async useDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (kind === 'audio') this.devices.microphoneId = deviceId
    else this.devices.cameraId = deviceId
    const stream = this.local.value
    const old = kind === 'audio' ? stream?.getAudioTracks()[0] : stream?.getVideoTracks()[0]
    if (!stream || !old) return
    const fresh = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: this.#constraint(deviceId) } : { video: this.#constraint(deviceId) })
    const track = kind === 'audio' ? fresh.getAudioTracks()[0]! : fresh.getVideoTracks()[0]!
    track.enabled = kind === 'audio' ? this.state.microphoneOn : this.state.cameraOn
    for (const callId of this.calls.keys()) {
      await this.#queue(callId, async () => {
        const m = this.calls.get(callId)
        for (const pc of [m?.p2p, m?.conference]) for (const s of pc?.getSenders() ?? []) if (s.track === old) await s.replaceTrack(track)
      })
    }
    stream.removeTrack(old)
    stream.addTrack(track)
    old.stop()
    this.local.value = new MediaStream(stream.getTracks()) // new identity: views rebind
  }

  #constraint(deviceId: string): MediaTrackConstraints | boolean {
    return deviceId ? { deviceId: { exact: deviceId } } : true
  }

  media(callId: string): CallMedia {
    let m = this.calls.get(callId)
    if (!m) {
      m = { remoteVideos: shallowRef([]), remoteAudio: shallowRef([]) }
      this.calls.set(callId, m)
    }
    return m
  }

  /**
   * The conference's media source id on a remote stream's latest packets (its CSRC): whose picture or voice it is.
   * Kept after its packets stop (a camera turned off, someone who left): the browser forgets a contributing source
   * 10 s after its last packet, and the slot is still theirs until packets of someone else arrive.
   */
  sourceOf(stream: MediaStream): number | undefined {
    return this.#lastHeard(stream)?.source
  }

  /** When the newest packet naming a source reached a remote stream (ms, RTCRtpContributingSource.timestamp), or 0. */
  heardAt(stream: MediaStream): number {
    return this.#lastHeard(stream)?.timestamp ?? 0
  }

  #lastHeard(stream: MediaStream): { source: number; timestamp: number } | undefined {
    const receiver = receivers.get(stream)
    if (!receiver) return undefined
    const list = receiver.getContributingSources()
    const source = newestSource(list)
    if (source !== undefined) lastHeard.set(receiver, { source, timestamp: Math.max(...list.map((s) => s.timestamp)) })
    return lastHeard.get(receiver)
  }

  /** the connection carrying the call: the P2P one until main says the conference took over */
  current(callId: string): RTCPeerConnection | undefined {
    const m = this.calls.get(callId)
    return m?.p2p ?? m?.conference
  }

  setMicrophone(on: boolean): void {
    this.state.microphoneOn = on
    for (const t of this.local.value?.getAudioTracks() ?? []) t.enabled = on
  }

  /** Camera off stops the camera (camera.ts: the device is released); on opens it again and sends it where it was sent. */
  async setCamera(on: boolean): Promise<void> {
    this.state.cameraOn = on
    if (!this.local.value) return // no call yet: the next one opens the camera or not (#openLocal)
    if (on) await reacquireCamera(this, this.#constraint(this.devices.cameraId))
    else await releaseCamera(this)
  }

  close(callId: string, what: 'p2p' | 'conference' | 'all'): void {
    if (what === 'all') this.#queues.close(callId) // its steps still waiting are refused: nothing reopens the call
    const m = this.calls.get(callId)
    if (!m) return
    if (what === 'p2p' && m.conference && m.p2p) return void this.#closeWhenCarried(callId, m.p2p, m.conference)
    if (what !== 'conference') {
      m.p2p?.close()
      m.p2p = undefined
    }
    if (what !== 'p2p') {
      m.conference?.close()
      m.conference = undefined
    }
    this.#refreshRemote(callId)
    if (what === 'all') {
      this.calls.delete(callId)
      if (this.calls.size === 0) this.#stopLocal()
    }
  }

  /**
   * Make before break, to the packet: the P2P connection goes once the conference one receives audio (or
   * after a bounded wait), so the person hears no gap while the call moves.
   */
  async #closeWhenCarried(callId: string, p2p: RTCPeerConnection, conference: RTCPeerConnection): Promise<void> {
    const end = performance.now() + CARRY_LIMIT_MS
    while (performance.now() < end && conference.connectionState !== 'closed' && p2p.connectionState !== 'closed') {
      if ((await audioPackets(conference)) > 0) {
        // we hear the conference at once; the far end's leg may need a moment more, and it hears us over P2P till we close
        this.#hearConference(callId, conference)
        await new Promise((r) => setTimeout(r, CARRY_MARGIN_MS))
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    const m = this.calls.get(callId)
    p2p.close()
    if (m?.p2p !== p2p) return // the call ended or moved on meanwhile
    m.p2p = undefined
    this.#refreshRemote(callId)
  }

  #hearConference(callId: string, conference: RTCPeerConnection): void {
    const m = this.calls.get(callId)
    if (m?.conference !== conference) return
    m.heard = conference
    this.#refreshRemote(callId)
  }

  #local: Promise<MediaStream> | null = null

  /** camera and microphone, opened once for however many offers and answers ask at the same moment */
  #ensureLocal(): Promise<MediaStream> {
    const local = this.local.value
    // call waiting: a video call answered while the camera is off for the call on hold opens it again
    const camera = local && this.#wantVideo && this.state.cameraOn && !local.getVideoTracks().some((t) => t.readyState === 'live')
    if (local && !camera) return Promise.resolve(local)
    this.#local ??= (camera ? reacquireCamera(this, this.#constraint(this.devices.cameraId)).then(() => this.local.value!) : this.#openLocal()).finally(() => (this.#local = null))
    return this.#local
  }

  async #openLocal(): Promise<MediaStream> {
    try {
      // a call started with the camera off does not open it (its light stays off) until the person turns it on
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: this.#constraint(this.devices.microphoneId),
        video: this.#wantVideo && this.state.cameraOn && this.#constraint(this.devices.cameraId),
      })
      this.local.value = stream
      this.setMicrophone(this.state.microphoneOn)
      return stream
    } catch {
      // no camera (or refused): carry on with the microphone alone
      const stream = await navigator.mediaDevices.getUserMedia({ audio: this.#constraint(this.devices.microphoneId) })
      this.local.value = stream
      this.state.cameraOn = false
      return stream
    }
  }

  #stopLocal(): void {
    for (const t of this.local.value?.getTracks() ?? []) t.stop()
    this.local.value = null
  }

  #queue<T>(callId: string, step: () => Promise<T>): Promise<T> {
    return this.#queues.run(callId, step)
  }

  async #answerRequest(r: EventPayload<'media.request'>): Promise<void> {
    // camera and microphone start now, not after whatever this call's queue still holds
    if (r.purpose !== 'renegotiate' && !r.provisional) void this.#ensureLocal().catch(() => {})
    // Accept: a provisional answer still being made for this call stops, so the final one is not queued behind it
    if (r.purpose === 'call' && r.kind === 'answer' && !r.provisional) this.#provisional.supersede(r.callId)
    try {
      const sdp = r.provisional
        ? await this.#provisional.make(r.callId, (check) => this.#queue(r.callId, () => this.#provisionalAnswer(r.callId, r.offer ?? '', check)))
        : await this.#queue(r.callId, () => {
            if (r.purpose === 'renegotiate') return r.kind === 'offer' ? this.#reoffer(r.callId, r.change ?? 'hold') : this.#reanswer(r.callId, r.offer ?? '')
            return r.kind === 'offer' ? this.#offer(r.callId, r.purpose) : this.#answer(r.callId, r.offer ?? '', r.purpose)
          })
      await api().invoke('media.respond', { requestId: r.requestId, sdp })
    } catch (e) {
      if (!(e instanceof ProvisionalSuperseded)) this.state.error = (e as Error).message
      await api().invoke('media.respond', { requestId: r.requestId, error: (e as Error).message }).catch(() => {})
    }
  }

  /** A connection that gathers its candidates now (iceCandidatePoolSize), to be taken by the next offer or answer. */
  #warm(): void {
    if (this.#spare) return
    const pc = new RTCPeerConnection({ ...PC_CONFIG, iceCandidatePoolSize: 1 })
    const timer = setTimeout(() => {
      if (this.#spare?.pc !== pc) return
      this.#spare = null
      pc.close()
      this.#warm()
    }, SPARE_REFRESH_MS)
    this.#spare = { pc, timer }
  }

  #take(): RTCPeerConnection {
    const spare = this.#spare
    if (!spare) return new RTCPeerConnection(PC_CONFIG)
    clearTimeout(spare.timer)
    this.#spare = null
    setTimeout(() => this.#warm(), 1000) // the next one after this call's set-up, not during it
    return spare.pc
  }

  #newPc(callId: string, which: 'p2p' | 'conference'): RTCPeerConnection {
    const m = this.media(callId)
    m[which]?.close()
    const pc = this.#take()
    pc.addEventListener('track', (e) => {
      // a conference slot nobody feeds yet stays muted: it gets a tile when media arrives
      e.track.addEventListener('unmute', () => this.#refreshRemote(callId))
      e.track.addEventListener('mute', () => this.#refreshRemote(callId))
      this.#refreshRemote(callId)
    })
    m[which] = pc
    return pc
  }

  /** Puts the local tracks on the connection's first audio and video sections once the camera is ready. */
  async #attach(pc: RTCPeerConnection, stream: MediaStream): Promise<void> {
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

  // The camera and microphone start while the connection gathers its candidates: neither waits for
  // the other, and the tracks go onto the senders with replaceTrack (no new offer needed).
  async #offer(callId: string, purpose: 'call' | 'escalation' | 'conference'): Promise<string> {
    const local = this.#ensureLocal()
    const pc = this.#newPc(callId, purpose === 'call' ? 'p2p' : 'conference')
    const sending = this.local.value ? this.local.value.getVideoTracks().length > 0 : this.#wantVideo
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
    await this.#attach(pc, stream)
    const sdp = pc.localDescription!.sdp
    return purpose === 'escalation' ? assertAudioAndVideo(sdp) : sdp
  }

  /**
   * While the call rings: ICE and DTLS connect on an answer that sends and receives nothing (every section
   * inactive), so no camera or microphone opens before the person accepts and Accept needs no handshake.
   */
  async #provisionalAnswer(callId: string, offer: string, check: () => void): Promise<string> {
    check()
    const pc = this.#newPc(callId, 'p2p')
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

  async #answer(callId: string, offer: string, purpose: 'call' | 'escalation' | 'conference'): Promise<string> {
    const local = this.#ensureLocal()
    const early = purpose === 'call' ? this.calls.get(callId)?.p2p : undefined
    // the final answer goes on the connection the provisional one opened (or took the offer on, when Accept overtook it)
    const opened = early?.signalingState === 'have-local-pranswer' || early?.signalingState === 'have-remote-offer'
    const pc = opened ? early : this.#newPc(callId, purpose === 'call' ? 'p2p' : 'conference')
    if (pc !== early) await pc.setRemoteDescription({ type: 'offer', sdp: offer })
    const used = new Set<string>()
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track.kind
      const main = !used.has(kind)
      used.add(kind)
      t.direction = main && (kind === 'audio' || this.#wantVideo) ? 'sendrecv' : 'recvonly'
    }
    await pc.setLocalDescription(await pc.createAnswer())
    const [stream] = await Promise.all([local, gathered(pc)])
    await this.#attach(pc, stream)
    return capVideoBitrate(pc.localDescription!.sdp, 2500)
  }

  /** A mid-call offer on the P2P connection: hold (nothing either way), resume, or the camera in or out. */
  async #reoffer(callId: string, change: 'hold' | 'resume' | 'video-off' | 'video-on'): Promise<string> {
    const pc = this.calls.get(callId)?.p2p
    if (!pc) throw new Error('There is no two-person connection to change.')
    const [audio, video] = [pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio'), pc.getTransceivers().find((t) => t.receiver.track.kind === 'video')]
    if (change === 'hold') for (const t of pc.getTransceivers()) t.direction = 'inactive'
    if (change === 'resume') {
      if (audio) audio.direction = 'sendrecv'
      // the camera may have been turned off (released) or on while this call was held (call waiting)
      if (video) video.direction = video.sender.track && this.state.cameraOn ? 'sendrecv' : 'recvonly'
      if (video?.direction === 'sendrecv' && video.sender.track?.readyState !== 'live') await reacquireCamera(this, this.#constraint(this.devices.cameraId), pc)
    }
    if (change === 'video-off' && video) {
      video.direction = 'recvonly'
      this.state.cameraOn = false
      await releaseCamera(this)
    }
    if (change === 'video-on' && video) {
      video.direction = 'sendrecv'
      await reacquireCamera(this, this.#constraint(this.devices.cameraId), pc)
      this.state.cameraOn = true
    }
    await pc.setLocalDescription(await pc.createOffer())
    await gathered(pc)
    return pc.localDescription!.sdp
  }

  /** The other side's mid-call offer: answered on the same connection (their hold makes ours inactive). */
  async #reanswer(callId: string, offer: string): Promise<string> {
    const pc = this.calls.get(callId)?.p2p
    if (!pc) throw new Error('There is no two-person connection to change.')
    await pc.setRemoteDescription({ type: 'offer', sdp: offer })
    await pc.setLocalDescription(await pc.createAnswer())
    this.#refreshRemote(callId) // their camera or hold changed what we receive: the tile follows at once
    return pc.localDescription!.sdp
  }

  async #applyAnswer(a: EventPayload<'media.answer'>): Promise<void> {
    const m = this.calls.get(a.callId)
    const pc = a.purpose === 'escalation' ? m?.conference : m?.p2p
    if (!pc || pc.signalingState === 'closed') return
    if (a.provisional && pc.signalingState !== 'have-local-offer') return
    if (!a.provisional && pc.signalingState === 'stable') return // the final answer was applied already
    await pc.setRemoteDescription({ type: a.provisional ? 'pranswer' : 'answer', sdp: a.sdp })
    if (a.purpose === 'renegotiate') this.#refreshRemote(a.callId)
  }

  #refreshRemote(callId: string): void {
    const m = this.calls.get(callId)
    if (!m) return
    const pc = m.p2p ?? m.conference
    const received = (from: RTCPeerConnection | undefined, kind: 'audio' | 'video') =>
      (from?.getTransceivers() ?? [])
        .filter((t) => t.currentDirection !== 'sendonly' && t.currentDirection !== 'inactive' && t.receiver.track?.kind === kind)
        .map((t) => {
          receivers.set(streamOf(t.receiver.track), t.receiver)
          return t.receiver.track
        })
    // a connection with one picture (P2P) always shows it (Chromium leaves it muted after a pranswer even once frames
    // flow); a conference connection has a section per slot (also when it was joined by answering an invitation), and a
    // slot nobody feeds is muted and gets no tile
    const all = received(pc, 'video')
    const videos = all.length === 1 ? all : all.filter((t) => !t.muted)
    // a conference connection replaced since (rejoined) has not carried audio yet
    const audios = received(m.heard && m.heard === m.conference ? m.heard : pc, 'audio')
    m.remoteVideos.value = videos.map(streamOf)
    m.remoteAudio.value = audios.map(streamOf)
  }
}

export const media = new MediaEngine()
