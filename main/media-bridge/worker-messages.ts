// The media worker's small message API (host ↔ worker), shared by both sides.
import type { BridgeFaultReason } from './fault'

export type WorkerRequest =
  | { id: number; op: 'answer'; call: string; offer: { contentType: string; body: string }; measure?: boolean }
  | { id: number; op: 'rendererAnswered'; call: string; sdp: string }
  | { id: number; op: 'offer'; call: string; sdp: string; measure?: boolean }
  | { id: number; op: 'poolAnswered'; call: string; sdp: string }
  | { id: number; op: 'reoffer' | 'answerReoffer' | 'rendererReanswered'; call: string; sdp: string }
  | { id: number; op: 'timings' | 'startPool' | 'currentOffer'; call: string }
  | { id: number; op: 'reofferSettled'; call: string; accepted: boolean }
  | { id: number; op: 'videoSources'; call: string; msis: number[] }
  | { id: number; op: 'warm' }
  | { id: number; op: 'close'; call: string }

/** A request's outcome: `error` is a UcwaError's shape (MediaRefusal, BridgeFault) so the host can rebuild it. */
export type WorkerReply = { id: number; result?: unknown; error?: { name: string; code: string; subcode?: string; message: string; reason?: BridgeFaultReason; declineReason?: string } }

/** A call's media ended on its own (a fault), never asked for by the host; or a call's milestone for the core's log. */
export type WorkerEvent = { ended: string; reason: BridgeFaultReason; message: string } | { log: string; call: string }
