// Escalation as the engine drives it (escalateAudioVideo_ref.md): our offer when audioVideo offers the link, our answer
// when the other side moves us (replacesAudioVideo), the completion, and the one rollback every abandon leads to.
import { reasonError, UcwaError, userMessage } from '../errors'
import type { UcwaEvent } from '../events'
import { describe } from '../log'
import { link, type Resource } from '../resource'
import { shortId } from './book'
import type { Call } from './call'
import type { CallContext } from './context'
import type { Rollback } from './escalation'
import { follow } from './links'
import { timedOut } from './notices'

export class EscalationFlow {
  constructor(private readonly ctx: CallContext) {}

  /** addParticipant waited for escalateAudioVideo and audioVideo now offers it: our conference offer goes out. */
  async offer(call: Call, escalate: string): Promise<void> {
    const operationId = shortId()
    call.escalation.offer(operationId)
    this.ctx.book.index(call, 'operation', operationId)
    this.ctx.ops.begin(operationId, 'escalation', call.id)
    try {
      const offer = await this.ctx.media.createOffer(call.id, 'escalation')
      const inv = await this.ctx.client.http.post(escalate, offer, { type: 'sdp', query: { operationId, sessionContext: shortId() } })
      // the invitation's started event may have come first
      if (inv && call.escalation.state === 'offering' && call.escalation.operationId === operationId) this.invited(call, inv.href)
    } catch (error) {
      if (call.escalation.operationId !== operationId) return
      // the P2P call goes on; the person is told why the conference did not happen
      call.notice = error instanceof UcwaError ? error.message : userMessage('ServiceFailure', 'EscalationFailed')
      call.escalation.abandon('post-error')
    }
  }

  invited(call: Call, href: string): void {
    call.escalation.invited(href)
    this.ctx.book.index(call, 'invitation', href)
  }

  /** The other side escalated: we are moved into the same conference, make before break. */
  async join(call: Call, inv: Resource, offer: string): Promise<void> {
    const operationId = shortId()
    call.escalation.join(operationId, inv.href)
    this.ctx.book.index(call, 'invitation', inv.href)
    if (call.machine.state === 'connected') this.ctx.book.go(call, 'escalating')
    this.ctx.ops.begin(operationId, 'escalation', call.id)
    try {
      const answer = await this.ctx.media.createAnswer(call.id, offer, 'conference')
      const accept = link(inv, 'acceptWithAnswer')
      if (!accept) throw new UcwaError({ status: 0, code: 'BadResponse', message: userMessage('ServiceFailure', 'EscalationFailed') })
      await this.ctx.client.http.post(accept, answer, { type: 'sdp', query: { sessionContext: call.sessionContext } })
    } catch (error) {
      if (call.escalation.operationId !== operationId) return
      // the answer came too late (Gone: the escalating side gave up) or was refused: the P2P call goes on
      this.ctx.log(`call ${call.id}: joining the conference failed: ${describe(error)}`)
      call.notice = userMessage('ServiceFailure', 'EscalationFailed')
      call.escalation.abandon('post-error')
    }
  }

  /** The conference invitation completed: in the conference, or back to the P2P call with the pool's reason. */
  completed(call: Call, e: UcwaEvent): void {
    this.ctx.ops.settle(call.escalation.operationId)
    if (e.status === 'Success') {
      call.escalation.succeed()
      call.conversation.conferenced = true
      this.ctx.book.go(call, 'conference')
      this.ctx.media.close(call.id, 'p2p') // both sides are in the conference: break the P2P connection
      return
    }
    // the escalating side gave up (cancel): the moved side reads why the conference did not happen, not "cancelled"
    const canceled = e.reason?.subcode === 'Canceled'
    call.notice = canceled ? userMessage('ServiceFailure', 'EscalationFailed') : reasonError(e.reason).message
    call.escalation.abandon(canceled ? 'canceled' : 'failed')
  }

  /** The escalation's deadline passed: like EscalationFailed, and the person reads that it did not start in time. */
  timedOut(call: Call, operationId: string): void {
    if (call.escalation.operationId !== operationId) return
    call.notice = timedOut.escalation
    call.escalation.abandon('timeout')
  }

  /**
   * The one rollback, whatever the cause: the deadline settled, an invitation still open cancelled, the conference
   * connection closed, the call back to connected (the P2P call goes on as it was).
   */
  rollback(call: Call, r: Rollback): void {
    this.ctx.log(`call ${call.id}: escalation abandoned (${r.cause}) while ${r.from}`)
    this.ctx.ops.settle(r.operationId)
    if (r.invitationHref && r.from === 'invited') {
      const href = r.invitationHref
      void follow(this.ctx.client.http, call, href, 'cancel')
        .then((c) => this.ctx.client.http.post(c))
        .catch((e: unknown) => this.ctx.log(`call ${call.id}: the abandoned conference invitation could not be cancelled: ${describe(e)}`))
    }
    if (r.mediaStarted) this.ctx.media.close(call.id, 'conference')
    if (call.machine.state === 'escalating') this.ctx.book.go(call, 'connected')
    else this.ctx.book.changed(call)
  }
}
