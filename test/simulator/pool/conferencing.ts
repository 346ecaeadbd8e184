// Escalation of a P2P call to a conference and conference membership (escalateAudioVideo_ref.md,
// audioVideoNegotiation_ref.md, addParticipant_ref.md): signalling here, media in the conference unit
// (conference/mcu.ts, run apart from the pool through conference/unit.ts).
import { trace } from '../trace'
import type { MediaSources } from '../conference/forwarding'
import { MediaNegotiationError, type ConferenceMedia } from '../conference/mcu'
import { UnitRefusal } from '../conference/sfb-admission'
import type { MediaUnit } from '../conference/unit'
import { errors, SimError, type Reason } from '../http/errors'
import { reasons } from './reasons'
import type { Application } from './application'
import type { Calls, CallWorld, Leg, P2PCall } from './calls'
import { newConversation, outgoingInvitation, type Conversation, type Invitation, type ParticipantInvitation } from './conversation'
import type { User } from './directory'
import {
  audioVideoRes,
  conversationRes,
  invitationRes,
  negotiationRes,
  participantInvitationRes,
  participantMediaRes,
  participantRes,
} from './render'


interface MemberView {
  app: Application
  conversation: Conversation
}

/** One conference: the media unit plus every member's view of the conversation. */
class Session {
  readonly members = new Map<string, MemberView>()
  readonly focusUri: string
  /** who muted what on the server (muteAudio/muteVideo), by SIP key */
  readonly #muted = new Map<string, Set<'audio' | 'video'>>()
  /** the media source ids the unit stamps on each application's forwarded media (MSIs), given when it is offered in */
  readonly #sources = new Map<string, MediaSources>()
  #nextSource = 1

  constructor(
    readonly conference: ConferenceMedia,
    organizer: User,
  ) {
    this.focusUri = `${organizer.uri};gruu;opaque=app:conf:focus:id:${conference.id}`
  }

  users(): User[] {
    return [...this.members.values()].map((m) => m.app.user)
  }

  /** What a member's conversation says about the conference it is in. */
  view(): NonNullable<Conversation['conference']> {
    return {
      focusUri: this.focusUri,
      members: () => this.users(),
      muted: (u, kind) => !!this.#muted.get(u.sip)?.has(kind),
      // the user's member is the application that answered (an invitation may ring several)
      source: (u, kind) => {
        const member = [...this.members.values()].find((m) => m.app.user.sip === u.sip)
        return member && this.#sources.get(member.app.id)?.[kind]
      },
    }
  }

  /** New MSIs for an application joining (one per kind, as the AVMCU gives each media source its own). */
  sourcesFor(app: Application): MediaSources {
    const n = this.#nextSource++
    const sources = { audio: n * 100, video: n * 100 + 1 }
    this.#sources.set(app.id, sources)
    return sources
  }

  setMuted(u: User, kind: 'audio' | 'video', muted: boolean): boolean {
    const set = this.#muted.get(u.sip) ?? new Set()
    if (set.has(kind) === muted) return false
    if (muted) set.add(kind)
    else set.delete(kind)
    this.#muted.set(u.sip, set)
    return true
  }
}

export class Conferencing {
  readonly #sessions = new Set<Session>()

  constructor(
    private readonly world: CallWorld,
    private readonly calls: Calls,
    private readonly unit: MediaUnit,
  ) {}

  get conferences(): number {
    return this.#sessions.size
  }

