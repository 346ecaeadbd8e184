// The media engine: the one owner of every RTCPeerConnection. Main asks it for offers and answers
// (UCWA has no trickle ICE, so candidates are gathered before SDP leaves); every SDP step of a call runs
// through that call's queue, so an escalation, a renegotiation and a device change never interleave.
import { reactive, shallowRef } from 'vue'
import type { EventPayload } from '../../../preload/contract'
import { api } from '../api/current'
import { CallClosed, CallQueues } from './call-queues'
import { reacquireCamera, releaseCamera } from './camera'
import { conferenceCarries } from './carry'
import { SpareConnection } from './connections'
import { applyAnswer, makeAnswer, makeOffer, makeProvisionalAnswer, makeReanswer, makeReoffer, rollBack, type NegotiationHost } from './negotiation'
import { ProvisionalAnswers, ProvisionalSuperseded } from './provisional'
import { heardOn, refreshRemote, type CallMedia, type Heard } from './remote-streams'
import { mediaKinds } from './sdp'

export type { CallMedia } from './remote-streams'

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
  readonly #spare = new SpareConnection()
  /** what the SDP steps (negotiation.ts) use of this engine */
  readonly #host: NegotiationHost = {
    local: this.local,
    state: this.state,
    calls: this.calls,
    wantVideo: () => this.#wantVideo,
    ensureLocal: () => this.#ensureLocal(),
    newPc: (callId, which) => this.#newPc(callId, which),
    refresh: (callId) => this.#refreshRemote(callId),
    camera: () => this.#constraint(this.devices.cameraId),
  }

  attach(): void {
    // a reload or a crash lost whatever connections this page had: main ends the calls they carried (no ghost call)
    void api().invoke('media.started').catch(() => {})
    this.#spare.warm()
    this.#unsubscribe.push(
      api().on('media.request', (r) => void this.#answerRequest(r)),
      api().on('media.answer', (a) => void this.#queue(a.callId, () => applyAnswer(this.#host, a)).catch(ignoreClosed)),
      api().on('media.close', (c) => this.close(c.callId, c.what)),
      api().on('media.rollback', (r) => void this.#queue(r.callId, () => rollBack(this.#host, r.callId)).catch((e: unknown) => e instanceof CallClosed || (this.state.error = (e as Error).message))),
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

  /** Whose media a remote stream carries now (the conference's source id, its CSRC) and when it was last heard:
   *  one reading of its contributing sources (remote-streams.ts). */
  heard(stream: MediaStream): Heard | undefined {
    return heardOn(stream)
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

  /** Make before break (carry.ts): the P2P connection goes once the conference one carries the call. */
  async #closeWhenCarried(callId: string, p2p: RTCPeerConnection, conference: RTCPeerConnection): Promise<void> {
    await conferenceCarries(p2p, conference, () => this.#hearConference(callId, conference))
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
    // an offer without video (the far side's RTVideo the bridge refused) is answered audio only: the camera never opens
    if (r.purpose === 'call' && r.kind === 'answer' && !r.provisional && !mediaKinds(r.offer ?? '').includes('video')) this.prepare({ video: false, microphoneOn: this.state.microphoneOn })
    // camera and microphone start now, not after whatever this call's queue still holds
    if (r.purpose !== 'renegotiate' && !r.provisional) void this.#ensureLocal().catch(() => {})
    // Accept: a provisional answer still being made for this call stops, so the final one is not queued behind it
    if (r.purpose === 'call' && r.kind === 'answer' && !r.provisional) this.#provisional.supersede(r.callId)
    try {
      const sdp = r.provisional
        ? await this.#provisional.make(r.callId, (check) => this.#queue(r.callId, () => makeProvisionalAnswer(this.#host, r.callId, r.offer ?? '', check)))
        : await this.#queue(r.callId, () => {
            const host = this.#host
            if (r.purpose === 'renegotiate') return r.kind === 'offer' ? makeReoffer(host, r.callId, r.change ?? 'hold') : makeReanswer(host, r.callId, r.offer ?? '')
            return r.kind === 'offer' ? makeOffer(host, r.callId, r.purpose) : makeAnswer(host, r.callId, r.offer ?? '', r.purpose)
          })
      await api().invoke('media.respond', { requestId: r.requestId, sdp })
    } catch (e) {
      if (!(e instanceof ProvisionalSuperseded)) this.state.error = (e as Error).message
      await api().invoke('media.respond', { requestId: r.requestId, error: (e as Error).message }).catch(() => {})
    }
  }

  #newPc(callId: string, which: 'p2p' | 'conference'): RTCPeerConnection {
    const m = this.media(callId)
    m[which]?.close()
    const pc = this.#spare.take()
    pc.addEventListener('track', (e) => {
      // a conference slot nobody feeds yet stays muted: it gets a tile when media arrives
      e.track.addEventListener('unmute', () => this.#refreshRemote(callId))
      e.track.addEventListener('mute', () => this.#refreshRemote(callId))
      this.#refreshRemote(callId)
    })
    m[which] = pc
    return pc
  }

  #refreshRemote(callId: string): void {
    const m = this.calls.get(callId)
    if (m) refreshRemote(m)
  }
}

export const media = new MediaEngine()
