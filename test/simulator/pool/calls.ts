// P2P audio/video call signalling between two users' applications. The simulator relays SDP only:
// media flows browser to browser. Each side sees its own conversation and invitation resources.
import type { Clock, Timer } from '../clock'
import { errors, SimError, type Reason } from '../http/errors'
import { declinedFor, reasons } from './reasons'
import type { IdSource } from '../ids'
import type { Application } from './application'
import { newConversation, type Conversation, type Invitation, type Renegotiation } from './conversation'
import type { Directory, User } from './directory'
import {
  audioVideoRes,
  conversationRes,
  invitationRes,
  negotiationRes,
  participantRes,
  renegotiationRes,
} from './render'

export interface CallWorld {
  clock: Clock
  ids: IdSource
  directory: Directory
  appsOf(user: User): Application[]
  ringTimeoutMs: number
  /** a two-party call connected: it may become a conference, so the conference unit gets ready */
  prepareConferencing(): void
}

export interface Leg {
  app: Application
  conversation: Conversation
  invitation: Invitation
}

export type CallState = 'ringing' | 'connected' | 'ended'

export class P2PCall {
  state: CallState = 'ringing'
  ringing: Leg[] = []
  callee: Leg | null = null
  ringTimer: Timer | null = null

  constructor(
    readonly id: string,
    readonly caller: Leg,
  ) {}

  legs(): Leg[] {
    return [this.caller, ...(this.callee ? [this.callee] : this.ringing)]
  }
}

export interface StartAudioVideoInput {
  to: string
  offer: string
  /** the offer's Content-Type when not application/sdp (sfb-dialect pools: multipart/alternative;boundary=…) */
  offerType?: string
  operationId?: string
  sessionContext?: string
  subject?: string
  threadId?: string
  importance?: string
}


export class Calls {
  readonly #byConversation = new Map<Conversation, P2PCall>()

  constructor(private readonly world: CallWorld) {}

  callOf(conversation: Conversation): P2PCall | undefined {
    return this.#byConversation.get(conversation)
  }

