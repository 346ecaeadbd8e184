// What the engine does when the media side cannot take an offer or its media stops: the call ends with the reason,
// on both sides (decline_ref.md with its CallDeclineReason while it rings, else stopAudioVideo), never a silent call.
import type { UcwaError } from '../errors'
import { describe } from '../log'
import type { Call } from './call'
import type { CallContext } from './context'
import type { MediaNotice } from './media-agent'
import { ending, leave } from './ending'

/** sessionContext, and processedOfferId when the answer took one part of a multipart offer (acceptWithAnswer_ref.md). */
export function answerQuery(ctx: CallContext, call: Call): Record<string, string> {
  const part = ctx.media.processedOfferId?.(call.id)
  return { sessionContext: call.sessionContext, ...(part && { processedOfferId: part }) }
}

/** An incoming call whose offer cannot be taken: declined with the refusal's reason, and ended here with its message. */
export async function refuseInvitation(ctx: CallContext, call: Call, refusal: UcwaError & { declineReason: string }): Promise<void> {
  ctx.log(`call ${call.id}: refused: ${refusal.message}`)
  if (call.machine.state !== 'ending') ctx.book.go(call, 'ending')
  const href = call.invitation.direction === 'incoming' ? call.invitation.decline : undefined
  if (href) await ending(ctx.client.http, href, { reason: refusal.declineReason }).catch((e: unknown) => ctx.log(`call ${call.id}: the decline did not reach the pool: ${describe(e)}`))
  ctx.book.end(call, refusal)
}

/** The media side's notice for a call (audio only, and why): shown with the call; videoDropped also marks the call as one without video. */
export function mediaNotice(ctx: CallContext, callId: string, notice: MediaNotice): void {
  const call = ctx.book.get(callId)
  if (!call || call.machine.state === 'ended') return
  call.notice = notice.message
  if (notice.kind === 'videoDropped') call.videoUnavailable = true
  ctx.book.changed(call)
}

/** The media of a call failed (MediaAgent.onFailure): the call ends on the pool and here, with `error` as its reason. */
export async function mediaFailed(ctx: CallContext, callId: string, error: UcwaError): Promise<void> {
  const call = ctx.book.get(callId)
  const state = call?.machine.state
  if (!call || state === 'ended' || state === 'ending') return
  const declineReason = (error as { declineReason?: string }).declineReason
  if (state === 'ringing' && declineReason) return refuseInvitation(ctx, call, Object.assign(error, { declineReason }))
  ctx.book.go(call, 'ending')
  await leave(ctx.client.http, call, state === 'calling' || state === 'early-media').catch((e: unknown) => ctx.log(`call ${call.id}: the pool could not be told the call ended: ${describe(e)}`))
  ctx.book.end(call, error)
}
