// The audio/video call engine: startAudioVideo, incoming invitations, answers, hang-up, and escalation to a
// conference. It never touches media: it asks a MediaAgent (the renderer) for offers and answers.
import { randomUUID } from 'node:crypto'
import sdpTransform from 'sdp-transform'
import { callMachine, type CallState } from './call-machine'
import type { UcwaClient } from './client'
import { reasonError, UcwaError, userMessage } from './errors'
import type { UcwaEvent } from './events'
import { Operations, type OperationKind, type OperationLimits } from './operations'
import { link, prop, type Resource } from './resource'
import { Roster, type MediaKind, type Participant, type Person } from './roster'
import { onSessionLoss } from './session-loss'
import type { StateMachine } from './state-machine'

export type MediaPurpose = 'call' | 'escalation' | 'conference'
export type CallChange = 'hold' | 'resume' | 'video-off' | 'video-on'

/** What the engine needs from whoever owns the RTCPeerConnections. */
export interface MediaAgent {
  createOffer(callId: string, purpose: 'call' | 'escalation'): Promise<string>
  createAnswer(callId: string, offer: string, purpose: 'call' | 'conference'): Promise<string>
  /** an early answer while the call rings: connectivity without camera or microphone, so Accept connects at once */
  createProvisionalAnswer?(callId: string, offer: string): Promise<string>
  applyAnswer(callId: string, sdp: string, o: { provisional: boolean; purpose: 'call' | 'escalation' }): void
  /** a mid-call change (hold, resume, camera off or on) on the P2P connection: a new offer, then its answer */
  reoffer(callId: string, change: CallChange): Promise<string>
  answerReoffer(callId: string, offer: string): Promise<string>
  applyReanswer(callId: string, sdp: string): void
  /** drop a connection: the P2P one once the conference carries the call, the conference one if the move failed, or all */
  close(callId: string, what: 'p2p' | 'conference' | 'all'): void
}

export type { Participant, Person } from './roster'

export interface CallSnapshot {
  id: string
  state: CallState
  direction: 'outgoing' | 'incoming'
  remote: Person
  subject: string
  participants: Participant[]
  conference: boolean
  startedAt: number
  connectedAt?: number
  endReason?: { code: string; subcode?: string; message: string }
  /** an add-participant that failed (the call goes on) */
  notice?: string
  held?: boolean
  remoteHeld?: boolean
  sendingVideo?: boolean
  /** what I muted: my microphone, my camera */
  audioMuted?: boolean
  videoMuted?: boolean
}

interface Call {
  id: string
  machine: StateMachine<CallState>
  direction: 'outgoing' | 'incoming'
  remote: Person
  subject: string
  operationId: string
  sessionContext: string
  startedAt: number
  connectedAt?: number
  roster: Roster
  conference: boolean
  invitationHref?: string
  conversationHref?: string
  audioVideoHref?: string
  offer?: string
  acceptHref?: string
  declineHref?: string
  cancelHref?: string
  /** our provisional answer on its way (sendProvisionalAnswer); the final one follows it */
  early?: Promise<void>
  /** Accept under way: one answer per call, however many times the person clicks */
  accepting?: Promise<void>
  escalation?: { operationId: string; invitationHref?: string }
  /** addParticipant is waiting for the conversation to offer escalateAudioVideo */
  wantsEscalation?: boolean
  endReason?: CallSnapshot['endReason']
  notice?: string
  /** links learnt from the call's resources (hrefs are followed, never built) */
  links: Record<string, string>
  /** invitations whose final answer was applied: a link-only negotiation event read later shows the same answer */
  answeredBy: Set<string>
  held: boolean
  remoteHeld: boolean
  sendingVideo: boolean
  /** our renegotiation waiting for its answer */
  renegotiation?: { href?: string; operationId: string; change: CallChange }
  /** resolves when the call ends: nothing waits on media for a call that is over */
  ended: Promise<null>
  markEnded: () => void
}

const short = () => randomUUID().replace(/-/g, '').slice(0, 32)

export interface CallEngineOptions {
  now?: () => number
  /** deadlines for operations whose completion never came */
  limits?: Partial<OperationLimits>
}

/** What the person reads when the pool never finished an operation. */
const timedOut: Record<OperationKind, string> = {
  call: 'Nobody answered, so Parley ended the call.',
  accept: 'The call could not be connected in time.',
  escalation: 'The conference did not start in time. Your call continues as it was.',
  change: 'That change to the call did not go through in time.',
  addParticipant: 'The person you added did not join in time.',
}

