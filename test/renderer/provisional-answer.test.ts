// Accept overtaking the provisional answer (issue #24): main drops a provisional answer once the call no longer rings,
// so the engine stops making it and the final answer takes the connection at once instead of queueing behind it.
// happy-dom has no WebRTC: the connection is a stand-in that records which descriptions were set on it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mainSide } from '../support/main-side'

const OFFER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 VP8/90000\r\n'

/** the offer's setRemoteDescription waits for this: the moment Accept arrives is chosen by the test */
let offerTaken: Promise<void> = Promise.resolve()
class StandInConnection {
  static made: StandInConnection[] = []
  signalingState = 'stable'
  iceGatheringState = 'complete'
  connectionState = 'new'
  localDescription: RTCSessionDescriptionInit | null = null
  /** the types of the local descriptions set, in order */
  readonly locals: string[] = []
  remotes = 0
  readonly transceivers = ['audio', 'video'].map((kind) => ({ direction: 'sendrecv', receiver: { track: { kind } }, sender: { replaceTrack: async () => {}, setStreams() {} } }))
  constructor() {
    StandInConnection.made.push(this)
  }
  addEventListener() {}
  removeEventListener() {}
  getTransceivers() {
    return this.transceivers
  }
  async setRemoteDescription() {
    this.remotes++
    await offerTaken
    this.signalingState = 'have-remote-offer'
  }
  async createAnswer() {
    return { type: 'answer', sdp: OFFER }
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.locals.push(d.type!)
    this.localDescription = d
    this.signalingState = d.type === 'pranswer' ? 'have-local-pranswer' : 'stable'
  }
  close() {
    this.signalingState = this.connectionState = 'closed'
  }
}

const track = (kind: string) => ({ kind, enabled: true, stop() {} })
const camera = { getAudioTracks: () => [track('audio')], getVideoTracks: () => [track('video')], getTracks: () => [track('audio'), track('video')] }

/** main's side of the contract as the engine sees it: its requests sent by the test, its responses recorded */
function contract() {
  const main = mainSide()
  const request = (r: { requestId: string; provisional?: boolean; purpose?: 'call' | 'conference' }) => main.send('media.request', { callId: 'c1', kind: 'answer', purpose: 'call', offer: OFFER, ...r })
  return { request, responses: main.responses }
}

async function engine() {
  StandInConnection.made = []
  vi.stubGlobal('RTCPeerConnection', StandInConnection)
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: async () => camera } })
  vi.stubGlobal(
    'MediaStream',
    class {
      readonly #tracks: Array<{ kind: string }>
      constructor(tracks: Array<{ kind: string }> = []) {
        this.#tracks = [...tracks]
      }
      getTracks = () => [...this.#tracks]
      getAudioTracks = () => this.#tracks.filter((t) => t.kind === 'audio')
      getVideoTracks = () => this.#tracks.filter((t) => t.kind === 'video')
      addTrack = (t: { kind: string }) => void this.#tracks.push(t)
      removeTrack = (t: { kind: string }) => void this.#tracks.splice(this.#tracks.indexOf(t), 1)
    },
  )
  const { MediaEngine } = await import('../../renderer/src/media/engine')
  const media = new MediaEngine()
  media.attach()
  return media
}

afterEach(() => {
  vi.unstubAllGlobals()
  offerTaken = Promise.resolve()
})

describe('the provisional answer and Accept', () => {
  it('Accept while the offer is still being taken: no provisional answer is made, the final one goes on that connection', async () => {
    const main = contract()
    const media = await engine()
    let take!: () => void
    offerTaken = new Promise((r) => (take = r))
    main.request({ requestId: 'provisional', provisional: true })
    await vi.waitFor(() => expect(StandInConnection.made.some((pc) => pc.remotes > 0)).toBe(true))
    main.request({ requestId: 'final' }) // the person accepted
    take()
    await vi.waitFor(() => expect(main.responses).toHaveLength(2))
    const answered = StandInConnection.made.filter((pc) => pc.remotes > 0)
    expect(answered).toHaveLength(1) // the offer taken once, on one connection
    expect(answered[0]!.locals).toEqual(['answer']) // no pranswer made on the way
    expect(main.responses.find((r) => r.requestId === 'final')?.sdp).toContain('m=video')
    expect(main.responses.find((r) => r.requestId === 'provisional')).toEqual({ requestId: 'provisional', error: 'The call was accepted before its provisional answer was ready.' })
    expect(media.state.error).toBeNull() // nothing for the person to see: the call is being answered
    expect(media.current('c1')).toBe(answered[0])
  })

  it('Accept after the provisional answer went: the final answer follows it on the same connection', async () => {
    const main = contract()
    const media = await engine()
    main.request({ requestId: 'provisional', provisional: true })
    await vi.waitFor(() => expect(main.responses).toHaveLength(1))
    expect(main.responses[0]?.sdp).toContain('m=audio')
    main.request({ requestId: 'final' })
    await vi.waitFor(() => expect(main.responses).toHaveLength(2))
    const answered = StandInConnection.made.filter((pc) => pc.remotes > 0)
    expect(answered).toHaveLength(1)
    expect(answered[0]!.locals).toEqual(['pranswer', 'answer'])
    expect(media.state.error).toBeNull()
  })

  it('an invitation known as a conference by Accept: the final answer still goes on the connection of the provisional one, no second connection to the same offer', async () => {
    const main = contract()
    await engine()
    main.request({ requestId: 'provisional', provisional: true })
    await vi.waitFor(() => expect(main.responses).toHaveLength(1))
    // the conversation's Conferenced update came while it rang: main asks for a conference answer
    main.request({ requestId: 'final', purpose: 'conference' })
    await vi.waitFor(() => expect(main.responses).toHaveLength(2))
    expect(main.responses[1]?.sdp).toContain('m=video')
    const answered = StandInConnection.made.filter((pc) => pc.remotes > 0)
    expect(answered).toHaveLength(1)
    expect(answered[0]!.locals).toEqual(['pranswer', 'answer'])
    expect(StandInConnection.made.filter((pc) => pc.signalingState !== 'closed')).toHaveLength(1)
  })
})
