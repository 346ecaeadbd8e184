// A call without video either way (the far side sent video only as RTVideo, which the media bridge refuses: plan.ts):
// the camera never opens, the camera button is not offered as if video were on, and the far side's tile claims no
// "camera off". happy-dom has no WebRTC: the engine's connection is a stand-in recording what it was given.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Core } from '../../main/core/core'
import type { CallSnapshot } from '../../preload/contract'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
import { toggleCamera } from '../../renderer/src/keys/call-keys'
import { media } from '../../renderer/src/media/engine'
import CallView from '../../renderer/src/views/CallView.vue'
import IncomingCall from '../../renderer/src/views/IncomingCall.vue'
import { testCore } from '../support/core'
import { callSnapshot } from '../support/call-snapshot'
import { inProcessBridge } from '../support/in-process-bridge'
import { mainSide } from '../support/main-side'

const AUDIO = 'm=audio 9 UDP/TLS/RTP/SAVPF 9\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:9 G722/8000\r\n'
const VIDEO = 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 H264/90000\r\n'
const HEAD = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'
/** the bridge's WebRTC offer when it dropped the far side's RTVideo line: audio only */
const AUDIO_ONLY = HEAD + AUDIO
const AUDIO_VIDEO = HEAD + AUDIO + VIDEO

let core: Core | undefined
afterEach(async () => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  await core?.close()
  core = undefined
})

class StandInConnection {
  signalingState = 'stable'
  iceGatheringState = 'complete'
  connectionState = 'new'
  localDescription: RTCSessionDescriptionInit | null = null
  transceivers: Array<{ direction: string; receiver: { track: { kind: string } }; sender: { replaceTrack(): Promise<void>; setStreams(): void } }> = []
  addEventListener() {}
  removeEventListener() {}
  getTransceivers() {
    return this.transceivers
  }
  getSenders() {
    return []
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    const kinds = [...d.sdp!.matchAll(/^m=(\w+)/gm)].map((m) => m[1]!)
    this.transceivers = kinds.map((kind) => ({ direction: 'recvonly', receiver: { track: { kind } }, sender: { replaceTrack: async () => {}, setStreams() {} } }))
    this.signalingState = 'have-remote-offer'
  }
  async createAnswer() {
    return { type: 'answer', sdp: AUDIO_ONLY }
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.localDescription = d
    this.signalingState = 'stable'
  }
  close() {
    this.signalingState = this.connectionState = 'closed'
  }
}

/** A fresh engine answering one call's offer the way main asks (media.request); returns what getUserMedia was asked for. */
async function answer(offer: string) {
  const { send, responses } = mainSide()
  const asked: MediaStreamConstraints[] = []
  const track = (kind: string) => ({ kind, enabled: true, readyState: 'live', stop() {} })
  vi.stubGlobal('RTCPeerConnection', StandInConnection)
  vi.stubGlobal('navigator', {
    mediaDevices: {
      getUserMedia: async (c: MediaStreamConstraints) => {
        asked.push(c)
        const tracks = [c.audio && track('audio'), c.video && track('video')].filter(Boolean)
        return { getAudioTracks: () => tracks.filter((t) => t && t.kind === 'audio'), getVideoTracks: () => tracks.filter((t) => t && t.kind === 'video'), getTracks: () => tracks }
      },
    },
  })
  const { MediaEngine } = await import('../../renderer/src/media/engine')
  const engine = new MediaEngine()
  engine.attach()
  engine.prepare({ video: true }) // the person pressed Accept with video
  send('media.request', { requestId: 'r1', callId: 'c1', kind: 'answer', purpose: 'call', offer })
  await vi.waitFor(() => expect(responses).toHaveLength(1))
  expect(responses[0]!.sdp).toMatch(/^m=audio/m)
  return { asked, engine }
}

