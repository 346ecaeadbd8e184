// Parley's own offers through the bridge: the two-part call offer (or an escalation's SfB one), the pool's answer to
// it, and the bridge's re-offer after ICE that answer leads to ([MS-ICE2]: Parley offered, so its pool leg is controlling).
import type { MediaAgent } from '../ucwa/call/media-agent'
import type { AgentListeners } from './agent-listeners'
import type { ConferenceSources } from './conference-sources'
import type { MediaWorker } from './media-worker-host'
import { followPoolAnswer } from './answer-order'
import { BridgeFault } from './fault'
import { offersBridgeableAudio } from './own-offer'
import { ownOfferUrl } from './own-offer-body'

/** The bridge call of a Parley call: its two-party media ('p2p') or its conference media. */
export function keyOf(callId: string, slot: 'p2p' | 'conference'): string {
  return `${callId}/${slot}`
}

/** A bridged call's state on the agent: the renderer's answer held until the pool answers our offer, and so on. */
export interface BridgedState {
  webrtcAnswer?: string
  answered?: boolean
  webrtcReanswer?: string
  ringing?: boolean
}

/** What the offering side shares with the bridging agent. */
export interface OwnOfferContext {
  renderer: MediaAgent
  bridge(): MediaWorker
  warm(): void
  /** `${callId}/${slot}` → the bridge call's state */
  bridged: Map<string, BridgedState>
  failed(callId: string, key: string, e: unknown): void
  sources: ConferenceSources
  listeners: AgentListeners
  log?: (message: string) => void
  unitDialect?: 'sfb2015' | 'p2p'
}

/**
 * A call: a `data:multipart/alternative;…` URL (the renderer's WebRTC part, the bridge's SfB ICE-19 part), or the
 * renderer's SDP alone when it offered no audio the bridge carries. An escalation: application/sdp in the dialect
 * the two-party call took (escalateAudioVideo_ref.md takes one SDP). Throws what the renderer or the worker throw.
 */
export async function createOwnOffer(ctx: OwnOfferContext, callId: string, purpose: 'call' | 'escalation'): Promise<string> {
  // the worker and its spare pool legs get ready while the renderer makes its offer, not after it
  if (purpose === 'call') ctx.warm()
  const webrtc = await ctx.renderer.createOffer(callId, purpose)
  // the conference unit speaks what the two-party call's far side spoke (the same pool), unless we know it speaks SfB
  if (purpose === 'escalation' && !ctx.bridged.has(keyOf(callId, 'p2p')) && ctx.unitDialect !== 'sfb2015') return webrtc
  if (!offersBridgeableAudio(webrtc)) {
    ctx.log?.(`call ${callId}: only the WebRTC offer goes out: it has no audio the bridge can carry`)
    return webrtc
  }
  const key = keyOf(callId, purpose === 'call' ? 'p2p' : 'conference')
  // kept while the worker makes the offer, so a close meanwhile (the call ended) reaches the worker's call
  const pending: BridgedState = {}
  ctx.bridged.set(key, pending)
  let offering = true
  let own: { sfbOffer: string; webrtcAnswer: string }
  try {
    own = await ctx.bridge().offer(key, webrtc, (fault) => !offering && ctx.failed(callId, key, fault))
  } catch (e) {
    if (ctx.bridged.get(key) === pending) ctx.bridged.delete(key)
    if (purpose === 'escalation') throw e
    // the call still goes out: another Parley takes the WebRTC part, an SfB endpoint declines it with its reason
    ctx.log?.(`call ${callId}: only the WebRTC offer goes out: ${e instanceof Error ? e.message : String(e)}`)
    return webrtc
  } finally {
    offering = false
  }
  if (ctx.bridged.get(key) !== pending) {
    void ctx.bridge().close(key).catch(() => undefined)
    throw closedMeanwhile()
  }
  pending.webrtcAnswer = own.webrtcAnswer
  if (purpose === 'call') return ownOfferUrl(webrtc, own.sfbOffer)
  ctx.sources.again(callId)
  return own.sfbOffer
}

/** What a bridge call set up for a call that was closed meanwhile gives: its media is closed too. */
export function closedMeanwhile(): BridgeFault {
  return new BridgeFault('RelayCrashed', "The call's media was closed while it was being set up.")
}

/**
 * The pool's answer to our offer. A DTLS answer (another Parley took the WebRTC part): the bridge call is closed and the
 * renderer applies it. An SfB answer (final, once): the renderer applies the bridge's held answer, both legs come up, and
 * once ICE selected its pairs the bridge's re-offer goes to the engine (onReoffer); a failure ends the call (onFailure).
 */
export function applyOwnAnswer(ctx: OwnOfferContext, callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void {
  const key = keyOf(callId, o.purpose === 'call' ? 'p2p' : 'conference')
  const b = ctx.bridged.get(key)
  if (!b?.webrtcAnswer) return ctx.renderer.applyAnswer(callId, sdp, o)
  if (/^a=fingerprint:/m.test(sdp)) {
    ctx.bridged.delete(key)
    void ctx.bridge().close(key).catch(() => undefined)
    return ctx.renderer.applyAnswer(callId, sdp, o)
  }
  if (o.provisional || b.answered) return // the bridge takes the final answer, once
  b.answered = true
  ctx.renderer.applyAnswer(callId, followPoolAnswer(b.webrtcAnswer, sdp), o)
  // a two-person call's only: UCWA renegotiates a P2P audioVideoSession (renegotiations_ref.md), a conference's media has no such link
  // written when it goes out, not now: a hold made meanwhile must not be undone by it
  const current = () => ctx.bridge().currentOffer(key)
  const told = (sfbReoffer: string | null) => o.purpose === 'call' && sfbReoffer !== null && ctx.bridged.has(key) && ctx.listeners.reoffer.forEach((l) => l(callId, current))
  ctx
    .bridge()
    .poolAnswered(key, sdp)
    .then((r) => told(r.sfbReoffer))
    .catch((e: unknown) => ctx.failed(callId, key, e))
}
