// The call engine's events (EventsInUCWA.md), routed by rel through one map; each names the call it concerns
// through the book's maps. Events for no call of ours, or that fail, are logged, never swallowed silently.
import { reasonError, userMessage } from '../errors'
import type { UcwaEvent } from '../events'
import { link, prop } from '../resource'
import { Roster } from '../roster'
import type { Call } from './call'
import type { CallContext } from './context'
import type { EscalationFlow } from './escalation-flow'
import { describe } from '../log'
import { incomingInvitation } from './invitation'
import { inviteeFailure } from './invitees'
import { learnInvitation } from './learn'
import { learnLinks } from './links'
import { readParticipants } from '../participants-read'
import { answerQuery, mediaFailed, mediaNotice, refuseInvitation } from './media-failure'
import { onRenegotiation } from './renegotiation'
import { sendMediaReoffer } from './media-reoffer'
import { decodeData, sendsVideo } from './sdp'

/** calls ringing at once, at most: beyond it an invitation is declined before any media is made for it */
export const MAX_RINGING = 4

type Handler = (e: UcwaEvent) => Promise<void> | void

export class CallEvents {
  /** the event rels whose resource these handlers read (fetched from link.href when the event only links it) */
  static readonly reads: readonly string[] = ['audioVideoInvitation', 'audioVideoNegotiation', 'audioVideoRenegotiation', 'audioVideo', 'audioVideoSession', 'conversation', 'participantInvitation', ...Roster.reads]

  readonly #handlers: ReadonlyMap<string, Handler>

