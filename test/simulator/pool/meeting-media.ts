// Audio and video in an online meeting (addAudioVideo_ref.md): the member's offer goes to the conference unit, the
// answer comes back as audioVideoNegotiation, as escalation does (conferencing.ts); the unit runs apart (conference/unit.ts).
import { UnitRefusal } from '../conference/sfb-admission'
import type { MediaUnit } from '../conference/unit'
import { SimError } from '../http/errors'
import type { Application } from './application'
import { outgoingInvitation, type Conversation, type Invitation } from './conversation'
import type { MeetingJoins, Member, Room } from './meeting-joins'
import { meetingUri } from './meetings'
import { reasons } from './reasons'
import { audioVideoRes, audioVideoSessionRes, conversationRes, invitationRes, negotiationRes, participantMediaRes } from './render'

/** what an ejected member's audioVideo says (ErrorSubcode_ref.md has no subcode for it: CallTerminated, as a hang-up) */
const ejectedReason = { code: 'Informational', subcode: 'CallTerminated', message: 'A leader removed you from the meeting.' }

export class MeetingMedia {
  #next = 1

  constructor(
    private readonly joins: MeetingJoins,
    private readonly unit: MediaUnit,
    private readonly ids: { id(): string },
  ) {}

  /** POST addAudioVideo on a meeting conversation: an outgoing audioVideoInvitation to the meeting; 409 when not admitted or already in. */
  add(app: Application, c: Conversation, offer: string, operationId?: string, sessionContext?: string, offerType?: string): Invitation {
    const found = this.joins.roomOf(app, c)
    if (!found || found.member.inLobby) throw new SimError(409, undefined, 'Audio and video join once the meeting has let you in.', 'Conflict')
    if (c.audioVideo.state !== 'Disconnected') throw new SimError(409, 'AlreadyExists', 'Audio and video are already in this meeting.', 'Conflict')
    const { room, member } = found
    const inv = outgoingInvitation(this.ids.id(), app, c, meetingUri(room.meeting), offer, operationId, sessionContext)
    inv.mediaOfferType = offerType
    c.audioVideo.state = 'Connecting'
    app.emitResource(app.communicationSender(), 'started', invitationRes(app, inv))
    void this.#connect(room, member, inv)
    return inv
  }

  /** stopAudioVideo in a meeting: this member's media leaves; the others see its audio and video go. */
  async stop(app: Application, c: Conversation): Promise<void> {
    const found = this.joins.roomOf(app, c)
    if (!found || !found.room.sources.has(app.id)) throw new SimError(404, undefined, 'Call not found.')
    const { room } = found
    room.sources.delete(app.id)
    await room.media?.leave(app.id)
    c.audioVideo.state = 'Disconnected'
    c.session = undefined
    app.emitResource(sender(app, c), 'updated', audioVideoRes(app, c), { reason: reasons.left })
    for (const other of this.#inMedia(room).filter((m) => m.app !== app)) {
      for (const kind of ['audio', 'video'] as const) {
        other.app.emit(sender(other.app, other.c), { type: 'deleted', link: { rel: `participant${kind === 'audio' ? 'Audio' : 'Video'}`, href: participantMediaRes(other.app, other.c, app.user, kind).href } })
      }
    }
  }

