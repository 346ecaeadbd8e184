// The renderer's stand-in for a real core in the bridge's integration tests: answers media.request with a werift peer per
// call that speaks G.722/PCMU (and H.264), as Chromium keeps of the bridge's offers; every SDP it saw is kept.
import type { Core } from '../../../main/core/core'
import type { EventPayload } from '../../../preload/contract'
import { rendererPeer, type RendererPeer } from './renderer-peer'

/** as many further receiving sections as renderer/src/media/engine.ts's EXTRA_SLOTS (that module needs a browser) */
const EXTRA_SLOTS = 3

export interface CoreRenderer {
  /** the peer of each call (the P2P one) */
  peers: Map<string, RendererPeer>
  /** each call's conference connection (escalation, or an invitation into a conference), apart from its P2P one as the real engine keeps it */
  conferences: Map<string, RendererPeer>
  /** every SDP the core handed this renderer, in order: offers to answer and answers to apply */
  seen: { callId: string; kind: 'offer' | 'answer' | 'reoffer' | 'reanswer'; sdp: string }[]
  /** the offers this renderer made */
  made: { callId: string; sdp: string }[]
  /** the calls whose re-offer the core told this renderer to take back (media.rollback), in order */
  rolledBack: string[]
  close(): Promise<void>
}

/** `answerDelayMs`: a page on a busy machine, each answer to a call's or conference's offer coming this much later */
export function coreRenderer(core: Core, options: { video?: boolean; answerDelayMs?: number } = {}): CoreRenderer {
  const r: CoreRenderer = {
    peers: new Map(),
    conferences: new Map(),
    seen: [],
    made: [],
    rolledBack: [],
    close: () => Promise.all([...r.peers.values(), ...r.conferences.values()].map((p) => p.close())).then(() => undefined),
  }
  const peerOf = (callId: string, purpose = 'call') => {
    const map = purpose === 'escalation' || purpose === 'conference' ? r.conferences : r.peers
    const p = map.get(callId) ?? rendererPeer(options)
    map.set(callId, p)
    return p
  }
  core.events.subscribe((name, payload) => {
    if (name === 'media.request') {
      const p = payload as EventPayload<'media.request'>
      const work = async (): Promise<string> => {
        // one answer per werift peer: no early one (the call connects on Accept)
        if (p.provisional) throw new Error('not in this stand-in')
        if (p.purpose === 'renegotiate') {
          r.seen.push({ callId: p.callId, kind: p.kind === 'offer' ? 'reoffer' : 'offer', sdp: p.offer ?? '' })
          return p.kind === 'offer' ? peerOf(p.callId).reoffer(p.change === 'hold' ? 'inactive' : 'sendrecv') : peerOf(p.callId).reanswer(p.offer ?? '')
        }
        if (p.kind === 'answer') {
          r.seen.push({ callId: p.callId, kind: 'offer', sdp: p.offer ?? '' })
          if (options.answerDelayMs) await new Promise((resolve) => setTimeout(resolve, options.answerDelayMs))
          return peerOf(p.callId, p.purpose).answer(p.offer ?? '')
        }
        // an escalation offers further receiving sections, as the renderer's engine does (EXTRA_SLOTS)
        const sdp = await peerOf(p.callId, p.purpose).offer(p.purpose === 'escalation' ? EXTRA_SLOTS : 0)
        r.made.push({ callId: p.callId, sdp })
        return sdp
      }
      void work().then(
        (sdp) => core.dispatch('media.respond', { requestId: p.requestId, sdp }),
        (e: Error) => core.dispatch('media.respond', { requestId: p.requestId, error: e.message }),
      )
    }
    if (name === 'media.answer') {
      const p = payload as EventPayload<'media.answer'>
      if (p.provisional) return
      r.seen.push({ callId: p.callId, kind: p.purpose === 'renegotiate' ? 'reanswer' : 'answer', sdp: p.sdp })
      void (p.purpose === 'escalation' ? r.conferences : r.peers).get(p.callId)?.accept(p.sdp)
    }
    if (name === 'media.rollback') r.rolledBack.push((payload as EventPayload<'media.rollback'>).callId)
    if (name === 'media.close') {
      const p = payload as EventPayload<'media.close'>
      for (const [what, map] of [['p2p', r.peers], ['conference', r.conferences]] as const) {
        if (p.what !== what && p.what !== 'all') continue
        void map.get(p.callId)?.close()
        map.delete(p.callId)
      }
    }
  })
  return r
}