  constructor(
    private readonly ctx: CallContext,
    private readonly escalation: EscalationFlow,
  ) {
    const modality: Handler = (e) => {
      const m = this.ctx.book.conversation(e.sender.href)?.modalityFor(e.link.rel)
      return m ? m.onEvent(e) : this.#drop(e, 'no conversation of ours')
    }
    this.#handlers = new Map<string, Handler>([
      ['audioVideoInvitation', (e) => this.#invitation(e)],
      ['audioVideoNegotiation', (e) => this.#negotiation(e)],
      ['audioVideoRenegotiation', (e) => this.#renegotiation(e)],
      ['audioVideo', (e) => this.#audioVideo(e)],
      ['audioVideoSession', (e) => this.#learn(e)],
      ['conversation', (e) => this.#conversation(e)],
      ['participantInvitation', (e) => this.#participantInvitation(e)],
      ...[...Roster.rels].map((rel): [string, Handler] => [rel, modality]),
    ])
    ctx.media.onFailure?.((callId, error) => void mediaFailed(ctx, callId, error))
    ctx.media.onNotice?.((callId, notice) => mediaNotice(ctx, callId, notice))
    ctx.media.onReoffer?.((callId, reoffer) => sendMediaReoffer(ctx, callId, reoffer))
  }

  /** One page of events, in order: one that fails is logged and does not stop the others. */
  async onEvents(events: UcwaEvent[]): Promise<void> {
    for (const e of events) {
      const handler = this.#handlers.get(e.link.rel)
      if (!handler) continue // not a call's event (presence, me, …): other consumers read it
      try {
        await handler(e)
      } catch (error) {
        this.ctx.log(`call event ${e.type} ${e.link.rel} failed (${e.link.href}): ${describe(error)}`)
      }
    }
  }

  #drop(e: UcwaEvent, why: string): void {
    this.ctx.log(`call event ${e.type} ${e.link.rel} dropped: ${why} (${e.link.href})`)
  }

  async #invitation(e: UcwaEvent): Promise<void> {
    if (e.type === 'completed') return this.#invitationCompleted(e)
    if (e.type !== 'started') return
    if (!e.embedded) return this.#drop(e, 'its resource could not be read')
    const inv = e.embedded
    if (prop(inv, 'direction') === 'Outgoing') {
      const call = this.ctx.book.byOperation(prop(inv, 'operationId'))
      if (!call) return this.#drop(e, 'no call of ours has its operationId')
      if (call.escalation.owns(prop(inv, 'operationId'))) {
        if (call.escalation.state === 'offering') this.escalation.invited(call, inv.href)
      } else if (call.invitation.direction === 'outgoing' && !call.invitation.href) learnInvitation(this.ctx, call, inv)
      return
    }
    const offer = decodeData(link(inv, 'mediaOffer'))
    const moving = this.ctx.book.byAudioVideo(link(inv, 'replacesAudioVideo'))
    if (moving && offer) return this.escalation.join(moving, inv, offer)
    const incoming = incomingInvitation(inv)
    if (!incoming) return this.#drop(e, 'an incoming invitation without an offer')
    const from = inv.embedded.from?.[0]
    const remote = { name: prop(from, 'name') ?? prop(from, 'uri') ?? 'Unknown caller', uri: prop(from, 'uri') ?? '' }
    if (this.ctx.book.all().filter((c) => c.machine.state === 'ringing').length >= MAX_RINGING) return this.#declineBusy(e, incoming.decline)
    // an offer that cannot be taken never rings: the call is shown ending, with the reason
    const refusal = this.ctx.media.refusal?.(incoming.offer)
    const call = this.ctx.book.add({ invitation: incoming, remote, subject: prop(inv, 'subject') ?? '', state: refusal ? 'ending' : 'ringing', video: sendsVideo(incoming.offer) }, (c) => learnInvitation(this.ctx, c, inv))
    if (refusal) return refuseInvitation(this.ctx, call, refusal)
    // a call that can carry only audio says so while it rings, so the person is not offered video it cannot have
    for (const notice of this.ctx.media.notices?.(incoming.offer) ?? []) mediaNotice(this.ctx, call.id, notice)
    if (incoming.sendProvisionalAnswer && this.ctx.media.createProvisionalAnswer) call.early = this.#sendEarly(call, incoming.sendProvisionalAnswer, incoming.offer)
    void this.#readMembers(call, link(inv, 'conversation'))
  }

  /**
   * An invitation into a conference: who is in it, for the person deciding whether to answer. Its participant events
   * came before the invitation made the call (so no roster took them): read the conversation's participants when it
   * has more than the two of us (conversation_ref.md participantCount). A failed read only leaves the names out.
   */
  async #readMembers(call: Call, conversation: string | undefined): Promise<void> {
    if (!conversation) return
    try {
      const read = await readParticipants(this.ctx.client.http, conversation, (res) => Number(prop(res, 'participantCount') ?? 0) > 2 && call.machine.state === 'ringing')
      if (read.participants.length) call.conversation.roster.fill(read.participants)
    } catch (error) {
      this.ctx.log(`call ${call.id}: who is in the conference could not be read: ${describe(error)}`)
    }
  }

  /**
   * More calls ringing than a person can answer (a flood from a broken or hostile pool): declined at once, no call,
   * no peer connection. Reason Local (CallDeclineReason_ref.md: "declined only on the local endpoint") — the list has
   * no Busy; Local leaves the person's other endpoints free to ring.
   */
  async #declineBusy(e: UcwaEvent, href: string | undefined): Promise<void> {
    this.#drop(e, `${MAX_RINGING} calls already ringing: declined`)
    if (href) await this.ctx.client.http.post(href, { reason: 'Local' }).catch((error: unknown) => this.ctx.log(`declining a call over the ringing limit failed: ${describe(error)}`))
  }

  /** sendProvisionalAnswer_ref.md: early media negotiation while ringing; a failure only loses the head start. */
  async #sendEarly(call: Call, href: string, offer: string): Promise<void> {
    try {
      const sdp = await Promise.race([this.ctx.media.createProvisionalAnswer!(call.id, offer), call.ended])
      if (sdp === null || call.machine.state !== 'ringing') return
      await this.ctx.client.http.post(href, sdp, { type: 'sdp', query: answerQuery(this.ctx, call) })
      this.ctx.media.provisionalAnswerSent?.(call.id)
    } catch (error) {
      // the final answer still connects the call, only later
      this.ctx.log(`call ${call.id}: the provisional answer failed: ${describe(error)}`)
    }
  }

