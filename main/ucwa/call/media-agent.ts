// What the call engine needs from whoever owns the RTCPeerConnections (the renderer, through main/core/media-bridge.ts).
import type { UcwaError } from '../errors'
export type MediaPurpose = 'call' | 'escalation' | 'conference'
export type CallChange = 'hold' | 'resume' | 'video-off' | 'video-on'
/** What a call goes on without: videoDropped = the far side's video cannot be taken, the call carries audio only (message: why, for the person). */
export interface MediaNotice {
  kind: 'videoDropped'
  message: string
}

export interface MediaAgent {
  createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string>
  createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string>
  /** an early answer while the call rings: connectivity without camera or microphone, so Accept connects at once */
  createProvisionalAnswer?(callId: string, offer: string): Promise<string>
  /** the pool took our provisional answer (sendProvisionalAnswer_ref.md): the far side checks connectivity from now, so may we; not called when it went unsent (accepted first) */
  provisionalAnswerSent?(callId: string): void
  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void
  /** a mid-call change (hold, resume, camera off or on) on the P2P connection: a new offer, then its answer */
  reoffer(callId: string, change: CallChange): Promise<string>
  answerReoffer(callId: string, offer: string): Promise<string>
  applyReanswer(callId: string, sdp: string): void
  /** our re-offer (hold, camera) was declined or never reached the pool: the media side keeps what was last agreed */
  reofferFailed?(callId: string): void
  /** drop a connection: the P2P one once the conference carries the call, the conference one if the move failed, or all */
  close(callId: string, what: 'p2p' | 'conference' | 'all'): void
  /** the Content-ID of the multipart offer's part the call's answer took: processedOfferId (acceptWithAnswer_ref.md, sendProvisionalAnswer_ref.md) */
  processedOfferId?(callId: string): string | undefined
  /** why an incoming offer cannot be taken at all, before it rings: the invitation is declined with `declineReason` (decline_ref.md) */
  refusal?(offer: string): (UcwaError & { declineReason: string }) | null
  /** what an incoming offer that can be taken goes without, known before it rings (video only as RTVideo): shown on the ringing card */
  notices?(offer: string): MediaNotice[]
  /** media that stopped or cannot flow mid-call: the engine ends the call with the error (call/media-failure.ts) */
  onFailure?(listener: (callId: string, error: UcwaError) => void): void
  /** a conference call's remote video sources, the roster's videoSourceIds (participantVideo_ref.md), each time the roster changes */
  videoSources?(callId: string, msis: number[]): void
  /**
   * the media side's own re-offer on a P2P call, not the renderer's (the bridge's after ICE, with a=remote-candidates,
   * [MS-ICE2]): `reoffer` writes its SDP when it is sent as an audioVideoRenegotiation (call/media-reoffer.ts), so it
   * carries the call's state then; its answer changes nothing for the media side
   */
  onReoffer?(listener: (callId: string, reoffer: () => Promise<string>) => void): void
  /** what a call goes on without (e.g. video the far side sends only as RTVideo): shown as the call's notice */
  onNotice?(listener: (callId: string, notice: MediaNotice) => void): void
}