  get active(): P2PCall[] {
    return [...new Set(this.#byConversation.values())].filter((c) => c.state !== 'ended')
  }

  start(app: Application, input: StartAudioVideoInput): Invitation {
    const target = this.world.directory.find(input.to)
    const threadId = input.threadId ?? this.world.ids.id()
    const remote: User = target ?? { ...app.user, sip: input.to.replace(/^sip:/i, ''), uri: input.to, name: input.to, key: 'unknown' }
    const leg = this.#newLeg(app, remote, app.user, 'Outgoing', { ...input, threadId })
    const call = new P2PCall(this.world.ids.id(), leg)
    this.#byConversation.set(leg.conversation, call)
    this.#announceNewLeg(leg, 'Outgoing')

    if (!target) return this.#failCaller(call, reasons.notFound), leg.invitation
    const apps = this.world.appsOf(target).filter((a) => a.acceptsAudioVideo)
    if (apps.length === 0) return this.#failCaller(call, reasons.unreachable), leg.invitation
    if (apps.every((a) => a.availability === 'DoNotDisturb')) return this.#failCaller(call, reasons.doNotDisturb), leg.invitation

    for (const calleeApp of apps.filter((a) => a.availability !== 'DoNotDisturb')) {
      const calleeLeg = this.#newLeg(calleeApp, app.user, app.user, 'Incoming', { ...input, threadId })
      calleeLeg.conversation.remoteJoined = true
      this.#byConversation.set(calleeLeg.conversation, call)
      call.ringing.push(calleeLeg)
      this.#announceNewLeg(calleeLeg, 'Incoming')
    }
    call.ringTimer = this.world.clock.setTimeout(() => this.#noAnswer(call), this.world.ringTimeoutMs)
    return leg.invitation
  }

  /**
   * addAudioVideo in a two-party conversation that has a chat (addAudioVideo_ref.md: "add audio/video to an existing
   * conversation"): the other side's view of that conversation rings; both keep it, with its chat, when the call ends.
   */
  addTo(app: Application, c: Conversation, peer: { app: Application; conversation: Conversation } | undefined, input: Omit<StartAudioVideoInput, 'to'>): Invitation {
    if (this.#byConversation.get(c)) throw errors.conflict('AlreadyExists', 'There is a call in this conversation already.')
    if (!peer) throw new SimError(409, undefined, 'There is no one in this conversation to call: add audio/video to a chat or an online meeting.', 'Conflict')
    const leg = this.#legIn(app, c, app.user, 'Outgoing', { ...input, to: c.remote.uri, subject: c.subject, threadId: c.threadId })
    const call = new P2PCall(this.world.ids.id(), leg)
    this.#byConversation.set(c, call)
    this.#announceInvitation(leg)
    if (!peer.app.acceptsAudioVideo) return this.#failCaller(call, reasons.unreachable), leg.invitation
    if (peer.app.availability === 'DoNotDisturb') return this.#failCaller(call, reasons.doNotDisturb), leg.invitation
    const calleeLeg = this.#legIn(peer.app, peer.conversation, app.user, 'Incoming', { ...input, to: peer.app.user.uri, subject: c.subject, threadId: c.threadId })
    this.#byConversation.set(peer.conversation, call)
    call.ringing.push(calleeLeg)
    this.#announceInvitation(calleeLeg)
    call.ringTimer = this.world.clock.setTimeout(() => this.#noAnswer(call), this.world.ringTimeoutMs)
    return leg.invitation
  }

  provisionalAnswer(app: Application, inv: Invitation, sdp: string, sessionContext: string, processedOfferId?: string): void {
    const { call } = this.#ringingIncoming(app, inv)
    inv.sessionContext = sessionContext
    const callerInv = call.caller.invitation
    callerInv.negotiation = { ...(callerInv.negotiation ?? this.#negotiation(app, callerInv)), provisionalAnswer: sdp, ...accepted(processedOfferId) }
    if (callerInv.state === 'Connecting') callerInv.state = 'Alerting'
    this.#emitNegotiation(call.caller)
  }

  accept(app: Application, inv: Invitation, sdp: string, sessionContext: string, processedOfferId?: string): void {
    const { call, leg } = this.#ringingIncoming(app, inv)
    call.ringTimer?.cancel()
    call.state = 'connected'
    call.callee = leg
    inv.sessionContext = sessionContext
    for (const other of call.ringing.filter((l) => l !== leg)) this.#endLeg(other, { invitationState: 'Cancelled', reason: reasons.answeredElsewhere })
    call.ringing = []
    this.world.prepareConferencing()

    const callerLeg = call.caller
    const callerInv = callerLeg.invitation
    callerInv.negotiation = { ...(callerInv.negotiation ?? this.#negotiation(app, callerInv)), answer: sdp, ...accepted(processedOfferId) }
    for (const side of [callerLeg, leg]) {
      const peer = side === callerLeg ? leg : callerLeg
      side.conversation.session = {
        id: this.world.ids.id(),
        state: 'Established',
        remoteEndpoint: peer.app.endpointUri,
        sessionContext: side.invitation.sessionContext ?? '',
      }
    }
    this.#emitNegotiation(callerLeg)
    // the caller learns the callee joined
    callerLeg.conversation.remoteJoined = true
    const cc = callerLeg.conversation
    callerLeg.app.emitResource(this.#conversationSender(callerLeg), 'added', participantRes(callerLeg.app, cc, cc.remote))
    for (const side of [callerLeg, leg]) this.#connect(side)
  }

  decline(app: Application, inv: Invitation, scope: string): void {
    const { call, leg } = this.#ringingIncoming(app, inv)
    const global = scope !== 'Local' || call.ringing.length === 1
    if (!global) {
      call.ringing = call.ringing.filter((l) => l !== leg)
      this.#endLeg(leg, { invitationState: 'Declined', reason: reasons.declined, status: 'Failure' })
      return
    }
    call.ringTimer?.cancel()
    for (const l of call.ringing) this.#endLeg(l, { invitationState: 'Declined', reason: l === leg ? reasons.declined : reasons.declinedElsewhere })
    call.ringing = []
    this.#failCaller(call, declinedFor(scope), 'Declined')
  }

  cancel(app: Application, inv: Invitation): void {
    const call = this.#callFor(inv)
    if (inv.direction !== 'Outgoing' || call.caller.app !== app) throw errors.methodNotAllowed()
    if (call.state !== 'ringing') throw new SimError(410, undefined, 'The invitation is no longer pending.', 'Gone')
    call.ringTimer?.cancel()
    for (const l of call.ringing) this.#endLeg(l, { invitationState: 'Cancelled', reason: reasons.canceledByCaller })
    call.ringing = []
    this.#failCaller(call, reasons.canceledLocally, 'Cancelled')
  }

  /** stopAudioVideo on either side, or the application going away (reason on the other side differs). */
  hangUp(app: Application, conversation: Conversation, cause: 'user' | 'gone' = 'user'): void {
    const call = this.#byConversation.get(conversation)
    if (!call || call.state === 'ended') throw new SimError(404, undefined, 'Call not found.')
    if (call.state === 'ringing') {
      if (call.caller.conversation === conversation) return this.cancel(app, call.caller.invitation)
      const leg = call.ringing.find((l) => l.conversation === conversation)!
      return this.decline(app, leg.invitation, 'Local')
    }
    call.state = 'ended'
    for (const leg of call.legs()) {
      const mine = leg.conversation === conversation
      this.#endLeg(leg, { reason: mine ? reasons.localHungUp : cause === 'gone' ? reasons.remoteGone : reasons.remoteHungUp })
    }
  }

  /** An application was deleted or expired: every call it is part of ends. */
  dropApplication(app: Application): void {
    for (const conversation of [...app.conversations.values()]) {
      const call = this.#byConversation.get(conversation)
      if (call && call.state !== 'ended') {
        try {
          this.hangUp(app, conversation, 'gone')
        } catch {
          // already ended
        }
      }
    }
  }

  readonly renegotiations = new Map<string, Renegotiation>()

  /** audioVideoRenegotiation (renegotiations_ref.md): one side's new offer goes to the other for an answer. */
  renegotiate(app: Application, conversation: Conversation, offer: string, operationId: string): Renegotiation {
    const p = this.connectedPeer(conversation)
    if (!p) throw new SimError(404, undefined, 'Call not found.')
    if ([...this.renegotiations.values()].some((r) => r.state === 'Pending' && r.views.some((v) => v.conversation === conversation))) {
      throw errors.conflict('AlreadyExists', 'Another renegotiation is already in progress.')
    }
    const r: Renegotiation = {
      id: this.world.ids.id(),
      operationId,
      offer,
      state: 'Pending',
      views: [
        { app, conversation, direction: 'Outgoing' },
        { app: p.peer.app, conversation: p.peer.conversation, direction: 'Incoming' },
      ],
    }
    this.renegotiations.set(r.id, r)
    for (const v of r.views) v.app.emitResource(v.app.communicationSender(), 'started', renegotiationRes(v.app, v.conversation, r, v.direction))
    return r
  }

  answerRenegotiation(app: Application, r: Renegotiation, answer: string | null): void {
    const mine = r.views.find((v) => v.app === app && v.direction === 'Incoming')
    if (!mine || r.state !== 'Pending') throw new SimError(410, undefined, 'The renegotiation is no longer pending.', 'Gone')
    r.state = answer ? 'Answered' : 'Dismissed'
    if (answer) r.answer = answer
    for (const v of r.views) {
      v.app.emitResource(v.app.communicationSender(), 'completed', renegotiationRes(v.app, v.conversation, r, v.direction), answer ? { status: 'Success' } : { status: 'Failure', reason: { code: 'RemoteFailure', subcode: 'Declined', message: 'The other side did not accept the change.' } })
    }
  }

  /** The connected P2P call behind this view, with the other side's leg. */
  connectedPeer(conversation: Conversation): { call: P2PCall; mine: Leg; peer: Leg } | null {
    const call = this.#byConversation.get(conversation)
    if (!call || call.state !== 'connected' || !call.callee) return null
    const mine = call.caller.conversation === conversation ? call.caller : call.callee
    return { call, mine, peer: mine === call.caller ? call.callee : call.caller }
  }

  /** The call moved into a conference: P2P signalling ends; the conversations live on as conference views. */
  retire(call: P2PCall): void {
    call.state = 'ended'
    call.ringTimer?.cancel()
    for (const leg of call.legs()) this.#byConversation.delete(leg.conversation)
  }

  #callFor(inv: Invitation): P2PCall {
    const call = this.#byConversation.get(inv.conversation)
    if (!call) throw new SimError(410, undefined, 'The invitation has already ended.', 'Gone')
    return call
  }

  #ringingIncoming(app: Application, inv: Invitation): { call: P2PCall; leg: Leg } {
    const call = this.#callFor(inv)
    const leg = call.ringing.find((l) => l.invitation === inv)
    if (inv.direction !== 'Incoming' || !leg || leg.app !== app) {
      throw new SimError(410, undefined, 'The invitation is no longer ringing.', 'Gone')
    }
    return { call, leg }
  }

  #negotiation(calleeApp: Application, callerInv: Invitation): Invitation['negotiation'] & object {
    return { remoteEndpoint: calleeApp.endpointUri, sessionContext: callerInv.sessionContext ?? '' }
  }

  #newLeg(app: Application, remote: User, from: User, direction: 'Incoming' | 'Outgoing', input: StartAudioVideoInput & { threadId: string }): Leg {
    const conversation = newConversation(app, remote, {
      id: this.world.ids.id(),
      threadId: input.threadId,
      subject: input.subject ?? '',
      importance: input.importance ?? 'Normal',
      state: direction === 'Incoming' ? 'Incoming' : 'Connecting',
      created: this.world.clock.now(),
      audioVideo: 'Connecting',
    })
    app.conversations.set(conversation.id, conversation)
    return this.#legIn(app, conversation, from, direction, input)
  }

  /** `app`'s side of a call in `conversation` (new, or one that has a chat: addAudioVideo): its invitation. */
  #legIn(app: Application, conversation: Conversation, from: User, direction: 'Incoming' | 'Outgoing', input: StartAudioVideoInput & { threadId: string }): Leg {
    const invitation: Invitation = {
      id: this.world.ids.id(),
      direction,
      state: 'Connecting',
      operationId: direction === 'Outgoing' ? input.operationId : undefined,
      sessionContext: direction === 'Outgoing' ? input.sessionContext : undefined,
      to: direction === 'Outgoing' ? `sip:${input.to.replace(/^sip:/i, '')}` : app.user.uri,
      subject: input.subject,
      threadId: input.threadId,
      importance: input.importance ?? 'Normal',
      mediaOffer: input.offer,
      mediaOfferType: input.offerType,
      from,
      conversation,
    }
    conversation.invitation = invitation
    conversation.audioVideo = { state: 'Connecting' }
    app.addInvitation(invitation)
    return { app, conversation, invitation }
  }

  #conversationSender(leg: Leg): { rel: string; href: string } {
    return { rel: 'conversation', href: leg.app.href(`/communication/conversations/${leg.conversation.id}`) }
  }

  #announceNewLeg(leg: Leg, direction: 'Incoming' | 'Outgoing'): void {
    const { app, conversation: c, invitation } = leg
    const comm = app.communicationSender()
    app.emitResource(comm, 'added', conversationRes(app, c))
    app.emitResource(comm, 'started', invitationRes(app, invitation))
    const conv = this.#conversationSender(leg)
    app.emitResource(conv, 'added', participantRes(app, c, c.local))
    if (direction === 'Incoming') app.emitResource(conv, 'added', participantRes(app, c, c.remote))
    app.emitResource(conv, 'updated', audioVideoRes(app, c))
  }

  /** A call in a conversation both sides already have (its participants known): the invitation and audioVideo only. */
  #announceInvitation(leg: Leg): void {
    const { app, conversation: c, invitation } = leg
    app.emitResource(app.communicationSender(), 'started', invitationRes(app, invitation))
    app.emitResource(this.#conversationSender(leg), 'updated', audioVideoRes(app, c))
  }

  #emitNegotiation(callerLeg: Leg): void {
    const { app, invitation } = callerLeg
    app.emitResource({ rel: 'audioVideoInvitation', href: app.href(`/communication/invitations/${invitation.id}`) }, 'updated', negotiationRes(app, invitation))
  }

  #connect(leg: Leg): void {
    const { app, conversation: c, invitation } = leg
    invitation.state = 'Connected'
    c.state = 'Connected'
    c.audioVideo.state = 'Connected'
    const conv = this.#conversationSender(leg)
    // no audioVideoSession event: its page lists none; the session is reached through audioVideo's link
    app.emitResource(conv, 'updated', audioVideoRes(app, c))
    app.emitResource(app.communicationSender(), 'completed', invitationRes(app, invitation), { status: 'Success' })
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
  }

  #failCaller(call: P2PCall, reason: Reason, state: Invitation['state'] = 'Failed'): void {
    call.state = 'ended'
    this.#endLeg(call.caller, { invitationState: state, reason, status: 'Failure' })
  }

