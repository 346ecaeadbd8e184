// Call flows with werift peers over the simulator's HTTP API, shared by tests and benchmarks.
import { TestPeer } from '../conference/test-peer'
import { dataUrl, fromDataUrl, type Ev, type Session } from './helpers'

const isInv = (e: Ev) => e.rel === 'audioVideoInvitation'

export interface P2P {
  a: TestPeer
  b: TestPeer
  aliceConv: string
  bobConv: string
}

/** Caller rings callee, callee answers; resolves once both werift peers are connected. */
export async function p2pCall(caller: Session, callee: Session, tags = ['caller-p2p', 'callee-p2p']): Promise<P2P> {
  const a = new TestPeer(tags[0]!)
  const b = new TestPeer(tags[1]!)
  const callerMark = caller.events.length
  const calleeMark = callee.events.length
  await caller.post(caller.app._embedded.communication._links.startAudioVideo.href, {
    to: `sip:${callee.sip}`,
    operationId: 'p2p',
    sessionContext: 'p2p',
    _links: { mediaOffer: { href: dataUrl(await a.offer(0)) } },
  })
  const incoming = (await callee.waitFor((e) => isInv(e) && e.type === 'started', { after: calleeMark })).embedded
  await callee.post(`${incoming._links.acceptWithAnswer.href}?sessionContext=b`, await b.answer(fromDataUrl(incoming._links.mediaOffer.href)), { type: 'application/sdp' })
  const neg = await caller.waitFor((e) => e.rel === 'audioVideoNegotiation' && !!e.embedded._links.mediaAnswer, { after: callerMark })
  await a.accept(fromDataUrl(neg.embedded._links.mediaAnswer.href))
  await Promise.all([a.connected(), b.connected()])
  const aliceConv = (await caller.waitFor((e) => e.rel === 'conversation' && e.type === 'added', { after: callerMark })).href
  return { a, b, aliceConv, bobConv: incoming._links.conversation.href }
}

export interface Escalated {
  a: TestPeer
  b: TestPeer
  /** ms from the escalateAudioVideo POST to the conference's answer arriving on the channel */
  answerMs: number
}

/** The caller escalates (optionally via addParticipant) and the callee is moved; resolves when both are in. */
export async function escalate(caller: Session, callee: Session, p2p: P2P, opts: { invite?: string; tags?: string[] } = {}): Promise<Escalated> {
  const callerMark = caller.events.length
  const calleeMark = callee.events.length
  let href = `${p2p.aliceConv}/audioVideo/escalateAudioVideo`
  if (opts.invite) {
    await caller.post(`${p2p.aliceConv}/addParticipant`, { to: opts.invite })
    href = (await caller.waitFor((e) => e.rel === 'audioVideo' && !!e.embedded?._links.escalateAudioVideo, { after: callerMark })).embedded._links.escalateAudioVideo.href
  }
  const a = new TestPeer(opts.tags?.[0] ?? 'caller')
  const b = new TestPeer(opts.tags?.[1] ?? 'callee')
  const offer = await a.offer()
  const t0 = performance.now()
  const esc = await caller.post(`${href}?operationId=esc&sessionContext=esc`, offer, { type: 'application/sdp' })
  const ans = await caller.waitFor((e) => e.rel === 'audioVideoNegotiation' && e.senderHref === esc.json._links.self.href && !!e.embedded._links.mediaAnswer, { after: callerMark })
  const answerMs = performance.now() - t0
  await a.accept(fromDataUrl(ans.embedded._links.mediaAnswer.href))
  const moved = (await callee.waitFor((e) => isInv(e) && e.type === 'started' && !!e.embedded._links.replacesAudioVideo, { after: calleeMark })).embedded
  await callee.post(`${moved._links.acceptWithAnswer.href}?sessionContext=m`, await b.answer(fromDataUrl(moved._links.mediaOffer.href)), { type: 'application/sdp' })
  await caller.waitFor((e) => isInv(e) && e.type === 'completed' && e.href === esc.json._links.self.href, { after: callerMark })
  return { a, b, answerMs }
}

/** The invitee answers the conference invitation with a werift peer. */
export async function joinConference(invitee: Session, tag: string, after = 0): Promise<TestPeer> {
  const inv = (await invitee.waitFor((e) => isInv(e) && e.type === 'started', { after })).embedded
  const c = new TestPeer(tag)
  await invitee.post(`${inv._links.acceptWithAnswer.href}?sessionContext=c`, await c.answer(fromDataUrl(inv._links.mediaOffer.href)), { type: 'application/sdp' })
  await invitee.waitFor((e) => isInv(e) && e.type === 'completed' && e.status === 'Success', { after })
  await c.connected()
  return c
}
