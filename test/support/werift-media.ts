// A MediaAgent made of werift peers: the main-process call engine tested with real media, no browser.
import type { MediaAgent } from '../../main/ucwa/calls'
import { TestPeer } from '../simulator/conference/test-peer'

export class WeriftMedia implements MediaAgent {
  /** per call: the P2P peer and, while escalating or in a conference, the conference peer */
  readonly peers = new Map<string, { p2p?: TestPeer; conference?: TestPeer }>()

  /** unset: werift peers take one answer; a test sets it to act as a renderer that answers early */
  createProvisionalAnswer?: MediaAgent['createProvisionalAnswer']

  constructor(readonly tag: string) {}

  async createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string> {
    const peer = new TestPeer(this.tag)
    this.#set(callId, purpose === 'call' ? 'p2p' : 'conference', peer)
    return peer.offer(purpose === 'call' ? 0 : 3)
  }

  async createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string> {
    const peer = new TestPeer(this.tag)
    this.#set(callId, purpose === 'call' ? 'p2p' : 'conference', peer)
    return peer.answer(offer)
  }

  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void {
    if (o.provisional) return // werift takes one answer; the final one follows
    const peer = this.peers.get(callId)?.[o.purpose === 'call' ? 'p2p' : 'conference']
    void peer?.accept(sdp)
  }

  /** werift peers are not renegotiated in these tests: the SDP is the current description with the new direction */
  async reoffer(callId: string, change: 'hold' | 'resume' | 'video-off' | 'video-on'): Promise<string> {
    this.changes.push(`${callId}:${change}`)
    const local = this.peers.get(callId)?.p2p?.pc.localDescription?.sdp ?? ''
    return change === 'hold' ? local.replace(/a=sendrecv/g, 'a=inactive') : local
  }

  async answerReoffer(callId: string, offer: string): Promise<string> {
    this.changes.push(`${callId}:answer:${offer.includes('a=inactive') ? 'held' : 'live'}`)
    return this.peers.get(callId)?.p2p?.pc.localDescription?.sdp ?? offer
  }

  applyReanswer(callId: string): void {
    this.changes.push(`${callId}:reanswer`)
  }

  readonly changes: string[] = []

  close(callId: string, what: 'p2p' | 'conference' | 'all'): void {
    const entry = this.peers.get(callId)
    if (!entry) return
    if (what === 'conference') {
      void entry.conference?.close()
      entry.conference = undefined
      return
    }
    void entry.p2p?.close()
    entry.p2p = undefined
    if (what === 'all') {
      void entry.conference?.close()
      this.peers.delete(callId)
    }
  }

  /** the peer carrying the call now: the conference one once it exists */
  current(callId: string): TestPeer | undefined {
    const e = this.peers.get(callId)
    return e?.conference ?? e?.p2p
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.peers.values()].flatMap((e) => [e.p2p?.close(), e.conference?.close()]))
    this.peers.clear()
  }

  #set(callId: string, slot: 'p2p' | 'conference', peer: TestPeer): void {
    const entry = this.peers.get(callId) ?? {}
    entry[slot] = peer
    this.peers.set(callId, entry)
  }
}
