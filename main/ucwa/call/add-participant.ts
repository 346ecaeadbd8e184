// Adding someone to a call (addParticipant_ref.md): a P2P call first escalates (escalation-flow.ts takes it from the
// escalateAudioVideo link on), then the contact is invited; they show "calling…" meanwhile (invitees.ts).
import { UcwaError } from '../errors'
import { shortId } from './book'
import type { Call } from './call'
import type { CallContext } from './context'
import { follow } from './links'
import { sipUri } from '../sip-uri'

/**
 * Invites `to` (sip: or bare address) into the call; `name` is shown "calling…" (the address when absent) until they
 * join or the invitation fails. Conflict before the call is connected; the pool's refusal as its UcwaError.
 */
export async function addParticipant(ctx: CallContext, call: Call, to: string, name?: string): Promise<void> {
  const state = call.machine.state
  if (state !== 'connected' && state !== 'conference') throw new UcwaError({ status: 0, code: 'Conflict', message: 'Add people once the call is connected.' })
  if (state === 'connected') {
    call.escalation.request()
    ctx.book.go(call, 'escalating')
  }
  const operationId = shortId()
  const uri = sipUri(to)
  call.invitees.add({ uri, name: name || uri.replace(/^sip:/, ''), operationId })
  ctx.book.changed(call)
  try {
    await ctx.client.http.post(await follow(ctx.client.http, call, call.conversation.href, 'addParticipant'), { to: uri, operationId })
    ctx.ops.begin(operationId, 'addParticipant', call.id)
  } catch (e) {
    call.invitees.remove(operationId)
    ctx.book.changed(call)
    if (call.escalation.state === 'awaiting-link') call.escalation.abandon('post-error')
    throw e
  }
}
