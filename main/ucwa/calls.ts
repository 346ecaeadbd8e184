// The audio/video call engine: startAudioVideo, incoming invitations, answers, hang-up, hold and escalation to a
// conference. It never touches media: it asks a MediaAgent (the renderer) for offers and answers. Its parts live in
// call/: the book of calls (maps), the events (one handler per rel), the escalation flow, endings, renegotiation.
import type { CallSnapshot, CallState } from '../../preload/contract'
import { addParticipant } from './call/add-participant'
import { CallBook, shortId } from './call/book'
import { snapshot, type Call } from './call/call'
import type { CallContext } from './call/context'
import type { Conversation } from './call/conversation'
import type { Conversations } from './call/conversations'
import { decline, leave } from './call/ending'
import { EscalationFlow } from './call/escalation-flow'
import { describe } from './log'
import { CallEvents } from './call/events'
import { outgoingInvitation } from './call/invitation'
import { learnInvitation } from './call/learn'
import { answerQuery } from './call/media-failure'
import { joinMeetingMedia, type MeetingMediaRequest } from './call/meeting-call'
import { follow } from './call/links'
import { afterMediaReoffer } from './call/media-reoffer'
import type { CallChange, MediaAgent } from './call/media-agent'
import { timedOut } from './call/notices'
import { encodeData, sendsVideo } from './call/sdp'
import { holdOthers, switchTo } from './call/waiting'
import type { UcwaClient } from './client'
import { UcwaError } from './errors'
import { Operations, type OperationKind, type OperationLimits } from './operations'
import type { MediaKind } from './roster'
import { onSessionLoss } from './session-loss'
import { sipUri } from './sip-uri'

export type { CallSnapshot } from '../../preload/contract'
export type { Participant, Person } from './roster'
export type { CallChange, MediaAgent, MediaPurpose } from './call/media-agent'

export interface CallEngineOptions {
  now?: () => number
  /** deadlines for operations whose completion never came */
  limits?: Partial<OperationLimits>
  /** the protocol log: every call state transition, every event dropped or failed (no token ever reaches it) */
  log?: (message: string) => void
}

const notIncoming = (what: string) => new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotIncoming', message: `Only a call that rings here can be ${what}; hang up to cancel a call you made.` })

export class CallEngine {
  /** the event rels whose resource the engine reads (fetched from link.href when the event only links it) */
  static readonly reads: readonly string[] = CallEvents.reads
  readonly #book: CallBook
  readonly #ctx: CallContext
  readonly #escalation: EscalationFlow

