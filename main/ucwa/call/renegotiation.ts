// Hold, resume and camera changes in a P2P call: audioVideoRenegotiation both ways (audioVideoRenegotiation_ref.md).
import { reasonError } from '../errors'
import type { UcwaEvent } from '../events'
import { link, prop, type Resource } from '../resource'
import type { Call } from './call'
import type { CallContext } from './context'
import { describe } from '../log'
import { timedOut } from './notices'
import { decodeData, isHold } from './sdp'

/** Ours completed (its answer applied, or the pool's reason as the notice), or theirs started (answered, or dismissed). */
export async function onRenegotiation(ctx: CallContext, call: Call, e: UcwaEvent, r: Resource): Promise<void> {
  if (prop(r, 'direction') === 'Outgoing') return ours(ctx, call, e, r)
  if (e.type !== 'started') return
  const offer = decodeData(link(r, 'mediaOffer'))
  const answerHref = link(r, 'answer')
  if (!offer || !answerHref) return ctx.log(`call ${call.id}: dropped a renegotiation without an offer or an answer link (${e.link.href})`)
  let answer: string
  try {
    answer = await ctx.media.answerReoffer(call.id, offer)
  } catch (error) {
    // our side cannot take the change: say so at once (dismiss) rather than leave the other side waiting
    ctx.log(`call ${call.id}: cannot take the other side's change: ${describe(error)}`)
    const dismiss = link(r, 'dismiss')
    // dismiss_ref.md: the media side's ReNegotiationDeclineReason when it gave one (main/media-bridge/refusal.ts)
    if (dismiss) await ctx.client.http.post(dismiss, { reason: (error as { dismissReason?: string }).dismissReason ?? 'InvalidMediaOffer' })
    return
  }
  await ctx.client.http.post(answerHref, answer, { type: 'sdp' })
  call.remoteHeld = isHold(offer)
  ctx.book.changed(call)
}

function ours(ctx: CallContext, call: Call, e: UcwaEvent, r: Resource): void {
  if (e.type !== 'completed' || !call.renegotiation || prop(r, 'operationId') !== call.renegotiation.operationId) return
  const { change } = call.renegotiation
  ctx.ops.settle(call.renegotiation.operationId)
  call.renegotiation = undefined
  const answer = decodeData(link(r, 'mediaAnswer'))
  if (change === 'candidates') {
    // the bridge's re-offer after ICE: its answer confirms the pair in use, nothing to apply; a refusal leaves the media as it flows
    if (e.status !== 'Success') ctx.log(`call ${call.id}: the pool did not take the re-offer after ICE: ${reasonError(e.reason).message}`)
    return ctx.book.changed(call)
  }
  if (call.notice === timedOut.change) call.notice = undefined
  if (e.status === 'Success' && answer) {
    ctx.media.applyReanswer(call.id, answer)
    if (change === 'hold' || change === 'resume') call.held = change === 'hold'
    else call.sendingVideo = change === 'video-on'
    return ctx.book.changed(call)
  }
  ctx.media.reofferFailed?.(call.id)
  if (e.reason?.subcode === 'Declined') call.notice = `${call.remote.name} could not take that change. The call goes on as it was.`
  else call.notice = reasonError(e.reason).message
  ctx.book.changed(call)
}