  #noAnswer(call: P2PCall): void {
    if (call.state !== 'ringing') return
    for (const l of call.ringing) this.#endLeg(l, { invitationState: 'Failed', reason: reasons.missed })
    call.ringing = []
    this.#failCaller(call, reasons.noAnswer)
  }

  /** Tears one side down: invitation completed (if pending), modality disconnected, conversation gone. */
  #endLeg(leg: Leg, opts: { invitationState?: Invitation['state']; reason: Reason; status?: 'Success' | 'Failure' }): void {
    const { app, conversation: c, invitation } = leg
    const comm = app.communicationSender()
    const conv = this.#conversationSender(leg)
    const pending = invitation.state === 'Connecting' || invitation.state === 'Alerting'
    if (pending) {
      invitation.state = opts.invitationState ?? 'Failed'
      app.emitResource(comm, 'completed', invitationRes(app, invitation), { status: opts.status ?? 'Failure', reason: opts.reason })
    }
    c.audioVideo.state = 'Disconnected'
    app.emitResource(conv, 'updated', audioVideoRes(app, c), pending ? {} : { reason: opts.reason })
    c.session = undefined // without an event (audioVideoSession_ref.md lists none): audioVideo's update says it
    if (c.messaging && c.messaging.state !== 'Disconnected') {
      // a chat outlives the call: the conversation stays while a modality is in it (SendAnIM.md: stopMessaging ends it)
      this.#byConversation.delete(c)
      app.emitResource(comm, 'updated', conversationRes(app, c))
      return
    }
    if (c.remoteJoined) {
      app.emitResource(conv, 'deleted', participantRes(app, c, c.remote))
      c.remoteJoined = false
    }
    c.state = 'Disconnected'
    app.emit(comm, { type: 'deleted', link: { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) } })
    app.conversations.delete(c.id)
    this.#byConversation.delete(c)
    // the invitation stays readable (its final state) among the application's last ended ones (Application.addInvitation)
  }
}

/** The part an answer names (acceptWithAnswer_ref.md, sendProvisionalAnswer_ref.md: processedOfferId), kept for msAcceptedContentId. */
function accepted(processedOfferId: string | undefined): { acceptedContentId?: string } {
  return processedOfferId ? { acceptedContentId: processedOfferId } : {}
}