describe('a call without video', () => {
  it('accepted with video, the offer has no video: the camera is never opened (only the microphone is asked for) and is off', async () => {
    const { asked, engine } = await answer(AUDIO_ONLY)
    expect(asked).toEqual([{ audio: true, video: false }])
    expect(engine.state.cameraOn).toBe(false)
    expect(engine.local.value?.getVideoTracks()).toEqual([])
  })

  it('accepted with video, the offer has video: the camera is opened with the microphone (the control)', async () => {
    const { asked, engine } = await answer(AUDIO_VIDEO)
    expect(asked).toEqual([{ audio: true, video: true }])
    expect(engine.state.cameraOn).toBe(true)
  })

  it('the view: the camera button disabled with the reason, the far tile says video unavailable (no "camera off"), the camera key does nothing', async () => {
    core = await testCore()
    const invoked: string[] = []
    const bridge = inProcessBridge(core)
    setApi(createApi({ ...bridge, invoke: (method, input) => (invoked.push(method), bridge.invoke(method, input)) }))
    setActivePinia(createPinia())
    const call = (over: Partial<CallSnapshot>): CallSnapshot => callSnapshot({ direction: 'incoming', video: true, ...over })
    media.state.cameraOn = true // as Accept with video left it, before the answer
    const view = mount(CallView, { props: { call: call({}) } })
    const cameraButton = () => view.findAll('.controls button').find((b) => b.text().startsWith('Camera'))!
    const caption = () => view.get('[data-testid=remote-tile] figcaption').text()
    // the control: a video call whose far side has its camera off
    expect(cameraButton().text()).toBe('Camera off')
    expect(cameraButton().attributes('disabled')).toBeUndefined()
    expect(caption()).toBe('Bob Brennan · camera off')

    media.state.cameraOn = false // the engine answered audio only
    await view.setProps({ call: call({ videoUnavailable: true }) })
    expect(cameraButton().text()).toBe('Camera on')
    expect(cameraButton().attributes('disabled')).toBeDefined()
    expect(cameraButton().attributes('title')).toBe('Video is not possible in this call: it goes on with audio only.')
    expect(cameraButton().attributes('aria-description')).toBe('Video is not possible in this call: it goes on with audio only.')
    expect(cameraButton().attributes('aria-pressed')).toBeUndefined()
    expect(caption()).toBe('Bob Brennan · video unavailable')
    expect(view.get('[data-testid=remote-tile]').attributes('data-camera-off')).toBe('false')
    // my own row claims nothing about a camera this call cannot carry
    expect(view.get('.roster li').text()).toBe('You')

    await cameraButton().trigger('click')
    toggleCamera(call({ videoUnavailable: true })) // Ctrl/⌘+Shift+O
    await flushPromises()
    expect(invoked).not.toContain('calls.change')
    // the control: the same key in a call with video asks main to renegotiate the camera
    toggleCamera(call({}))
    await flushPromises()
    expect(invoked).toContain('calls.change')
    view.unmount()
  })

  it('the ringing card: an offer whose video cannot be taken rings as an audio call with the reason, and Accept answers without the camera', async () => {
    core = await testCore()
    const accepted: unknown[] = []
    const bridge = inProcessBridge(core)
    setApi(createApi({ ...bridge, invoke: (method, input) => (method === 'calls.accept' && accepted.push(input), bridge.invoke(method, input)) }))
    const prepared = vi.spyOn(media, 'prepare')
    setActivePinia(createPinia())
    const why = "Neither of you can see the other: the other side's video uses an older Microsoft format (RTVideo) that Parley cannot show or send. The call goes on with audio only."
    const ringing = (over: Partial<CallSnapshot>): CallSnapshot => callSnapshot({ state: 'ringing', direction: 'incoming', video: true, connectedAt: undefined, ...over })
    const card = mount(IncomingCall, { props: { call: ringing({}) } })
    const buttons = () => card.findAll('button').map((b) => b.text())
    // the control: a video call offers both ways to accept
    expect(card.get('[data-testid=incoming-kind]').text()).toBe('Video call')
    expect(buttons()).toEqual(['Accept with video', 'Accept audio only', 'Decline'])

    await card.setProps({ call: ringing({ videoUnavailable: true, notice: why }) })
    expect(card.get('[data-testid=incoming-kind]').text()).toBe('Audio call · video not possible')
    expect(card.get('[data-testid=incoming-notice]').text()).toBe(why)
    expect(buttons()).toEqual(['Accept', 'Decline'])
    await card.findAll('button')[0]!.trigger('click')
    await flushPromises()
    expect(accepted).toEqual([{ callId: 'c1' }])
    expect(prepared).toHaveBeenCalledWith(expect.objectContaining({ video: false }))
    expect(prepared).not.toHaveBeenCalledWith(expect.objectContaining({ video: true }))
    card.unmount()
  })
})
