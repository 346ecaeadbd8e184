// The BridgingAgent's decisions: which part of an offer is taken and named, when the bridge is used, what the renderer
// and the pool each get. The renderer and the media worker are recording stand-ins (the packet path has its own tests).
import { describe, expect, it } from 'vitest'
import { parseMediaBody, readDataUrl, toDataUrl, writeMultipartAlternative } from '../../../main/media-bridge/body'
import { BridgingAgent } from '../../../main/media-bridge/bridging-agent'
import { BridgeFault } from '../../../main/media-bridge/fault'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { UcwaError } from '../../../main/ucwa/errors'
import { editLines, multipartSample, sampleSdp } from './samples'
import { renderer, rendererAnswer, rendererOffer, setup, sfbMultipart, webrtc, worker } from './agent-stand-ins'

describe('BridgingAgent: offers from the pool', () => {
  it('a plain WebRTC offer goes to the renderer untouched; no part named, no worker', async () => {
    const { agent, r, started } = setup()
    expect(await agent.createAnswer('c1', rendererOffer, 'call')).toBe(rendererAnswer)
    expect(r.got).toEqual([`answer-to:${rendererOffer}`])
    expect(agent.processedOfferId('c1')).toBeUndefined()
    expect(started()).toBe(0)
  })

  it('a multipart offer with a WebRTC part (another Parley): that part to the renderer, its Content-ID named; no worker', async () => {
    const { agent, r, started } = setup()
    const body = writeMultipartAlternative([{ contentId: '<w@p>', fallback: false, sdp: rendererOffer }, { contentId: '<s@p>', fallback: false, sdp: sampleSdp('p2p-offer-multipart.txt') }], 'b1')
    expect(await agent.createAnswer('c1', toDataUrl(body.contentType, body.body), 'call')).toBe(rendererAnswer)
    expect(r.got).toEqual([`answer-to:${rendererOffer}`])
    expect(agent.processedOfferId('c1')).toBe('<w@p>')
    expect(started()).toBe(0)
  })

  it('an SfB multipart offer: the ICE-19 part named, the bridge answers it, the renderer answers the bridge’s WebRTC offer, the pool gets the SfB answer', async () => {
    const { agent, r, wk } = setup()
    const ice19 = parseMediaBody(multipartSample().body, multipartSample().contentType).parts.at(-1)!.contentId
    expect(await agent.createAnswer('c1', sfbMultipart(), 'call')).toBe('SFB-ANSWER')
    expect(agent.processedOfferId('c1')).toBe(ice19)
    expect(r.got).toEqual(['answer-to:BRIDGE-WEBRTC-OFFER'])
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`, 'rendererAnswered:c1/p2p:true'])
  })

  it('what the bridge drops (video it cannot carry) is told once per answer, as the call’s notice', async () => {
    const { agent } = setup()
    const notices: [string, string, string][] = []
    agent.onNotice((id, n) => notices.push([id, n.kind, n.message]))
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    await agent.createAnswer('c2', rendererOffer, 'call')
    expect(notices).toEqual([['c1', 'videoDropped', 'AUDIO ONLY']])
  })

  it('while an SfB offer rings the bridge answers it and starts its checks once the pool has that answer, the renderer is not asked; Accept takes that answer over', async () => {
    const { agent, r, wk } = setup()
    expect(await agent.createProvisionalAnswer('c1', sfbMultipart())).toBe('SFB-ANSWER')
    expect(r.got).toEqual([])
    // the far side checks only once it has the answer: so do the pool legs (their time runs from then)
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`])
    agent.provisionalAnswerSent('c1')
    expect(await agent.createAnswer('c1', sfbMultipart(), 'call')).toBe('SFB-ANSWER')
    expect(r.got).toEqual(['answer-to:BRIDGE-WEBRTC-OFFER'])
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`, 'startPool:c1/p2p', 'rendererAnswered:c1/p2p:true'])
    // a WebRTC offer: the renderer's own early answer
    expect(await agent.createProvisionalAnswer('c2', rendererOffer)).toBe(rendererAnswer)
    expect(r.got.at(-1)).toBe(`early-to:${rendererOffer}`)
  })

  it('a provisional answer left unsent (the person accepted first): no checks until Accept sends the answer, so the far side, which checks only then, is not given up on before it starts', async () => {
    const { agent, wk } = setup()
    await agent.createProvisionalAnswer('c1', sfbMultipart())
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`])
    expect(await agent.createAnswer('c1', sfbMultipart(), 'call')).toBe('SFB-ANSWER')
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`, 'rendererAnswered:c1/p2p:true'])
    // a call closed before its answer went out starts nothing
    await agent.createProvisionalAnswer('c2', sfbMultipart())
    agent.close('c2', 'all')
    agent.provisionalAnswerSent('c2')
    expect(wk.asked.filter((a) => a.startsWith('startPool'))).toEqual([])
  })

  it('an invitation known as a conference only after its provisional answer: Accept still takes that answer over (one bridge call, the same SfB answer, RFC 3261 13.2.1)', async () => {
    const { agent, r, wk } = setup()
    expect(await agent.createProvisionalAnswer('c1', sfbMultipart())).toBe('SFB-ANSWER')
    agent.provisionalAnswerSent('c1')
    // the conversation's Conferenced update came between the provisional answer and Accept: the engine asks for a conference answer
    expect(await agent.createAnswer('c1', sfbMultipart(), 'conference')).toBe('SFB-ANSWER')
    expect(r.got).toEqual(['answer-to:BRIDGE-WEBRTC-OFFER'])
    expect(wk.asked).toEqual([`answer:c1/p2p:${multipartSample().contentType}`, 'startPool:c1/p2p', 'rendererAnswered:c1/p2p:true'])
  })

  it('no address of the far side answers while it rings: reported as a MediaConnectivityFailure refusal (the call is declined); after Accept, as the fault', async () => {
    const { agent, wk, failures } = setup()
    await agent.createProvisionalAnswer('c1', sfbMultipart())
    agent.provisionalAnswerSent('c1')
    const ice = new BridgeFault('IceFailed', 'no path')
    wk.ended.get('c1/p2p')!(ice)
    expect(failures[0]![1]).toBeInstanceOf(MediaRefusal)
    expect(failures[0]![1]).toMatchObject({ declineReason: 'MediaConnectivityFailure', subcode: 'MediaFailure' })
    await agent.createAnswer('c2', sfbMultipart(), 'call')
    wk.ended.get('c2/p2p')!(ice)
    expect(failures[1]).toEqual(['c2', ice])
  })

  it('refusal: what cannot be bridged, with its CallDeclineReason; WebRTC and bridgeable offers none', () => {
    const { agent } = setup()
    const silk = editLines(sampleSdp('p2p-offer-multipart.txt'), (l) => (/^m=audio/.test(l) ? l.replace(/RTP\/SAVP .*/, 'RTP/SAVP 103') : /^a=rtpmap:/.test(l) && !/SILK|H264|x-rtvc1/i.test(l) && !/^a=rtpmap:1[2-9]\d/.test(l) ? null : l))
    const refused = agent.refusal(silk)
    expect(refused).toBeInstanceOf(MediaRefusal)
    expect(refused?.declineReason).toBe('CodecMismatch')
    expect(agent.refusal(rendererOffer)).toBeNull()
    expect(agent.refusal(sfbMultipart())).toBeNull()
  })
})

describe('BridgingAgent: Parley’s own offers', () => {
  it('one multipart/alternative body: the renderer’s WebRTC part first, the bridge’s SfB part last', async () => {
    const { agent, wk } = setup()
    const url = await agent.createOffer('c1', 'call')
    const { contentType, body } = readDataUrl(url)
    const parts = parseMediaBody(body, contentType).parts
    expect(parts.map((p) => p.sdp)).toEqual([rendererOffer, 'v=0\r\nSFB-OFFER\r\n'])
    expect(parts.every((p) => p.contentId && !p.fallback)).toBe(true)
    expect(wk.asked).toEqual(['warm', 'offer:c1/p2p'])
  })

  it('the worker gets ready (warm: its spare pool legs) while the renderer makes its offer, not after it', async () => {
    const r = renderer()
    const wk = worker()
    let askedWhileRendererOffered: string[] = []
    const agent = new BridgingAgent({ ...r.agent, createOffer: async () => ((askedWhileRendererOffered = [...wk.asked]), rendererOffer) }, { worker: () => wk.w })
    await agent.createOffer('c1', 'call')
    expect(askedWhileRendererOffered).toEqual(['warm'])
    expect(wk.asked).toEqual(['warm', 'offer:c1/p2p'])
  })

  it('warm() (at sign-in) starts one worker and asks it to gather; a worker that cannot is logged, never thrown, and the call still goes out', async () => {
    const r = renderer()
    const wk = worker()
    const logs: string[] = []
    let started = 0
    const agent = new BridgingAgent(r.agent, { worker: () => (started++, wk.w), log: (m) => logs.push(m) })
    agent.warm()
    agent.warm()
    await new Promise((done) => setImmediate(done))
    expect([started, wk.asked]).toEqual([1, ['warm', 'warm']])
    wk.failNext(new BridgeFault('IceFailed', 'No UDP socket could be opened on 127.0.0.1.'))
    agent.warm()
    await new Promise((done) => setImmediate(done))
    expect(logs).toContain('media bridge: could not prepare for the next call: No UDP socket could be opened on 127.0.0.1.')
    expect(await agent.createOffer('c1', 'call')).toBe(rendererOffer)
  })

  it('a worker that cannot even be started (its constructor throws) is logged; the renderer\'s own answer to the call goes on: its offer, or its typed error', async () => {
    const r = renderer()
    const logs: string[] = []
    const agent = new BridgingAgent(r.agent, { worker: () => { throw new Error('no worker threads here') }, log: (m) => logs.push(m) })
    expect(() => agent.warm()).not.toThrow()
    expect(logs).toContain('media bridge: could not prepare for the next call: no worker threads here')
    const refused = new UcwaError({ status: 0, code: 'MediaFailure', subcode: 'RendererTimeout', message: 'Parley’s window did not prepare the call’s media in time.' })
    const failing = new BridgingAgent({ ...r.agent, createOffer: () => Promise.reject(refused) }, { worker: () => { throw new Error('no worker threads here') } })
    await expect(failing.createOffer('c1', 'call')).rejects.toBe(refused)
  })

  it('a renderer offer with no audio the bridge carries (Opus only) goes out alone; the worker, warmed meanwhile, makes no bridge call', async () => {
    const r = renderer()
    const wk = worker()
    const agent = new BridgingAgent({ ...r.agent, createOffer: async () => webrtc('111') }, { worker: () => wk.w })
    expect(await agent.createOffer('c1', 'call')).toBe(webrtc('111'))
    expect(wk.asked).toEqual(['warm'])
  })

  it('a bridge that cannot open (worker fault) still lets the call go out with the WebRTC part alone', async () => {
    const { agent, wk } = setup()
    wk.failNext(new BridgeFault('IceFailed', 'No UDP socket could be opened on 127.0.0.1.'))
    expect(await agent.createOffer('c1', 'call')).toBe(rendererOffer)
  })

  it('a WebRTC answer (another Parley took its part): the bridge is closed and the renderer applies it', async () => {
    const { agent, r, wk } = setup()
    await agent.createOffer('c1', 'call')
    agent.applyAnswer('c1', rendererAnswer, { provisional: false, purpose: 'call' })
    expect(r.got).toEqual([`apply:call:${rendererAnswer}`])
    expect(wk.asked).toEqual(['warm', 'offer:c1/p2p', 'close:c1/p2p'])
  })

  it('an SfB answer: the renderer applies the bridge’s WebRTC answer, the bridge gets the pool’s (once; an early one waits)', async () => {
    const { agent, r, wk } = setup()
    await agent.createOffer('c1', 'call')
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: true, purpose: 'call' })
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    expect(r.got).toEqual(['apply:call:BRIDGE-WEBRTC-ANSWER'])
    expect(wk.asked).toEqual(['warm', 'offer:c1/p2p', 'poolAnswered:c1/p2p:v=0\r\nSFB\r\n'])
  })

  it('escalation: WebRTC when the two-party call took WebRTC; the SfB part alone (one application/sdp) when it went through the bridge', async () => {
    const { agent, wk } = setup()
    expect(await agent.createOffer('c1', 'escalation')).toBe(rendererOffer)
    await agent.createOffer('c2', 'call')
    agent.applyAnswer('c2', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    expect(await agent.createOffer('c2', 'escalation')).toBe('v=0\r\nSFB-OFFER\r\n')
    expect(wk.asked.at(-1)).toBe('offer:c2/conference')
  })
})

describe('BridgingAgent: the re-offer after ICE ([MS-ICE2])', () => {
  it('our own call: once the bridge brought the legs up it hands its re-offer to the engine (onReoffer), the renderer not asked; an escalation\'s is not handed on', async () => {
    const { agent, r, wk, failures } = setup()
    const told: [string, () => Promise<string>][] = []
    agent.onReoffer((id, reoffer) => told.push([id, reoffer]))
    wk.afterIce.set('c1/p2p', 'SFB-AFTER-ICE')
    wk.afterIce.set('c1/conference', 'SFB-CONFERENCE-AFTER-ICE')
    await agent.createOffer('c1', 'call')
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    await expect.poll(() => told.map(([id]) => id)).toEqual(['c1'])
    // the SDP is the bridge call's as it stands when the engine sends it
    expect(await told[0]![1]()).toBe('CURRENT:SFB-AFTER-ICE')
    expect(wk.asked.at(-1)).toBe('currentOffer:c1/p2p')
    expect(r.got).toEqual(['apply:call:BRIDGE-WEBRTC-ANSWER'])
    await agent.createOffer('c1', 'escalation')
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'escalation' })
    await expect.poll(() => wk.asked.at(-1)).toBe('poolAnswered:c1/conference:v=0\r\nSFB\r\n')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(told).toHaveLength(1)
    expect(failures).toEqual([])
  })

  it('the far side\'s re-offer that changes no direction: the bridge answers it alone, the renderer is not renegotiated', async () => {
    const { agent, r, wk } = setup()
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    expect(await agent.answerReoffer('c1', 'SFB-AFTER-ICE')).toBe('SFB-REANSWER')
    expect(r.got.slice(1)).toEqual([])
    expect(wk.asked.slice(2)).toEqual(['answerReoffer:c1/p2p:SFB-AFTER-ICE'])
  })
})

describe('BridgingAgent: bridged calls', () => {
  it('our hold on a bridged call: the renderer’s re-offer goes to the bridge, the pool gets the SfB re-offer, the renderer the bridge’s answer', async () => {
    const { agent, r, wk } = setup()
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    expect(await agent.reoffer('c1', 'hold')).toBe('SFB-REOFFER')
    agent.applyReanswer('c1', 'SFB-REANSWER-FROM-POOL')
    expect(r.got.slice(1)).toEqual(['reoffer:hold', 'reanswer:BRIDGE-REANSWER'])
    expect(wk.asked.slice(2)).toEqual(['reoffer:c1/p2p:RENDERER-REOFFER', 'reofferSettled:c1/p2p:true'])
  })

  it('our hold declined by the pool: the bridge is told to keep the directions last agreed, and the renderer never gets the bridge’s held answer', async () => {
    const { agent, r, wk } = setup()
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    await agent.reoffer('c1', 'hold')
    agent.reofferFailed('c1')
    expect(wk.asked.slice(2)).toEqual(['reoffer:c1/p2p:RENDERER-REOFFER', 'reofferSettled:c1/p2p:false'])
    expect(r.got.slice(1)).toEqual(['reoffer:hold'])
  })

  it('the far side’s hold on a bridged call: the renderer answers the bridge’s re-offer, the pool gets the SfB re-answer; an unbridged call’s go to the renderer as they are', async () => {
    const { agent, r, wk } = setup()
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    expect(await agent.answerReoffer('c1', 'SFB-HOLD')).toBe('SFB-REANSWER')
    expect(r.got.slice(1)).toEqual(['answer-reoffer-to:BRIDGE-REOFFER'])
    expect(wk.asked.slice(2)).toEqual(['answerReoffer:c1/p2p:SFB-HOLD', 'rendererReanswered:c1/p2p:RENDERER-REANSWER'])
    await agent.createAnswer('c2', rendererOffer, 'call')
    expect(await agent.answerReoffer('c2', 'WEBRTC-HOLD')).toBe('RENDERER-REANSWER')
    expect(await agent.reoffer('c2', 'video-off')).toBe('RENDERER-REOFFER')
    agent.applyReanswer('c2', 'WEBRTC-REANSWER')
    expect(r.got.slice(-3)).toEqual(['answer-reoffer-to:WEBRTC-HOLD', 'reoffer:video-off', 'reanswer:WEBRTC-REANSWER'])
  })

  it('a fault in the worker ends the call once, with its reason; a closed call’s late fault is nobody’s', async () => {
    const { agent, wk, failures } = setup()
    await agent.createAnswer('c1', sfbMultipart(), 'call')
    const fault = new BridgeFault('SrtpAuthenticationFailed', 'keys')
    wk.ended.get('c1/p2p')!(fault)
    wk.ended.get('c1/p2p')!(fault)
    expect(failures).toEqual([['c1', fault]])
    await agent.createAnswer('c2', sfbMultipart(), 'call')
    agent.close('c2', 'all')
    wk.ended.get('c2/p2p')!(fault)
    expect(failures).toHaveLength(1)
  })

  it('the pool’s SfB answer that cannot be bridged ends the call with the refusal', async () => {
    const { agent, wk, failures } = setup()
    await agent.createOffer('c1', 'call')
    const refusal = new MediaRefusal('CodecMismatch', 'MediaNegotiationFailure', 'no codec')
    wk.failNext(refusal)
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    await expect.poll(() => failures).toEqual([['c1', refusal]])
  })
})

describe('BridgingAgent: conferences through the bridge', () => {
  /** the recording worker, alive, that also records the video sources asked for */
  function conferenceSetup(unitDialect?: 'sfb2015') {
    const r = renderer()
    const wk = worker()
    Object.assign(wk.w, { alive: true, videoSources: async (call: string, msis: number[]) => void wk.asked.push(`videoSources:${call}:${msis.join(',')}`) })
    const agent = new BridgingAgent(r.agent, { worker: () => wk.w, unitDialect })
    return { agent, wk }
  }

  it('the roster’s video sources go to the conference’s bridge call once it exists, again only when they change; a call with no bridge sends none', async () => {
    const { agent, wk } = conferenceSetup()
    agent.videoSources('c1', [5, 6]) // not bridged: kept, nothing sent
    await agent.createOffer('c1', 'call')
    agent.applyAnswer('c1', 'v=0\r\nSFB\r\n', { provisional: false, purpose: 'call' })
    expect(await agent.createOffer('c1', 'escalation')).toBe('v=0\r\nSFB-OFFER\r\n')
    agent.videoSources('c1', [5, 6])
    agent.videoSources('c1', [5, 6, 7])
    await Promise.resolve()
    expect(wk.asked.filter((a) => a.startsWith('videoSources') || a.startsWith('offer'))).toEqual(['offer:c1/p2p', 'offer:c1/conference', 'videoSources:c1/conference:5,6', 'videoSources:c1/conference:5,6,7'])
    agent.close('c1', 'all')
    agent.videoSources('c1', [8])
    expect(wk.asked.filter((a) => a === 'videoSources:c1/conference:8')).toEqual([])
  })

  it('unitDialect sfb2015: a call that took the WebRTC part escalates with the bridge’s SfB offer (a real AVMCU speaks only SfB); the default keeps WebRTC', async () => {
    const sfb = conferenceSetup('sfb2015')
    expect(await sfb.agent.createOffer('c1', 'escalation')).toBe('v=0\r\nSFB-OFFER\r\n')
    expect(sfb.wk.asked).toEqual(['offer:c1/conference'])
    const p2p = conferenceSetup()
    expect(await p2p.agent.createOffer('c1', 'escalation')).toBe(rendererOffer)
    expect(p2p.wk.asked).toEqual([])
  })
})