export class CallEngine {
  /** the event rels whose resource the engine reads (fetched from link.href when the event only links it) */
  static readonly reads: readonly string[] = ['audioVideoInvitation', 'audioVideoNegotiation', 'audioVideoRenegotiation', 'audioVideo', 'audioVideoSession', 'conversation', 'participantInvitation', ...Roster.reads]
  readonly #calls = new Map<string, Call>()
  readonly #listeners = new Set<(s: CallSnapshot) => void>()
  readonly #ops: Operations
  private readonly now: () => number

  constructor(
    private readonly client: UcwaClient,
    private readonly media: MediaAgent,
    options: CallEngineOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.#ops = new Operations(options.limits, (op) => void this.#timedOut(op.operationId, op.kind, op.callId))
    client.eventResources.read(CallEngine.reads)
    client.on('events', (events) => this.#onEvents(events))
    onSessionLoss(client, (reason, tellPool) => this.#endAll(reason, tellPool))
  }

  onChange(listener: (s: CallSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  list(): CallSnapshot[] {
    return [...this.#calls.values()].map(snapshot)
  }

  get(id: string): CallSnapshot | undefined {
    const c = this.#calls.get(id)
    return c && snapshot(c)
  }

  async start(to: string, subject = ''): Promise<CallSnapshot> {
    const uri = to.startsWith('sip:') ? to : `sip:${to}`
    const call = this.#add({ direction: 'outgoing', remote: { name: to.replace(/^sip:/, ''), uri }, subject, state: 'preparing' })
    try {
      const offer = await Promise.race([this.media.createOffer(call.id, 'call'), call.ended])
      if (offer === null || call.machine.state !== 'preparing') return snapshot(call) // ended meanwhile
      const inv = await this.client.http.post(this.client.communicationLink('startAudioVideo'), {
        to: uri,
        subject: subject || undefined,
        operationId: call.operationId,
        sessionContext: call.sessionContext,
        _links: { mediaOffer: { href: `data:application/sdp;base64,${Buffer.from(offer).toString('base64')}` } },
      })
      if (inv) this.#learnInvitation(call, inv)
      if ((call.machine.state as CallState) === 'ended') {
        // the session was lost while the pool took the call: it rings there with nobody behind it
        void this.#leave(call, true).catch(() => {})
        throw new UcwaError({ status: 0, code: call.endReason?.code ?? 'Informational', subcode: call.endReason?.subcode, message: call.endReason?.message ?? 'The call ended.' })
      }
      this.#go(call, 'calling')
      this.#ops.begin(call.operationId, 'call', call.id)
    } catch (e) {
      this.#end(call, e)
      throw e
    }
    return snapshot(call)
  }

  /** A second Accept (a double click, or the notification and the window both) waits for the first: the pool takes one answer. */
  accept(id: string): Promise<void> {
    const call = this.#need(id)
    if (!call.accepting) {
      this.#go(call, 'answering')
      call.accepting = this.#answer(call)
    }
    return call.accepting
  }

  async #answer(call: Call): Promise<void> {
    try {
      const answer = await this.media.createAnswer(call.id, call.offer!, call.conference ? 'conference' : 'call')
      await call.early // a provisional answer arriving after the final one would be refused by the pool
      await this.client.http.post(call.acceptHref!, answer, { type: 'sdp', query: { sessionContext: call.sessionContext } })
      if (call.machine.state === 'answering') this.#ops.begin(call.operationId, 'accept', call.id)
    } catch (e) {
      this.#end(call, e)
      throw e
    }
  }

  async decline(id: string): Promise<void> {
    const call = this.#need(id)
    this.#go(call, 'ending')
    await this.#ending(call.declineHref!, { reason: 'Local' }).catch(() => {})
    this.#end(call, { code: 'Informational', subcode: 'Declined', message: 'You declined the call.' })
  }

  async hangUp(id: string): Promise<void> {
    const call = this.#need(id)
    const state = call.machine.state
    if (state === 'ringing') return this.decline(id)
    this.#go(call, 'ending')
    try {
      await this.#leave(call, state === 'calling' || state === 'early-media')
    } catch {
      // the call may have ended at the other side meanwhile: ending it here is what the person asked
    }
    this.#end(call, { code: 'Informational', subcode: 'CallTerminated', message: 'You ended the call.' })
  }

  /** addParticipant_ref.md: on a P2P call the conversation first escalates, then the contact is invited. */
  async addParticipant(id: string, to: string): Promise<void> {
    const call = this.#need(id)
    const state = call.machine.state
    if (state !== 'connected' && state !== 'conference') throw new UcwaError({ status: 0, code: 'Conflict', message: 'Add people once the call is connected.' })
    if (state === 'connected') {
      call.wantsEscalation = true
      this.#go(call, 'escalating')
    }
    const operationId = short()
    try {
      await this.client.http.post(await this.#follow(call, call.conversationHref!, 'addParticipant'), { to: to.startsWith('sip:') ? to : `sip:${to}`, operationId })
      this.#ops.begin(operationId, 'addParticipant', call.id)
    } catch (e) {
      call.wantsEscalation = false
      if (call.machine.state === 'escalating') this.#go(call, 'connected')
      throw e
    }
  }

  /** I muted my microphone or turned my camera off (the renderer did it to its tracks); a conference's server is told too. */
  async setMuted(id: string, muted: Partial<Record<MediaKind, boolean>>): Promise<void> {
    const call = this.#need(id)
    for (const kind of ['audio', 'video'] as const) if (muted[kind] !== undefined) await call.roster.want(kind, muted[kind])
  }

  /** Hold, resume, camera off or on in a two-person call: audioVideoRenegotiation through the session. */
  async change(id: string, what: CallChange): Promise<void> {
    const call = this.#need(id)
    if (call.machine.state !== 'connected' || call.conference) {
      throw new UcwaError({ status: 0, code: 'Conflict', message: 'Hold and camera changes go through the call once it is a connected two-person call.' })
    }
    if (call.renegotiation) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'AlreadyExists', message: 'Another change to this call is under way.' })
    call.renegotiation = { operationId: short(), change: what }
    try {
      const session = await this.#follow(call, call.audioVideoHref!, 'audioVideoSession')
      const renegotiations = await this.#follow(call, session, 'renegotiations')
      const offer = await this.media.reoffer(call.id, what)
      const r = await this.client.http.post(renegotiations, offer, { type: 'sdp', query: { operationId: call.renegotiation.operationId } })
      if (r && call.renegotiation) call.renegotiation.href = r.href
      if (call.renegotiation) this.#ops.begin(call.renegotiation.operationId, 'change', call.id)
    } catch (e) {
      call.renegotiation = undefined
      throw e
    }
  }

  /** The pool never completed an operation: end or roll back what it concerned, with a typed Timeout. */
  async #timedOut(operationId: string, kind: OperationKind, callId: string): Promise<void> {
    const call = this.#calls.get(callId)
    if (!call || call.machine.state === 'ended') return
    const error = new UcwaError({ status: 0, code: 'Timeout', subcode: 'OperationTimedOut', message: timedOut[kind] })
    if (kind === 'call' || kind === 'accept') {
      this.#go(call, 'ending')
      await this.#leave(call, call.direction === 'outgoing').catch(() => {})
      return this.#end(call, error)
    }
    if (kind === 'escalation' && call.escalation?.operationId === operationId) {
      // like EscalationFailed: the conference leg is dropped and the P2P call goes on
      const href = call.escalation.invitationHref
      call.escalation = undefined
      call.wantsEscalation = false
      if (href) await this.#follow(call, href, 'cancel').then((c) => this.client.http.post(c)).catch(() => {})
      this.media.close(call.id, 'conference')
      if (call.machine.state === 'escalating') this.#go(call, 'connected')
    }
    // a renegotiation cannot be withdrawn (the pool keeps it until answered): a late answer is still applied
    call.notice = error.message
    this.#changed(call)
  }

  /** Ends the call on the pool: cancel while it rings out, else stopAudioVideo — also when the cancel came too late (Gone: answered). */
  async #leave(call: Call, ringingOut: boolean): Promise<void> {
    if (ringingOut && call.cancelHref) {
      const answered = await this.#ending(call.cancelHref).then(
        () => false,
        (e: unknown) => {
          if (e instanceof UcwaError && (e.status === 410 || e.status === 409)) return true
          throw e
        },
      )
      if (!answered) return
    }
    if (call.audioVideoHref) await this.#ending(await this.#follow(call, call.audioVideoHref, 'stopAudioVideo'))
  }