  /** muteAudio/muteVideo in a meeting: the member itself or a leader; every member in media sees it (participantAudio/Video). */
  setMuted(app: Application, c: Conversation, sip: string, kind: 'audio' | 'video', muted: boolean): void {
    const found = this.joins.roomOf(app, c)
    const target = found && [...found.room.members.values()].find((m) => m.app.user.sip === sip && found.room.sources.has(m.app.id))
    if (!found || !target) throw new SimError(404, undefined, 'No such participant media.')
    if (target !== found.member && !c.mayMute?.(target.app.user)) throw new SimError(403, undefined, 'Only a leader mutes someone else.', 'Forbidden')
    const { room } = found
    // enableAudienceMuteLock_ref.md: the lock "will mute attendees and prevent them from unmuting themselves"
    if (!muted && kind === 'audio' && room.audienceLocked && target.role === 'Attendee' && target === found.member) throw new SimError(403, undefined, 'A leader has muted the audience.', 'Forbidden')
    const set = room.muted.get(target.app.id) ?? new Set()
    if (set.has(kind) === muted) return
    if (muted) set.add(kind)
    else set.delete(kind)
    room.muted.set(target.app.id, set)
    // video keeps flowing (black frames), as in escalated conferences: only audio stops at the unit
    if (kind === 'audio') room.media?.setMuted(target.app.id, kind, muted)
    for (const m of this.#inMedia(room)) m.app.emitResource(sender(m.app, m.c), 'updated', participantMediaRes(m.app, m.c, target.app.user, kind))
  }

  /**
   * enableAudienceMuteLock / disableAudienceMuteLock (enableAudienceMuteLock_ref.md): a leader's; 204. Enabling mutes every
   * attendee in media (each member sees it); every member's conversation shows the new audienceMute. 409 AlreadyExists
   * when it already is so (the page's Conflict).
   */
  setAudienceLock(app: Application, c: Conversation, locked: boolean): void {
    const found = this.joins.roomOf(app, c)
    if (!found || found.member.inLobby) throw new SimError(404, undefined, 'The conversation is no meeting of yours.')
    if (found.member.role !== 'Leader') throw new SimError(403, undefined, 'Only a leader mutes the audience.', 'Forbidden')
    const { room } = found
    if (!!room.audienceLocked === locked) throw new SimError(409, 'AlreadyExists', `The audience mute lock is already ${locked ? 'on' : 'off'}.`, 'Conflict')
    room.audienceLocked = locked
    if (locked) {
      for (const m of this.#inMedia(room).filter((x) => x.role === 'Attendee' && !room.muted.get(x.app.id)?.has('audio'))) {
        room.muted.set(m.app.id, new Set([...(room.muted.get(m.app.id) ?? []), 'audio']))
        room.media?.setMuted(m.app.id, 'audio', true)
        for (const viewer of this.#inMedia(room)) viewer.app.emitResource(sender(viewer.app, viewer.c), 'updated', participantMediaRes(viewer.app, viewer.c, m.app.user, 'audio'))
      }
    }
    for (const m of [...room.members.values()].filter((x) => !x.inLobby)) m.app.emitResource(m.app.communicationSender(), 'updated', conversationRes(m.app, m.c))
  }

  /** A member ejected (meeting-joins.ts): its media leaves the unit and the others' rosters. */
  ejected(room: Room, member: Member): void {
    if (!room.sources.delete(member.app.id)) return
    void room.media?.leave(member.app.id).catch(() => {})
    member.c.audioVideo.state = 'Disconnected'
    member.app.emitResource(sender(member.app, member.c), 'updated', audioVideoRes(member.app, member.c), { reason: ejectedReason })
    for (const other of this.#inMedia(room)) {
      for (const kind of ['audio', 'video'] as const) {
        other.app.emit(sender(other.app, other.c), { type: 'deleted', link: { rel: `participant${kind === 'audio' ? 'Audio' : 'Video'}`, href: participantMediaRes(other.app, other.c, member.app.user, kind).href } })
      }
    }
    member.c.session = undefined
  }

  async #connect(room: Room, member: Member, inv: Invitation): Promise<void> {
    const { app, c } = member
    try {
      room.media ??= this.unit.open(`meeting-${room.meeting.id}`)
      const n = this.#next++
      const sources = { audio: n * 100, video: n * 100 + 1 }
      const joined = await room.media.joinWithOffer(app.id, inv.mediaOffer, sources, inv.mediaOfferType)
      // the part the unit took of a multipart offer, shown as msAcceptedContentId (audioVideoNegotiation)
      inv.negotiation = { answer: joined.answer, remoteEndpoint: meetingUri(room.meeting), sessionContext: inv.sessionContext ?? '', ...(joined.processedOfferId && { acceptedContentId: joined.processedOfferId }) }
      app.emitResource({ rel: 'audioVideoInvitation', href: app.href(`/communication/invitations/${inv.id}`) }, 'updated', negotiationRes(app, inv))
      await joined.connected
      room.sources.set(app.id, sources)
      inv.state = 'Connected'
      c.audioVideo.state = 'Connected'
      c.session = { id: this.ids.id(), state: 'Established', remoteEndpoint: meetingUri(room.meeting), sessionContext: inv.sessionContext ?? '' }
      app.emitResource(app.communicationSender(), 'added', audioVideoSessionRes(app, c))
      app.emitResource(sender(app, c), 'updated', audioVideoRes(app, c))
      app.emitResource(app.communicationSender(), 'completed', invitationRes(app, inv), { status: 'Success' })
      app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
      // each member in media learns of the newcomer's audio and video, and the newcomer of theirs (and its own)
      for (const other of this.#inMedia(room)) {
        for (const kind of ['audio', 'video'] as const) {
          if (other !== member) other.app.emitResource(sender(other.app, other.c), 'added', participantMediaRes(other.app, other.c, app.user, kind))
          app.emitResource(sender(app, c), 'added', participantMediaRes(app, c, other.app.user, kind))
        }
      }
    } catch (e) {
      inv.state = 'Failed'
      c.audioVideo.state = 'Disconnected'
      await room.media?.leave(app.id).catch(() => {})
      app.emitResource(app.communicationSender(), 'completed', invitationRes(app, inv), {
        status: 'Failure',
        reason: e instanceof UnitRefusal ? e.reason : { code: 'ServiceFailure', subcode: 'InvalidMediaDescription', message: `The meeting could not take this media description. ${(e as Error).message}` },
      })
    }
  }

  #inMedia(room: Room): Member[] {
    return [...room.members.values()].filter((m) => room.sources.has(m.app.id))
  }
}

function sender(app: Application, c: Conversation): { rel: string; href: string } {
  return { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) }
}