  constructor(client: UcwaClient, media: MediaAgent, options: CallEngineOptions = {}) {
    const log = options.log ?? (() => {})
    const ops = new Operations(options.limits, (op) => void this.#timedOut(op.operationId, op.kind, op.callId))
    this.#book = new CallBook({ http: client.http, media, ops, now: options.now ?? Date.now, log, rollback: (call, r) => this.#escalation.rollback(call, r) })
    this.#ctx = { client, media, ops, book: this.#book, log }
    this.#escalation = new EscalationFlow(this.#ctx)
    const events = new CallEvents(this.#ctx, this.#escalation)
    client.eventResources.read(CallEngine.reads)
    client.on('events', (list) => events.onEvents(list)) // awaited: pages are handled in channel order
    onSessionLoss(client, (reason, tellPool) => this.#endAll(reason, tellPool))
  }

  onChange(listener: (s: CallSnapshot) => void): () => void {
    return this.#book.onChange(listener)
  }

  list(): CallSnapshot[] {
    return this.#book.all().map(snapshot)
  }

  get(id: string): CallSnapshot | undefined {
    const c = this.#book.get(id)
    return c && snapshot(c)
  }

  /** The conversation a live call is in (chats.ts adds messaging to it). NotFound once the call ended. */
  conversationOf(id: string): Conversation {
    return this.#book.need(id).conversation
  }

  /** The session's conversations by href, one per conversation link, shared with the chats in them. */
  get conversations(): Conversations {
    return this.#book.conversations
  }

  /** The live call in the conversation at `href` (conversation_ref.md), if there is one. */
  callIn(href: string | undefined): string | undefined {
    return this.#book.byConversation(href)?.id
  }

  /**
   * startAudioVideo_ref.md: our offer to `to` (sip: or bare address); `addAudioVideo`: that link of a conversation
   * with a chat instead (addAudioVideo_ref.md, same body), so the call joins it. Throws UcwaError when the pool refuses.
   */
  async start(to: string, subject = '', addAudioVideo?: string): Promise<CallSnapshot> {
    const uri = sipUri(to)
    const { client, media, book } = this.#ctx
    const call = book.add({ invitation: outgoingInvitation(), remote: { name: to.replace(/^sip:/, ''), uri }, subject, state: 'preparing' })
    try {
      const offer = await Promise.race([media.createOffer(call.id, 'call'), call.ended])
      if (offer === null || call.machine.state !== 'preparing') return snapshot(call) // ended meanwhile
      call.video = sendsVideo(offer)
      const inv = await client.http.post(addAudioVideo ?? client.communicationLink('startAudioVideo'), {
        to: uri,
        subject: subject || undefined,
        operationId: call.operationId,
        sessionContext: call.sessionContext,
        _links: { mediaOffer: { href: encodeData(offer) } },
      })
      if (inv) learnInvitation(this.#ctx, call, inv)
      if ((call.machine.state as CallState) === 'ended') {
        // the session was lost while the pool took the call: it rings there with nobody behind it
        void leave(client.http, call, true).catch((e: unknown) => this.#ctx.log(`call ${call.id}: could not cancel: ${describe(e)}`))
        throw new UcwaError({ status: 0, code: call.endReason?.code ?? 'Informational', subcode: call.endReason?.subcode, message: call.endReason?.message ?? 'The call ended.' })
      }
      book.go(call, 'calling')
      this.#ctx.ops.begin(call.operationId, 'call', call.id)
    } catch (e) {
      book.end(call, e)
      throw e
    }
    return snapshot(call)
  }

  /** addAudioVideo in an online meeting that let us in (call/meeting-call.ts); the pool's UcwaError when it refuses. */
  joinMeeting(r: MeetingMediaRequest): Promise<CallSnapshot> {
    return joinMeetingMedia(this.#ctx, r)
  }

  /**
   * A second Accept (a double click, or the notification and the window both) waits for the first: the pool takes one
   * answer. Answering while in a call holds that call first (call/waiting.ts).
   */
  accept(id: string): Promise<void> {
    const call = this.#book.need(id)
    if (call.invitation.direction !== 'incoming') return Promise.reject(notIncoming('answered'))
    if (!call.accepting) {
      const { offer, accept } = call.invitation
      if (!accept) return Promise.reject(new UcwaError({ status: 0, code: 'Conflict', message: 'The server no longer offers answering this call.' }))
      this.#book.go(call, 'answering')
      call.accepting = holdOthers(this, id, this.#ctx.log).then(() => this.#answer(call, offer, accept))
    }
    return call.accepting
  }

  async #answer(call: Call, offer: string, accept: string): Promise<void> {
    try {
      const answer = await this.#ctx.media.createAnswer(call.id, offer, call.conversation.conferenced ? 'conference' : 'call')
      await call.early // a provisional answer arriving after the final one would be refused by the pool
      await this.#ctx.client.http.post(accept, answer, { type: 'sdp', query: answerQuery(this.#ctx, call) })
      if (call.machine.state === 'answering') this.#ctx.ops.begin(call.operationId, 'accept', call.id)
    } catch (e) {
      this.#book.end(call, e)
      throw e
    }
  }

  /** Call waiting: call `id` to the front, every other two-person call held (call/waiting.ts). */
  switchTo(id: string): Promise<void> {
    return switchTo(this, id, this.#ctx.log)
  }

  /** decline_ref.md: an incoming call that still rings. Conflict/NotIncoming on a call we made (hang up cancels it). */
  async decline(id: string): Promise<void> {
    const call = this.#book.need(id)
    if (call.invitation.direction !== 'incoming') throw notIncoming('declined')
    this.#book.go(call, 'ending')
    await decline(this.#ctx.client.http, call).catch((e: unknown) => this.#ctx.log(`call ${call.id}: the decline did not reach the pool: ${describe(e)}`))
    this.#book.end(call, { code: 'Informational', subcode: 'Declined', message: 'You declined the call.' })
  }

  /** Hangs up (cancels a call still ringing out); `reason` says why when it is not the person's choice. */
  async hangUp(id: string, reason?: NonNullable<CallSnapshot['endReason']>): Promise<void> {
    const call = this.#book.need(id)
    const state = call.machine.state
    if (state === 'ringing') return this.decline(id)
    this.#book.go(call, 'ending')
    // the call may have ended at the other side meanwhile: ending it here is what the person asked
    await leave(this.#ctx.client.http, call, state === 'calling' || state === 'early-media').catch((e: unknown) => this.#ctx.log(`call ${call.id}: hang-up: ${describe(e)}`))
    this.#book.end(call, reason ?? { code: 'Informational', subcode: 'CallTerminated', message: 'You ended the call.' })
  }

  /** addParticipant_ref.md: call/add-participant.ts; `name` shows "calling…" until they join. */
  addParticipant(id: string, to: string, name?: string): Promise<void> {
    return addParticipant(this.#ctx, this.#book.need(id), to, name)
  }

  /** I muted my microphone or turned my camera off (the renderer did it to its tracks); a conference's server is told too. */
  async setMuted(id: string, muted: Partial<Record<MediaKind, boolean>>): Promise<void> {
    const call = this.#book.need(id)
    for (const kind of ['audio', 'video'] as const) if (muted[kind] !== undefined) await call.conversation.roster.want(kind, muted[kind])
  }

  /** Hold, resume, camera off or on in a two-person call: audioVideoRenegotiation through the session. */
  async change(id: string, what: CallChange): Promise<void> {
    const call = this.#book.need(id)
    const http = this.#ctx.client.http
    await afterMediaReoffer(this.#ctx, call)
    if (call.machine.state !== 'connected' || call.conversation.conferenced) {
      throw new UcwaError({ status: 0, code: 'Conflict', message: 'Hold and camera changes go through the call once it is a connected two-person call.' })
    }
    if (call.renegotiation) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'AlreadyExists', message: 'Another change to this call is under way.' })
    call.renegotiation = { operationId: shortId(), change: what }
    try {
      const session = await follow(http, call, call.audioVideoHref, 'audioVideoSession')
      const renegotiations = await follow(http, call, session, 'renegotiations')
      const offer = await this.#ctx.media.reoffer(call.id, what)
      const r = await http.post(renegotiations, offer, { type: 'sdp', query: { operationId: call.renegotiation.operationId } })
      if (r && call.renegotiation) call.renegotiation.href = r.href
      if (call.renegotiation) this.#ctx.ops.begin(call.renegotiation.operationId, 'change', call.id)
    } catch (e) {
      call.renegotiation = undefined
      this.#ctx.media.reofferFailed?.(call.id)
      throw e
    }
  }

  /** The pool never completed an operation: end or roll back what it concerned, with a typed Timeout. */
  async #timedOut(operationId: string, kind: OperationKind, callId: string): Promise<void> {
    const call = this.#book.get(callId)
    if (!call || call.machine.state === 'ended') return
    this.#ctx.log(`call ${call.id}: ${kind} timed out`)
    const error = new UcwaError({ status: 0, code: 'Timeout', subcode: 'OperationTimedOut', message: timedOut[kind] })
    if (kind === 'call' || kind === 'accept') {
      this.#book.go(call, 'ending')
      await leave(this.#ctx.client.http, call, call.invitation.direction === 'outgoing').catch((e: unknown) => this.#ctx.log(`call ${call.id}: ${describe(e)}`))
      return this.#book.end(call, error)
    }
    if (kind === 'escalation') return this.#escalation.timedOut(call, operationId)
    // a renegotiation cannot be withdrawn (the pool keeps it until answered): a late answer is still applied
    const invitee = kind === 'addParticipant' ? call.invitees.remove(operationId) : undefined
    call.notice = invitee ? `${invitee.name} did not join in time.` : error.message
    this.#book.changed(call)
  }

  #endAll(reason: NonNullable<CallSnapshot['endReason']>, tellPool = false): void {
    const { http } = this.#ctx.client
    const failed = (call: Call) => (e: unknown) => this.#ctx.log(`call ${call.id}: the pool could not be told the call ended: ${describe(e)}`)
    for (const call of this.#book.all()) {
      const was = call.machine.state
      this.#book.end(call, reason)
      // a session lost while its application stands (replaced, unreadable channel): the other side must not be left ringing or talking to nobody
      if (!tellPool) continue
      if (was === 'ringing') void decline(http, call).catch(failed(call))
      else void leave(http, call, was === 'calling' || was === 'early-media' || was === 'preparing').catch(failed(call))
    }
  }
}
