// A hold or camera change the pool declined (or never got): main tells the engine (media.rollback), which takes its
// re-offer back and puts the camera and directions back, so the camera button, the preview and the connection show
// the call as it goes on. happy-dom has no WebRTC: the connection is a stand-in recording what it was given.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mainSide } from '../support/main-side'

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n'

interface Track {
  kind: string
  enabled: boolean
  readyState: string
  stop(): void
}
const track = (kind: string): Track => ({ kind, enabled: true, readyState: 'live', stop() { this.readyState = 'ended' } })

class StandInConnection {
  static made: StandInConnection[] = []
  signalingState = 'stable'
  iceGatheringState = 'complete'
  connectionState = 'connected'
  localDescription: RTCSessionDescriptionInit | null = null
  /** the types of the local descriptions set, in order */
  readonly locals: string[] = []
  readonly transceivers: Array<{ direction: string; receiver: { track: { kind: string } }; sender: { track: Track | null; replaceTrack(t: Track | null): Promise<void>; setStreams(): void } }> = []
  constructor() {
    StandInConnection.made.push(this)
  }
  addEventListener() {}
  removeEventListener() {}
  addTransceiver(kind: string, o: { direction: string }) {
    const sender = { track: null as Track | null, replaceTrack: async (t: Track | null) => void (sender.track = t), setStreams() {} }
    this.transceivers.push({ direction: o.direction, receiver: { track: { kind } }, sender })
  }
  getTransceivers() {
    return this.transceivers
  }
  getSenders() {
    return this.transceivers.map((t) => t.sender)
  }
  async createOffer() {
    return { type: 'offer', sdp: SDP }
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.locals.push(d.type!)
    if (d.type !== 'rollback') this.localDescription = d
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable'
  }
  async setRemoteDescription() {
    this.signalingState = 'stable'
  }
  close() {
    this.signalingState = this.connectionState = 'closed'
  }
}

/** a connected video call c1 (our offer, its answer applied) on a fresh engine; `send` is main's side of the contract */
async function connectedCall() {
  StandInConnection.made = []
  vi.stubGlobal('RTCPeerConnection', StandInConnection)
  vi.stubGlobal('navigator', {
    mediaDevices: {
      getUserMedia: async (c: MediaStreamConstraints) => new MediaStream([c.audio && track('audio'), c.video && track('video')].filter((t): t is Track => !!t) as never),
    },
  })
  vi.stubGlobal(
    'MediaStream',
    class {
      readonly #tracks: Track[]
      constructor(tracks: Track[] = []) {
        this.#tracks = [...tracks]
      }
      getTracks = () => [...this.#tracks]
      getAudioTracks = () => this.#tracks.filter((t) => t.kind === 'audio')
      getVideoTracks = () => this.#tracks.filter((t) => t.kind === 'video')
    },
  )
  const main = mainSide()
  const { MediaEngine } = await import('../../renderer/src/media/engine')
  const media = new MediaEngine()
  media.attach()
  main.send('media.request', { requestId: 'call', callId: 'c1', kind: 'offer', purpose: 'call' })
  await vi.waitFor(() => expect(main.responses).toHaveLength(1))
  main.send('media.answer', { callId: 'c1', sdp: SDP, provisional: false, purpose: 'call' })
  const pc = media.current('c1') as unknown as StandInConnection
  await vi.waitFor(() => expect(pc.signalingState).toBe('stable'))
  /** the person's change, re-offered; resolves once the engine responded with its offer */
  const change = async (change: string) => {
    const n = main.responses.length
    main.send('media.request', { requestId: change, callId: 'c1', kind: 'offer', purpose: 'renegotiate', change })
    await vi.waitFor(() => expect(main.responses).toHaveLength(n + 1))
    expect(main.responses[n]?.sdp).toBe(SDP)
  }
  const camera = () => pc.transceivers.find((t) => t.receiver.track.kind === 'video')!
  const preview = () => media.local.value?.getVideoTracks().filter((t) => t.readyState === 'live') ?? []
  return { main, media, pc, change, camera, preview }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('a declined mid-call change', () => {
  it('camera off declined: the offer is rolled back and the camera is on again, sent and previewed', async () => {
    const { main, media, pc, change, camera, preview } = await connectedCall()
    await change('video-off')
    expect(media.state.cameraOn).toBe(false)
    expect(pc.signalingState).toBe('have-local-offer')

    main.send('media.rollback', { callId: 'c1' })
    await vi.waitFor(() => expect(media.state.cameraOn).toBe(true))
    expect(pc.locals).toEqual(['offer', 'offer', 'rollback'])
    expect(pc.signalingState).toBe('stable')
    expect(camera().direction).toBe('sendrecv')
    expect(preview()).toHaveLength(1) // "Your camera" shows again
    expect(camera().sender.track).toBe(preview()[0]) // and the far side gets it again
    expect(media.state.error).toBeNull()
  })

  it('hold declined: the offer is rolled back and every section sends and receives again', async () => {
    const { main, media, pc, change } = await connectedCall()
    await change('hold')
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['inactive', 'inactive'])

    main.send('media.rollback', { callId: 'c1' })
    await vi.waitFor(() => expect(pc.locals).toEqual(['offer', 'offer', 'rollback']))
    expect(pc.signalingState).toBe('stable')
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv'])
    expect(media.state.cameraOn).toBe(true)
  })

  it('no offer pending (the change was answered): nothing is taken back, the camera stays off', async () => {
    const { main, media, pc, change, camera, preview } = await connectedCall()
    await change('video-off')
    main.send('media.answer', { callId: 'c1', sdp: SDP, provisional: false, purpose: 'renegotiate' })
    await vi.waitFor(() => expect(pc.signalingState).toBe('stable'))

    main.send('media.rollback', { callId: 'c1' })
    main.send('media.rollback', { callId: 'unknown' })
    await new Promise((r) => setTimeout(r, 20))
    expect(pc.locals).toEqual(['offer', 'offer'])
    expect(media.state.cameraOn).toBe(false)
    expect(camera().direction).toBe('recvonly')
    expect(preview()).toHaveLength(0)
    expect(media.state.error).toBeNull()
  })
})
