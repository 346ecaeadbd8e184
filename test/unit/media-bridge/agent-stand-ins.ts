// Recording stand-ins for the BridgingAgent's tests: a renderer (MediaAgent) and a media worker with fixed answers.
import { toDataUrl } from '../../../main/media-bridge/body'
import { BridgingAgent } from '../../../main/media-bridge/bridging-agent'
import type { BridgeFault } from '../../../main/media-bridge/fault'
import type { MediaWorker } from '../../../main/media-bridge/media-worker-host'
import type { MediaAgent } from '../../../main/ucwa/call/media-agent'
import type { UcwaError } from '../../../main/ucwa/errors'
import { multipartSample } from './samples'

export const webrtc = (codecs: string) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio 9 UDP/TLS/RTP/SAVPF ${codecs}`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=fingerprint:sha-256 00:11', 'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n')
export const rendererOffer = webrtc('111 9 0')
export const rendererAnswer = webrtc('9 0').replace('actpass', 'active')

/** A renderer that records what it was handed and answers with fixed SDP. */
export function renderer() {
  const got: string[] = []
  const agent: MediaAgent = {
    createOffer: async () => rendererOffer,
    createAnswer: async (_id, offer) => (got.push(`answer-to:${offer}`), rendererAnswer),
    createProvisionalAnswer: async (_id, offer) => (got.push(`early-to:${offer}`), rendererAnswer),
    applyAnswer: (_id, sdp, o) => void got.push(`apply:${o.purpose}:${sdp}`),
    reoffer: async (_id, change) => (got.push(`reoffer:${change}`), 'RENDERER-REOFFER'),
    answerReoffer: async (_id, offer) => (got.push(`answer-reoffer-to:${offer}`), 'RENDERER-REANSWER'),
    applyReanswer: (_id, sdp) => void got.push(`reanswer:${sdp}`),
    close: (_id, what) => void got.push(`close:${what}`),
  }
  return { agent, got }
}

/** A media worker that records its requests and gives fixed descriptions; `fail` makes its next request reject. */
export function worker() {
  const asked: string[] = []
  const ended = new Map<string, (f: BridgeFault) => void>()
  /** the re-offer after ICE poolAnswered resolves with, per bridge call (none: null) */
  const afterIce = new Map<string, string>()
  let fail: Error | null = null
  const next = async <T>(what: string, v: T): Promise<T> => {
    asked.push(what)
    if (fail) throw fail
    return v
  }
  const w = {
    answer: (call: string, offer: { contentType: string }, onEnded: (f: BridgeFault) => void) => (ended.set(call, onEnded), next(`answer:${call}:${offer.contentType}`, { sfbAnswer: 'SFB-ANSWER', processedOfferId: '<x>', webrtcOffer: 'BRIDGE-WEBRTC-OFFER', payloadMap: [], ssrcMap: [], notices: [{ kind: 'videoDropped', message: 'AUDIO ONLY' }] })),
    rendererAnswered: (call: string, sdp: string) => next(`rendererAnswered:${call}:${sdp === rendererAnswer}`, undefined),
    startPool: (call: string) => next(`startPool:${call}`, undefined),
    offer: (call: string, _sdp: string, onEnded: (f: BridgeFault) => void) => (ended.set(call, onEnded), next(`offer:${call}`, { sfbOffer: 'v=0\r\nSFB-OFFER\r\n', webrtcAnswer: 'BRIDGE-WEBRTC-ANSWER' })),
    poolAnswered: (call: string, sdp: string) => next(`poolAnswered:${call}:${sdp}`, { sfbReoffer: afterIce.get(call) ?? null }),
    reoffer: (call: string, sdp: string) => next(`reoffer:${call}:${sdp}`, { sfbReoffer: 'SFB-REOFFER', webrtcReanswer: 'BRIDGE-REANSWER' }),
    answerReoffer: (call: string, sdp: string) => next(`answerReoffer:${call}:${sdp}`, { sfbReanswer: 'SFB-REANSWER', webrtcReoffer: sdp === 'SFB-AFTER-ICE' ? null : 'BRIDGE-REOFFER' }),
    rendererReanswered: (call: string, sdp: string) => next(`rendererReanswered:${call}:${sdp === rendererAnswer ? 'answer' : sdp}`, undefined),
    currentOffer: (call: string) => next(`currentOffer:${call}`, `CURRENT:${afterIce.get(call)}`),
    reofferSettled: (call: string, accepted: boolean) => next(`reofferSettled:${call}:${accepted}`, undefined),
    close: (call: string) => next(`close:${call}`, undefined),
    warm: () => next('warm', [40000, 40001, 40002, 40003]),
    alive: true,
    stop: async () => undefined,
  }
  return { w: w as unknown as MediaWorker, asked, ended, afterIce, failNext: (e: Error) => (fail = e) }
}

export function setup() {
  const r = renderer()
  const wk = worker()
  let started = 0
  const agent = new BridgingAgent(r.agent, { worker: () => (started++, wk.w) })
  const failures: [string, UcwaError][] = []
  agent.onFailure((id, e) => failures.push([id, e]))
  return { agent, r, wk, failures, started: () => started }
}

export const sfbMultipart = () => {
  const s = multipartSample()
  return toDataUrl(s.contentType, s.body)
}