  #negotiation(e: UcwaEvent): void {
    const senderHref = e.sender.href
    const call = this.ctx.book.byInvitation(senderHref)
    if (!e.embedded || !call) return this.#drop(e, call ? 'its resource could not be read' : 'no invitation of ours sent it')
    const escalation = call.escalation.owns(senderHref)
    const final = link(e.embedded, 'mediaAnswer')
    const sdp = decodeData(final ?? link(e.embedded, 'mediaProvisionalAnswer'))
    if (!sdp || call.answeredBy.has(senderHref)) return
    if (final) call.answeredBy.add(senderHref)
    this.ctx.media.applyAnswer(call.id, sdp, { provisional: !final, purpose: escalation || call.meeting ? 'escalation' : 'call' })
    if (!escalation && !final && call.machine.state === 'calling') this.ctx.book.go(call, 'early-media')
  }

  #invitationCompleted(e: UcwaEvent): void {
    const call = this.ctx.book.byInvitation(e.link.href)
    if (!call) return this.#drop(e, 'no invitation of ours')
    if (call.escalation.owns(e.link.href)) return this.escalation.completed(call, e)
    if (call.invitation.href !== e.link.href) return this.#drop(e, 'an escalation already given up')
    this.ctx.ops.settle(call.operationId)
    if (e.status !== 'Success') return this.ctx.book.end(call, reasonError(e.reason, 'RemoteFailure'))
    if (call.machine.state !== 'connected' && call.machine.state !== 'conference') this.ctx.book.go(call, call.conversation.conferenced ? 'conference' : 'connected')
  }

  async #renegotiation(e: UcwaEvent): Promise<void> {
    const call = this.ctx.book.byConversation(link(e.embedded, 'conversation'))
    if (!e.embedded || !call) return this.#drop(e, call ? 'its resource could not be read' : 'no conversation of ours')
    return onRenegotiation(this.ctx, call, e, e.embedded)
  }

  async #audioVideo(e: UcwaEvent): Promise<void> {
    if (e.type !== 'updated') return
    const call = this.ctx.book.byAudioVideo(e.link.href)
    if (!call) return this.#drop(e, 'no call of ours')
    const av = e.embedded
    const escalate = link(av, 'escalateAudioVideo')
    if (av) learnLinks(call, av)
    if (escalate && call.escalation.state === 'awaiting-link') return this.escalation.offer(call, escalate)
    // Disconnected with a reason, or a link-only update whose resource could not be read (the conversation already
    // gone): the reason ends the call, unless we are ending it ourselves
    const gone = !av || prop(av, 'state') === 'Disconnected'
    if (gone && e.reason && call.machine.state !== 'ending') this.ctx.book.end(call, reasonError(e.reason, 'Informational'))
  }

  /** conversation or audioVideoSession: the links they offer now */
  #learn(e: UcwaEvent): Call | undefined {
    const res = e.embedded
    if (!res) return undefined
    const call = this.ctx.book.byConversation(e.link.href) ?? this.ctx.book.byAudioVideo(link(res, 'audioVideo'))
    if (call) learnLinks(call, res)
    return call
  }

  #conversation(e: UcwaEvent): void {
    this.#learn(e)
    const call = this.ctx.book.byConversation(e.link.href)
    if (!call || call.conversation.href !== e.link.href) return
    if (e.type === 'deleted') return this.ctx.book.end(call, { code: 'Informational', subcode: 'CallTerminated', message: userMessage('Informational', 'CallTerminated') })
    if (e.type !== 'updated' || prop(e.embedded, 'state') !== 'Conferenced' || call.conversation.conferenced) return
    call.conversation.conferenced = true
    const res = e.embedded!
    const roster = call.conversation.roster
    roster.localHref = link(res, 'localParticipant') ?? roster.localHref
    // members announced before this call existed (an invited member): read them; a failed read leaves them to the events
    void readParticipants(this.ctx.client.http, res)
      .then((read) => roster.fill(read.participants))
      .catch((error: unknown) => this.ctx.log(`call ${call.id}: the participants could not be read: ${describe(error)}`))
    if (call.machine.state === 'connected') this.ctx.book.go(call, 'conference')
    else this.ctx.book.changed(call)
  }

  #participantInvitation(e: UcwaEvent): void {
    if (e.type !== 'completed') return
    const operationId = prop<string>(e.embedded, 'operationId')
    this.ctx.ops.settle(operationId)
    const call = this.ctx.book.byConversation(link(e.embedded, 'conversation'))
    const invitee = call?.invitees.remove(operationId)
    if (call && invitee) this.ctx.book.changed(call) // no longer "calling…": joined, or the notice below says why not
    // a Canceled one is ours (the escalation it waited for was given up): the notice already says why
    if (e.status !== 'Failure' || e.reason?.subcode === 'Canceled') return
    if (!call) return this.#drop(e, 'no conversation of ours')
    call.notice = invitee ? inviteeFailure(invitee.name, e.reason) : reasonError(e.reason).message
    this.ctx.book.changed(call)
  }
}