  /**
   * Hang-up, cancel and decline are tried again when the pool could not take them (network, 5xx): ending
   * only here would leave the other person in a call with nobody. Repeating one is harmless (404/410).
   */
  async #ending(href: string, body?: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.http.post(href, body)
        return
      } catch (e) {
        const transient = e instanceof UcwaError && (e.status === 0 || e.status >= 500) && e.subcode !== 'ForeignOrigin'
        if (!transient || attempt >= 3) throw e
        await new Promise((r) => setTimeout(r, 150 * 3 ** attempt))
      }
    }
  }

  /** A link of one of the call's resources: learnt from events, else read from the resource. */
  async #follow(call: Call, resourceHref: string, rel: string): Promise<string> {
    const key = `${resourceHref} ${rel}`
    if (call.links[key]) return call.links[key]
    const href = link(await this.client.http.get(resourceHref), rel)
    if (!href) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The server does not offer that for this call right now.' })
    call.links[key] = href
    return href
  }

  /** Called by address: the pool's name for that person (the invitation's `to` contact, audioVideoInvitation_ref.md). */
  async #learnName(call: Call, href: string | undefined): Promise<void> {
    if (!href) return
    const name = prop(await this.client.http.get(href), 'name')
    if (!name) return
    call.remote = { ...call.remote, name }
    this.#changed(call) // an ended call too: its line in recent calls gets the name
  }

  /** Members announced before this call existed (an invited member): read them from the server. */
  async #fillRoster(call: Call, conversation: Resource): Promise<void> {
    const href = link(conversation, 'participants')
    if (href) call.roster.fill(await this.client.http.get(href))
  }

  #learnLinks(call: Call, res: Resource): void {
    for (const [rel, list] of Object.entries(res.links)) if (list[0]) call.links[`${res.href} ${rel}`] = list[0].href
  }

  /** `init` fills the call in before anyone hears of it (a listener may answer it at once) */
  #add(o: { direction: Call['direction']; remote: Person; subject: string; state: CallState }, init?: (call: Call) => void): Call {
    let markEnded = () => {}
    const ended = new Promise<null>((resolve) => (markEnded = () => resolve(null)))
    const call: Call = {
      ended,
      markEnded,
      id: randomUUID(),
      machine: callMachine(o.state),
      direction: o.direction,
      remote: o.remote,
      subject: o.subject,
      operationId: short(),
      sessionContext: short(),
      startedAt: this.now(),
      roster: new Roster(this.client.http, () => this.#changed(call)),
      conference: false,
      links: {},
      answeredBy: new Set(),
      held: false,
      remoteHeld: false,
      sendingVideo: true,
    }
    init?.(call)
    this.#calls.set(call.id, call)
    this.#changed(call)
    return call
  }

  #need(id: string): Call {
    const call = this.#calls.get(id)
    if (!call || call.machine.state === 'ended') throw new UcwaError({ status: 0, code: 'NotFound', message: 'That call has ended.' })
    return call
  }

  #go(call: Call, to: CallState): void {
    call.machine.go(to)
    if (to === 'connected' && !call.connectedAt) call.connectedAt = this.now()
    this.#changed(call)
  }

  #changed(call: Call): void {
    const s = snapshot(call)
    for (const l of this.#listeners) l(s)
  }

  #end(call: Call, why: unknown): void {
    if (call.machine.state === 'ended') return
    call.endReason =
      why instanceof UcwaError ? { code: why.code, subcode: why.subcode, message: why.message } : (why as CallSnapshot['endReason']) ?? { code: 'Informational', message: 'The call ended.' }
    call.machine.go('ended')
    call.markEnded()
    this.#ops.settleCall(call.id)
    this.media.close(call.id, 'all')
    this.#changed(call)
    this.#calls.delete(call.id)
  }

  #endAll(reason: NonNullable<CallSnapshot['endReason']>, tellPool = false): void {
    for (const call of [...this.#calls.values()]) {
      const was = call.machine.state
      this.#end(call, reason)
      // a session lost while its application stands (replaced, unreadable channel): the other side must not be left ringing or talking to nobody
      if (tellPool && was === 'ringing' && call.declineHref) void this.#ending(call.declineHref, { reason: 'Local' }).catch(() => {})
      else if (tellPool && was !== 'ringing') void this.#leave(call, was === 'calling' || was === 'early-media' || was === 'preparing').catch(() => {})
    }
  }

  #learnInvitation(call: Call, inv: Resource): void {
    // called by address: the pool's name for that person, once
    if (!call.invitationHref && call.direction === 'outgoing') this.#learnName(call, link(inv, 'to')).catch(() => {})
    call.invitationHref = inv.href
    call.conversationHref = link(inv, 'conversation') ?? call.conversationHref
    call.audioVideoHref = link(inv, 'audioVideo') ?? call.audioVideoHref
    call.cancelHref = link(inv, 'cancel') ?? call.cancelHref
  }

  #byInvitation(href: string): Call | undefined {
    return [...this.#calls.values()].find((c) => c.invitationHref === href || c.escalation?.invitationHref === href)
  }

  #byConversation(href: string): Call | undefined {
    return [...this.#calls.values()].find((c) => c.conversationHref === href || (c.audioVideoHref && href.startsWith(`${c.conversationHref}/`)))
  }

  #byOperation(operationId: string | undefined): Call | undefined {
    return operationId ? [...this.#calls.values()].find((c) => c.operationId === operationId || c.escalation?.operationId === operationId) : undefined
  }

  async #onEvents(events: UcwaEvent[]): Promise<void> {
    for (const e of events) {
      try {
        await this.#onEvent(e)
      } catch {
        // one bad event must not stop the others; the call it concerns ends on its own events
      }
    }
  }

  async #onEvent(e: UcwaEvent): Promise<void> {
    const res = e.embedded
    if (e.link.rel === 'audioVideoInvitation' && e.type === 'started' && res) return this.#invitationStarted(res)
    if (e.link.rel === 'audioVideoRenegotiation' && res) return this.#renegotiation(e, res)
    if (e.link.rel === 'audioVideoNegotiation' && res) return this.#negotiation(e.sender.href, res)
    if (e.link.rel === 'audioVideoInvitation' && e.type === 'completed') return this.#invitationCompleted(e)
    if (e.link.rel === 'audioVideo' && e.type === 'updated') return res ? this.#audioVideoUpdated(e, res) : this.#audioVideoGone(e)
    if (Roster.rels.has(e.link.rel)) return this.#byConversation(e.sender.href)?.roster.onEvent(e)
    if (e.link.rel === 'participantInvitation' && e.type === 'completed') this.#ops.settle(prop(res, 'operationId'))
    // a Canceled one is ours (the escalation it waited for was given up): the notice already says why
    if (e.link.rel === 'participantInvitation' && e.type === 'completed' && e.status === 'Failure' && e.reason?.subcode !== 'Canceled') {
      const call = [...this.#calls.values()].find((c) => c.conversationHref && e.embedded && link(e.embedded, 'conversation') === c.conversationHref)
      if (call) {
        call.notice = reasonError(e.reason).message
        this.#changed(call)
      }
      return
    }
    if ((e.link.rel === 'conversation' || e.link.rel === 'audioVideoSession') && res) {
      const call = [...this.#calls.values()].find((c) => c.conversationHref === e.link.href || (c.audioVideoHref && link(res, 'audioVideo') === c.audioVideoHref))
      if (call) this.#learnLinks(call, res)
    }
    if (e.link.rel === 'conversation' && e.type === 'updated' && prop(res, 'state') === 'Conferenced') {
      const call = [...this.#calls.values()].find((c) => c.conversationHref === e.link.href)
      if (call && !call.conference) {
        call.conference = true
        if (res) {
          call.roster.localHref = link(res, 'localParticipant') ?? call.roster.localHref
          this.#fillRoster(call, res).catch(() => {}) // a failed read leaves the roster to the events that follow
        }
        if (call.machine.state === 'connected') this.#go(call, 'conference')
        else this.#changed(call)
      }
      return
    }
    if (e.link.rel === 'conversation' && e.type === 'deleted') {
      const call = [...this.#calls.values()].find((c) => c.conversationHref === e.link.href)
      if (call) this.#end(call, { code: 'Informational', subcode: 'CallTerminated', message: userMessage('Informational', 'CallTerminated') })
    }
  }

  async #invitationStarted(inv: Resource): Promise<void> {
    const direction = prop(inv, 'direction')
    if (direction === 'Outgoing') {
      const call = this.#byOperation(prop(inv, 'operationId'))
      if (call?.escalation && call.escalation.operationId === prop(inv, 'operationId')) call.escalation.invitationHref = inv.href
      else if (call && !call.invitationHref) this.#learnInvitation(call, inv)
      return
    }
    const offerHref = link(inv, 'mediaOffer')
    const offer = offerHref ? decodeData(offerHref) : null
    const replaces = link(inv, 'replacesAudioVideo')
    const moving = replaces ? [...this.#calls.values()].find((c) => c.audioVideoHref === replaces) : undefined
    if (moving && offer) {
      // the other side escalated: we are moved into the same conference, make before break
      moving.escalation = { operationId: short(), invitationHref: inv.href }
      if (moving.machine.state === 'connected') this.#go(moving, 'escalating')
      this.#ops.begin(moving.escalation.operationId, 'escalation', moving.id)
      const answer = await this.media.createAnswer(moving.id, offer, 'conference')
      await this.client.http.post(link(inv, 'acceptWithAnswer')!, answer, { type: 'sdp', query: { sessionContext: moving.sessionContext } })
      return
    }
    if (!offer) return
    const from = inv.embedded.from?.[0]
    const call = this.#add(
      {
        direction: 'incoming',
        remote: { name: prop(from, 'name') ?? prop(from, 'uri') ?? 'Unknown caller', uri: prop(from, 'uri') ?? '' },
        subject: prop(inv, 'subject') ?? '',
        state: 'ringing',
      },
      (call) => {
        call.offer = offer
        call.acceptHref = link(inv, 'acceptWithAnswer')
        call.declineHref = link(inv, 'decline')
        this.#learnInvitation(call, inv)
      },
    )
    const early = link(inv, 'sendProvisionalAnswer')
    if (early && this.media.createProvisionalAnswer) call.early = this.#sendEarly(call, early, offer)
  }

  /** sendProvisionalAnswer_ref.md: early media negotiation while ringing; a failure only loses the head start. */
  async #sendEarly(call: Call, href: string, offer: string): Promise<void> {
    try {
      const sdp = await Promise.race([this.media.createProvisionalAnswer!(call.id, offer), call.ended])
      if (sdp === null || call.machine.state !== 'ringing') return
      await this.client.http.post(href, sdp, { type: 'sdp', query: { sessionContext: call.sessionContext } })
    } catch {
      // the final answer still connects the call, only later
    }
  }

  #negotiation(senderHref: string, neg: Resource): void {
    const call = this.#byInvitation(senderHref)
    if (!call) return
    const escalation = call.escalation?.invitationHref === senderHref
    const final = link(neg, 'mediaAnswer')
    const provisional = link(neg, 'mediaProvisionalAnswer')
    const sdp = decodeData(final ?? provisional ?? '')
    if (!sdp || call.answeredBy.has(senderHref)) return
    if (final) call.answeredBy.add(senderHref)
    this.media.applyAnswer(call.id, sdp, { provisional: !final, purpose: escalation ? 'escalation' : 'call' })
    if (!escalation && !final && call.machine.state === 'calling') this.#go(call, 'early-media')
  }

  #invitationCompleted(e: UcwaEvent): void {
    const call = this.#byInvitation(e.link.href)
    if (!call) return
    const escalation = call.escalation?.invitationHref === e.link.href
    this.#ops.settle(escalation ? call.escalation!.operationId : call.operationId)
    if (e.status === 'Success') {
      if (escalation) {
        call.conference = true
        call.escalation = undefined
        this.#go(call, 'conference')
        this.media.close(call.id, 'p2p') // both sides are in the conference: break the P2P connection
      } else if (call.machine.state !== 'connected' && call.machine.state !== 'conference') {
        this.#go(call, call.conference ? 'conference' : 'connected')
      }
      return
    }
    if (escalation) {
      // EscalationFailed: the P2P call goes on as it was
      call.escalation = undefined
      call.wantsEscalation = false
      // the escalating side gave up (cancel): the moved side reads why the conference did not happen, not "cancelled"
      call.notice = e.reason?.subcode === 'Canceled' ? userMessage('ServiceFailure', 'EscalationFailed') : reasonError(e.reason).message
      this.media.close(call.id, 'conference')
      if (call.machine.state === 'escalating') this.#go(call, 'connected')
      else this.#changed(call)
      return
    }
    this.#end(call, reasonError(e.reason, 'RemoteFailure'))
  }

  async #renegotiation(e: UcwaEvent, r: Resource): Promise<void> {
    const call = [...this.#calls.values()].find((c) => c.conversationHref === link(r, 'conversation'))
    if (!call) return
    if (prop(r, 'direction') === 'Outgoing') {
      if (e.type !== 'completed' || !call.renegotiation || prop(r, 'operationId') !== call.renegotiation.operationId) return
      const { change } = call.renegotiation
      this.#ops.settle(call.renegotiation.operationId)
      call.renegotiation = undefined
      const answer = decodeData(link(r, 'mediaAnswer') ?? '')
      if (call.notice === timedOut.change) call.notice = undefined
      if (e.status === 'Success' && answer) {
        this.media.applyReanswer(call.id, answer)
        if (change === 'hold' || change === 'resume') call.held = change === 'hold'
        else call.sendingVideo = change === 'video-on'
      } else if (e.reason?.subcode === 'Declined') call.notice = `${call.remote.name} could not take that change. The call goes on as it was.`
      else call.notice = reasonError(e.reason).message
      return this.#changed(call)
    }
    if (e.type !== 'started') return
    const offer = decodeData(link(r, 'mediaOffer') ?? '')
    const answerHref = link(r, 'answer')
    if (!offer || !answerHref) return
    let answer: string
    try {
      answer = await this.media.answerReoffer(call.id, offer)
    } catch {
      // our side cannot take the change: say so at once (dismiss) rather than leave the other side waiting
      const dismiss = link(r, 'dismiss')
      if (dismiss) await this.client.http.post(dismiss, { reason: 'InvalidMediaOffer' })
      return
    }
    await this.client.http.post(answerHref, answer, { type: 'sdp' })
    call.remoteHeld = isHold(offer)
    this.#changed(call)
  }

  /** A link-only audioVideo update whose resource could not be read (the conversation already gone): its reason ends the call. */
  #audioVideoGone(e: UcwaEvent): void {
    const call = [...this.#calls.values()].find((c) => c.audioVideoHref === e.link.href)
    if (call && e.reason && call.machine.state !== 'ending') this.#end(call, reasonError(e.reason, 'Informational'))
  }

  async #audioVideoUpdated(e: UcwaEvent, av: Resource): Promise<void> {
    const call = [...this.#calls.values()].find((c) => c.audioVideoHref === e.link.href)
    if (!call) return
    this.#learnLinks(call, av)
    const escalate = link(av, 'escalateAudioVideo')
    if (escalate && call.wantsEscalation) {
      call.wantsEscalation = false
      call.escalation = { operationId: short() }
      this.#ops.begin(call.escalation.operationId, 'escalation', call.id)
      try {
        const offer = await this.media.createOffer(call.id, 'escalation')
        const inv = await this.client.http.post(escalate, offer, { type: 'sdp', query: { operationId: call.escalation.operationId, sessionContext: short() } })
        if (inv && call.escalation) call.escalation.invitationHref = inv.href
      } catch (error) {
        // the P2P call goes on; the person is told why the conference did not happen
        if (call.escalation) this.#ops.settle(call.escalation.operationId)
        call.escalation = undefined
        call.notice = error instanceof UcwaError ? error.message : userMessage('ServiceFailure', 'EscalationFailed')
        this.media.close(call.id, 'conference')
        if (call.machine.state === 'escalating') this.#go(call, 'connected')
      }
      return
    }
    if (prop(av, 'state') === 'Disconnected' && e.reason && call.machine.state !== 'ending') this.#end(call, reasonError(e.reason, 'Informational'))
  }
}

/** An offer that sends nothing (every section inactive or receive-only from us): the other side is holding. */
function isHold(offer: string): boolean {
  const media = sdpTransform.parse(offer).media.filter((m) => m.port !== 0)
  return media.length > 0 && media.every((m) => m.direction === 'inactive' || m.direction === 'sendonly')
}

function decodeData(href: string): string | null {
  const m = /^data:application\/sdp(;base64)?,(.*)$/s.exec(href)
  if (!m) return null
  return m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!)
}

function snapshot(c: Call): CallSnapshot {
  return {
    id: c.id,
    state: c.machine.state,
    direction: c.direction,
    remote: c.remote,
    subject: c.subject,
    participants: c.roster.list(),
    conference: c.conference,
    startedAt: c.startedAt,
    ...(c.connectedAt && { connectedAt: c.connectedAt }),
    ...(c.endReason && { endReason: c.endReason }),
    ...(c.notice && { notice: c.notice }),
    held: c.held,
    remoteHeld: c.remoteHeld,
    sendingVideo: c.sendingVideo,
    audioMuted: c.roster.muted.audio,
    videoMuted: c.roster.muted.video,
  }
}