  addParticipant(app: Application, c: Conversation, to: string, operationId?: string): ParticipantInvitation {
    const user = this.world.directory.find(to)
    const pi: ParticipantInvitation = { id: this.world.ids.id(), operationId, to: `sip:${to.replace(/^sip:/i, '')}`, state: 'Connecting', from: app.user, conversation: c }
    const session = this.#sessionOf(app)
    if (!session && !this.calls.connectedPeer(c)) throw new SimError(409, undefined, 'Participants can be added to a connected call only.', 'Conflict')
    app.addParticipantInvitation(pi)
    app.emitResource(app.communicationSender(), 'started', participantInvitationRes(app, pi))
    if (!user) {
      this.#finishParticipantInvitation(app, pi, 'Failed', reasons.notFound)
      return pi
    }
    if (session) {
      void this.#invite(session, app, user, pi)
      return pi
    }
    // P2P: first the conversation becomes a conference; the client escalates through the offered link
    c.state = 'Conferencing'
    c.escalationOffered = true
    c.pendingInvitees = [...(c.pendingInvitees ?? []), { user, pi }]
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
    app.emitResource(this.#sender(app, c), 'updated', audioVideoRes(app, c))
    return pi
  }

  escalate(app: Application, c: Conversation, offer: string, operationId: string, sessionContext: string): Invitation {
    if (c.conference) throw errors.conflict('AlreadyExists', 'This conversation is already a conference.')
    const p2p = this.calls.connectedPeer(c)
    if (!p2p) throw new SimError(409, undefined, 'Only a connected peer-to-peer call can be escalated.', 'Conflict')
    const inv = outgoingInvitation(this.world.ids.id(), app, c, app.user.uri, offer, operationId, sessionContext)
    c.state = 'Conferencing'
    app.emitResource(app.communicationSender(), 'started', invitationRes(app, inv))
    void this.#runEscalation(app, c, inv, p2p.peer, p2p.call)
    return inv
  }

  isMember(c: Conversation): boolean {
    return !!c.conference
  }

  /** A member mutes or unmutes itself: the unit stops forwarding its audio and every member's roster shows it. */
  setMuted(app: Application, c: Conversation, sip: string, kind: 'audio' | 'video', muted: boolean): void {
    const session = [...this.#sessions].find((s) => s.members.get(app.id)?.conversation === c)
    if (!session || sip !== app.user.sip) throw errors.notFound('No such participant media.')
    if (!session.setMuted(app.user, kind, muted)) return
    // video keeps flowing: a camera-off client sends black frames, where dropping them would freeze its last picture
    if (kind === 'audio') session.conference.setMuted(app.id, kind, muted)
    for (const m of session.members.values()) m.app.emitResource(this.#sender(m.app, m.conversation), 'updated', participantMediaRes(m.app, m.conversation, app.user, kind))
  }

  /** stopAudioVideo in a conference: this member leaves; the last one left ends it. */
  async leave(app: Application, c: Conversation, reason: Reason = reasons.left): Promise<void> {
    const session = [...this.#sessions].find((s) => s.members.get(app.id)?.conversation === c)
    if (!session) throw new SimError(404, undefined, 'Call not found.')
    session.members.delete(app.id)
    this.#endView(app, c, reason)
    for (const other of session.members.values()) {
      const oc = other.conversation
      other.app.emitResource(this.#sender(other.app, oc), 'deleted', participantRes(other.app, oc, app.user))
      other.app.emitResource(other.app.communicationSender(), 'updated', conversationRes(other.app, oc)) // conversation_ref.md: sent by communication
    }
    await session.conference.leave(app.id)
    if (session.members.size <= 1) {
      for (const last of [...session.members.values()]) {
        session.members.delete(last.app.id)
        this.#endView(last.app, last.conversation, reasons.ended)
      }
      this.#sessions.delete(session)
      await session.conference.close()
    }
  }

  async dropApplication(app: Application): Promise<void> {
    for (const s of [...this.#sessions]) {
      const m = s.members.get(app.id)
      if (m) await this.leave(app, m.conversation).catch(() => {})
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sessions].map((s) => s.conference.close()))
    this.#sessions.clear()
  }

  #sender(app: Application, c: Conversation): { rel: string; href: string } {
    return { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) }
  }

  #sessionOf(app: Application): Session | undefined {
    return [...this.#sessions].find((s) => s.members.has(app.id))
  }

  async #runEscalation(app: Application, c: Conversation, inv: Invitation, peer: Leg, call: P2PCall): Promise<void> {
    const session = new Session(this.unit.open(this.world.ids.id()), app.user)
    let peerInvitation: Invitation | undefined
    // the escalating client may cancel its invitation (cancel link) until both members are in
    const cancelled = new Promise<never>((_, reject) => {
      inv.onCancel = () => {
        if (inv.state !== 'Connecting') throw new SimError(410, undefined, 'The invitation is no longer pending.', 'Gone')
        reject(new Cancelled())
      }
    })
    cancelled.catch(() => {})
    try {
      const joining = session.conference.joinWithOffer(app.id, inv.mediaOffer, session.sourcesFor(app))
      joining.catch(() => {}) // once cancelled, nobody waits for this join: its later failure (the unit stopping) is no one's error
      const joined = await Promise.race([joining, cancelled])
      const negotiation = { provisionalAnswer: joined.answer, remoteEndpoint: session.focusUri, sessionContext: inv.sessionContext ?? '' }
      inv.negotiation = negotiation
      this.#emitNegotiation(app, inv)
      inv.negotiation = { ...negotiation, answer: joined.answer }
      this.#emitNegotiation(app, inv)

      // make before break: the P2P peer is invited to the same conference; the P2P call ends once both are in
      const moved = await this.#offerInvitation(session, peer.app, peer.conversation, app.user, { replaces: peer.conversation })
      peerInvitation = moved.invitation
      trace(`${app.user.uri}: escalation: answered, ${peer.app.user.uri} invited (${peerInvitation.id})`)
      await Promise.race([Promise.all([joined.connected.then(() => trace(`${app.user.uri}: escalation: own media connected`)), moved.joined]), cancelled])
      inv.onCancel = undefined
      trace(`${app.user.uri}: escalation complete`)

      this.calls.retire(call)
      for (const [memberApp, mc, minv] of [
        [app, c, inv],
        [peer.app, peer.conversation, moved.invitation],
      ] as const) {
        mc.conference = session.view()
        mc.escalationOffered = false
        session.members.set(memberApp.id, { app: memberApp, conversation: mc })
        this.#completeJoin(memberApp, mc, minv, session)
      }
      this.#sessions.add(session)
      this.#announce(app, c, peer.app.user, false) // they already see each other as participants
      this.#announce(peer.app, peer.conversation, app.user, false)
      for (const { user, pi } of c.pendingInvitees ?? []) void this.#invite(session, app, user, pi)
      c.pendingInvitees = []
    } catch (e) {
      trace(`${app.user.uri}: escalation failed: ${(e as Error).message}`)
      await session.conference.close()
      inv.onCancel = undefined
      // what the unit refuses in the sfb2015 dialect comes back as its own reason (MediaEncryptionRequired, …)
      const reason = e instanceof Cancelled ? reasons.canceledLocally : e instanceof UnitRefusal ? e.reason : e instanceof MediaNegotiationError || e instanceof SimError ? { ...reasons.escalationFailed, message: `${reasons.escalationFailed.message} ${e.message}` } : reasons.escalationFailed
      this.#escalationFailed(app, c, inv, peerInvitation, peer, reason)
    }
  }

  #escalationFailed(app: Application, c: Conversation, inv: Invitation, peerInv: Invitation | undefined, peer: Leg, reason: Reason): void {
    inv.state = reason === reasons.canceledLocally ? 'Cancelled' : 'Failed'
    app.emitResource(app.communicationSender(), 'completed', invitationRes(app, inv), { status: 'Failure', reason })
    if (peerInv && (peerInv.state === 'Connecting' || peerInv.state === 'Alerting')) {
      peerInv.state = 'Cancelled'
      const told = reason === reasons.canceledLocally ? reasons.canceledByCaller : reason
      peer.app.emitResource(peer.app.communicationSender(), 'completed', invitationRes(peer.app, peerInv), { status: 'Failure', reason: told })
    }
    for (const { pi } of c.pendingInvitees ?? []) this.#finishParticipantInvitation(app, pi, 'Failed', reason)
    c.pendingInvitees = []
    c.escalationOffered = false
    c.state = 'Connected' // the P2P call goes on as it was
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
    app.emitResource(this.#sender(app, c), 'updated', audioVideoRes(app, c))
  }

  /** An incoming invitation carrying the unit's offer; resolves `joined` once the member's media connects. */
  async #offerInvitation(session: Session, app: Application, c: Conversation, from: User, opts: { replaces?: Conversation }): Promise<{ invitation: Invitation; joined: Promise<void> }> {
    const offer = await session.conference.offerTo(app.id, session.sourcesFor(app))
    let settle!: { resolve(): void; reject(e: Error): void }
    /** the provisional answer the unit took, and its connectivity */
    let early: { sdp: string; connected: Promise<void> } | undefined
    const joined = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
    joined.catch(() => {})
    const timer = this.world.clock.setTimeout(() => {
      if (invitation.state !== 'Connecting') return
      invitation.state = 'Failed'
      app.emitResource(app.communicationSender(), 'completed', invitationRes(app, invitation), { status: 'Failure', reason: reasons.missed })
      void offer.cancel()
      settle.reject(new SimError(408, 'Timeout', 'No answer to the conference invitation.', 'Timeout'))
    }, this.world.ringTimeoutMs)
    const invitation: Invitation = {
      id: this.world.ids.id(),
      direction: 'Incoming',
      state: 'Connecting',
      to: app.user.uri,
      subject: c.subject,
      threadId: c.threadId,
      importance: c.importance,
      mediaOffer: offer.offer,
      from,
      conversation: c,
      replaces: opts.replaces,
      handlers: {
        accept: (sdp, sessionContext) => {
          if (invitation.state !== 'Connecting') throw new SimError(410, undefined, 'The invitation is no longer ringing.', 'Gone')
          // RFC 3261 13.2.1: an answer sent in a reliable provisional response is the answer; the final one may not change it
          if (early && early.sdp !== sdp) throw new SimError(400, 'InvalidRequestBody', 'The answer differs from the provisional answer sent for this invitation.', 'BadRequest')
          timer.cancel()
          trace(`${app.user.uri}: conference invitation ${invitation.id} accepted (${early ? 'after a provisional answer' : 'answer only'})`)
          invitation.state = 'Alerting'
          invitation.sessionContext = sessionContext
          // media that never connects ends the accepted invitation with a reason, as a pool does, instead of leaving it answering
          const connected = () => (trace(`${app.user.uri}: conference invitation ${invitation.id}: media connected`), settle.resolve())
          ;(early?.connected ?? offer.complete(sdp).then((r) => r.connected)).then(connected, (e: Error) => {
            trace(`${app.user.uri}: conference invitation ${invitation.id}: media failed: ${e.message}`)
            if (invitation.state === 'Alerting') {
              invitation.state = 'Failed'
              app.emitResource(app.communicationSender(), 'completed', invitationRes(app, invitation), { status: 'Failure', reason: reasons.conferenceMediaFailed })
            }
            settle.reject(e)
          })
        },
        provisional: (sdp) => {
          if (invitation.state !== 'Connecting') throw new SimError(410, undefined, 'The invitation is no longer ringing.', 'Gone')
          // the SfB unit (its offer keyed by SDES), an [MS-SDPEXT] user agent, runs its connectivity checks on the first
          // provisional answer (3.1.5.13); the WebRTC unit (DTLS) takes only the final one, which may add the camera
          if (early || /^a=fingerprint:/m.test(offer.offer)) return
          trace(`${app.user.uri}: conference invitation ${invitation.id}: provisional answer taken, checks start`)
          const connected = offer.complete(sdp).then((r) => r.connected)
          connected.then(() => trace(`${app.user.uri}: conference invitation ${invitation.id}: media connected`), (e: Error) => trace(`${app.user.uri}: conference invitation ${invitation.id}: early media failed: ${e.message}`))
          early = { sdp, connected }
        },
        decline: () => {
          if (invitation.state !== 'Connecting') throw new SimError(410, undefined, 'The invitation is no longer ringing.', 'Gone')
          timer.cancel()
          invitation.state = 'Declined'
          app.emitResource(app.communicationSender(), 'completed', invitationRes(app, invitation), { status: 'Failure', reason: reasons.declined })
          void offer.cancel()
          settle.reject(new SimError(403, 'Declined', 'The invitation was declined.', 'RemoteFailure'))
        },
      },
    }
    app.addInvitation(invitation)
    app.emitResource(app.communicationSender(), 'started', invitationRes(app, invitation))
    return { invitation, joined }
  }

  async #invite(session: Session, inviter: Application, user: User, pi: ParticipantInvitation): Promise<void> {
    const apps = this.world.appsOf(user).filter((a) => a.acceptsAudioVideo && a.availability !== 'DoNotDisturb')
    if (apps.length === 0) return this.#finishParticipantInvitation(inviter, pi, 'Failed', reasons.unreachable)
    const attempts = await Promise.all(
      apps.map(async (app) => {
        const c = this.#conferenceView(app, session, inviter.user)
        const offered = await this.#offerInvitation(session, app, c, inviter.user, {})
        return { app, c, ...offered }
      }),
    )
    const winner = await Promise.any(attempts.map((a) => a.joined.then(() => a))).catch(() => null)
    for (const a of attempts.filter((x) => x !== winner)) {
      if (a.invitation.state === 'Connecting') {
        a.invitation.state = 'Cancelled'
        a.app.emitResource(a.app.communicationSender(), 'completed', invitationRes(a.app, a.invitation), { status: 'Failure', reason: reasons.answeredElsewhere })
      }
      this.#dropView(a.app, a.c)
    }
    if (!winner) {
      const declined = attempts.some((a) => a.invitation.state === 'Declined')
      return this.#finishParticipantInvitation(inviter, pi, declined ? 'Declined' : 'Failed', declined ? reasons.declined : reasons.noAnswer)
    }
    const others = [...session.members.values()]
    session.members.set(winner.app.id, { app: winner.app, conversation: winner.c }) // before the announcements: they name its sources
    for (const m of others) {
      this.#announce(m.app, m.conversation, user, true)
      this.#announce(winner.app, winner.c, m.app.user, false) // its view already lists them
    }
    this.#completeJoin(winner.app, winner.c, winner.invitation, session)
    this.#finishParticipantInvitation(inviter, pi, 'Connected')
  }

