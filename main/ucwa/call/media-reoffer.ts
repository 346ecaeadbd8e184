// The media side's own re-offer on a two-person call (the bridge's after ICE, [MS-ICE2]): an audioVideoRenegotiation
// (renegotiations_ref.md) sent once the call is connected and no other change is under way, never lost meanwhile.
import type { CallState } from '../../../preload/contract'
import { UcwaError } from '../errors'
import { describe } from '../log'
import { shortId } from './book'
import type { Call } from './call'
import type { CallContext } from './context'
import { follow } from './links'
import { timedOut } from './notices'

/** States in which the re-offer can no longer go: the call ended, or a conference carries it (no P2P session left). */
const gone: readonly CallState[] = ['ending', 'ended', 'conference']

/**
 * Sends the SDP `reoffer` writes (application/sdp; written then, so a hold made meanwhile is in it) as an
 * audioVideoRenegotiation of `callId`'s audioVideoSession when the call is connected and has no renegotiation pending (the pool takes one at a time: 409 AlreadyExists), waiting for that through the
 * book's changes. Its completion is taken by renegotiation.ts (`change: 'candidates'`): nothing reaches the renderer.
 * Errors are logged, never thrown: the call's media already flows, the re-offer only confirms its pair.
 */
export function sendMediaReoffer(ctx: CallContext, callId: string, reoffer: () => Promise<string>): void {
  const tryNow = (): boolean => {
    const call = ctx.book.get(callId)
    if (!call || gone.includes(call.machine.state)) return true
    if (call.machine.state !== 'connected' || call.renegotiation) return false
    void post(ctx, call, reoffer)
    return true
  }
  if (tryNow()) return
  const off = ctx.book.onChange((s) => s.id === callId && tryNow() && off())
}

async function post(ctx: CallContext, call: Call, reoffer: () => Promise<string>): Promise<void> {
  const operationId = shortId()
  call.renegotiation = { operationId, change: 'candidates' }
  try {
    const http = ctx.client.http
    const session = await follow(http, call, call.audioVideoHref, 'audioVideoSession')
    const href = await follow(http, call, session, 'renegotiations')
    const r = await http.post(href, await reoffer(), { type: 'sdp', query: { operationId } })
    if (r && call.renegotiation?.operationId === operationId) call.renegotiation.href = r.href
    // no answer in time: only logged (the media flows; the person is not told of a change they did not make), and kept
    // pending as any renegotiation is, since the pool keeps it until answered
    const late = setTimeout(() => call.renegotiation?.operationId === operationId && ctx.log(`call ${call.id}: no answer yet to the re-offer after ICE`), ctx.ops.limits.changeMs)
    late.unref?.()
  } catch (e) {
    ctx.log(`call ${call.id}: the re-offer after ICE did not reach the pool: ${describe(e)}`)
    if (call.renegotiation?.operationId === operationId) call.renegotiation = undefined
    ctx.book.changed(call)
  }
}

/**
 * Resolves once `call` has no re-offer of the media side's own pending, so the person's change (hold, camera) made
 * meanwhile goes out after it rather than failing for a change they never made. Rejects with a Timeout past changeMs.
 */
export function afterMediaReoffer(ctx: CallContext, call: Call): Promise<void> {
  const pending = () => call.renegotiation?.change === 'candidates' && !gone.includes(call.machine.state)
  if (!pending()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (error?: UcwaError) => {
      off()
      clearTimeout(timer)
      if (error) reject(error)
      else resolve()
    }
    const off = ctx.book.onChange((s) => s.id === call.id && !pending() && done())
    const timer = setTimeout(() => done(new UcwaError({ status: 0, code: 'Timeout', subcode: 'OperationTimedOut', message: timedOut.change })), ctx.ops.limits.changeMs)
  })
}