  #conferenceView(app: Application, session: Session, inviter: User): Conversation {
    const c = newConversation(app, inviter, {
      id: this.world.ids.id(),
      threadId: this.world.ids.id(),
      subject: '',
      importance: 'Normal',
      state: 'Incoming',
      created: this.world.clock.now(),
      audioVideo: 'Connecting',
      conference: session.view(),
    })
    app.conversations.set(c.id, c)
    app.emitResource(app.communicationSender(), 'added', conversationRes(app, c))
    app.emitResource(this.#sender(app, c), 'added', participantRes(app, c, c.local))
    for (const u of session.users()) app.emitResource(this.#sender(app, c), 'added', participantRes(app, c, u))
    return c
  }

  /** a member joined a conference (world.ts: it learns who uses the conference's IM, participantMessaging_ref.md) */
  onJoined: (app: Application, c: Conversation) => void = () => {}

  #completeJoin(app: Application, c: Conversation, inv: Invitation, session: Session): void {
    inv.state = 'Connected'
    c.state = 'Conferenced'
    c.audioVideo.state = 'Connected'
    // the escalating pair keep their session resource; it now points at the focus (no event: its page lists none)
    c.session = { id: this.world.ids.id(), state: 'Established', remoteEndpoint: session.focusUri, sessionContext: inv.sessionContext ?? '' }
    app.emitResource(this.#sender(app, c), 'updated', audioVideoRes(app, c))
    app.emitResource(app.communicationSender(), 'completed', invitationRes(app, inv), { status: 'Success' })
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
    // the member's own audio and video in the conference, where its mute links are
    app.emitResource(this.#sender(app, c), 'added', participantMediaRes(app, c, app.user, 'audio'))
    app.emitResource(this.#sender(app, c), 'added', participantMediaRes(app, c, app.user, 'video'))
    this.onJoined(app, c)
  }

  /** The viewer learns of a member: participant (unless it already shows) and its participantAudio/Video. */
  #announce(app: Application, c: Conversation, u: User, withParticipant: boolean): void {
    const sender = this.#sender(app, c)
    if (withParticipant) app.emitResource(sender, 'added', participantRes(app, c, u))
    app.emitResource(sender, 'added', participantMediaRes(app, c, u, 'audio'))
    app.emitResource(sender, 'added', participantMediaRes(app, c, u, 'video'))
  }

  #emitNegotiation(app: Application, inv: Invitation): void {
    app.emitResource({ rel: 'audioVideoInvitation', href: app.href(`/communication/invitations/${inv.id}`) }, 'updated', negotiationRes(app, inv))
  }

  #finishParticipantInvitation(app: Application, pi: ParticipantInvitation, state: ParticipantInvitation['state'], reason?: Reason): void {
    pi.state = state
    app.emitResource(app.communicationSender(), 'completed', participantInvitationRes(app, pi), reason ? { status: 'Failure', reason } : { status: 'Success' })
  }

  #endView(app: Application, c: Conversation, reason: Reason): void {
    c.audioVideo.state = 'Disconnected'
    c.state = 'Disconnected'
    app.emitResource(this.#sender(app, c), 'updated', audioVideoRes(app, c), { reason })
    c.session = undefined // without an event (audioVideoSession_ref.md lists none)
    this.#dropView(app, c)
  }

  #dropView(app: Application, c: Conversation): void {
    app.emit(app.communicationSender(), { type: 'deleted', link: { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) } })
    app.conversations.delete(c.id)
  }
}

/** the escalating client cancelled its escalation invitation */
class Cancelled extends Error {}
