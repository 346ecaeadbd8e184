// The online meetings of a session, from the person's side: Meet now (myOnlineMeetings), join by link, a guest's join,
// the lobby and leading (meeting-people.ts, meeting-audience.ts), invitations sent while no call can follow them
// (meeting-invites.ts), and each meeting's audio and video once it lets us in (the call engine).
// The join itself is MeetingJoin's state machine (meeting-join.ts), fed by the event channel.
import { randomUUID } from 'node:crypto'
import type { MeetingInvitationSnapshot, MeetingSnapshot } from '../../preload/contract'
import { Invitees } from './call/invitees'
import type { CallEngine } from './calls'
import type { UcwaClient } from './client'
import { UcwaError } from './errors'
import type { UcwaEvent } from './events'
import { describe } from './log'
import { invitationSnapshot, MeetingInvitations } from './meeting-invitations'
import { allowUnmute, audienceOf, muteEveryone } from './meeting-audience'
import { cancelJoin, joinOnlineMeeting, MeetingJoin } from './meeting-join'
import { MeetingPeople, type MeetingAction } from './meeting-people'
import { snapshotOf, type MeetingEntry as Entry } from './meeting-snapshot'
import { joinUrlFor, meetingAddressFromUrl } from './meeting-url'
import { readParticipants } from './participants-read'
import { MeetingInvites } from './meeting-invites'
import type { OperationLimits } from './operations'
import { createMeeting } from './meetings'
import { prop } from './resource'

const notFound = () => new UcwaError({ status: 0, code: 'NotFound', message: 'That meeting is no longer open here.' })

export class OnlineMeetings {
  /** the event rels whose resource this reads (EventResources fetches them for link-only pools) */
  static readonly reads: readonly string[] = [...MeetingJoin.reads, ...MeetingPeople.reads, 'participantInvitation']
  readonly #entries = new Map<string, Entry>()
  readonly #invites: MeetingInvites
  readonly #listeners = new Set<(m: MeetingSnapshot) => void>()
  readonly #invitationListeners = new Set<(i: MeetingInvitationSnapshot) => void>()
  readonly #invitations = new MeetingInvitations((i) => this.#invitationListeners.forEach((l) => l(invitationSnapshot(i))))

  constructor(
    private readonly client: UcwaClient,
    private readonly calls: CallEngine,
    private readonly log: (message: string) => void = () => {},
    /** the deadline of an invitation sent outside a call (operations.ts addParticipantMs) */
    inviteLimits: Partial<OperationLimits> = {},
  ) {
    this.#invites = new MeetingInvites(client.http, (id) => this.#entries.get(id), (m) => this.#changed(m as Entry), inviteLimits)
    client.eventResources.read(OnlineMeetings.reads)
    client.on('events', (list) => this.#onEvents(list))
    // the session's end ends its meetings here (the pool drops the application's conversations with it)
    client.machine.onChange((to) => to === 'signed-out' && this.#leaveAll())
    calls.onChange((s) => {
      const entry = [...this.#entries.values()].find((e) => e.callId === s.id)
      if (!entry || entry.left) return
      // ending here first: the person hung up (they left); ended without it: the pool ended it (ejected, meeting over)
      if (s.state === 'ending') entry.leaving = true
      if (s.state !== 'ended') return
      if (entry.leaving) return this.#end(entry)
      entry.callEnded = s.endReason
      this.#changed(entry)
    })
  }

  onChange(listener: (m: MeetingSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** invitations into meetings that ring here (meeting-invitations.ts), on each change of one */
  onInvitation(listener: (i: MeetingInvitationSnapshot) => void): () => void {
    this.#invitationListeners.add(listener)
    return () => this.#invitationListeners.delete(listener)
  }

  /**
   * Accepts a ringing invitation (its accept link, onlineMeetingInvitation_ref.md): the meeting is joined through it, as a
   * join by link is, audio and video once in. NotFound when it no longer rings; the pool's refusal as its UcwaError.
   */
  async acceptInvitation(invitationId: string): Promise<MeetingSnapshot> {
    const inv = this.#ringing(invitationId)
    this.#invitations.answered(inv, 'accepted')
    const entry = this.#newEntry(inv.onlineMeetingUri, { subject: inv.subject, joinUrl: joinUrlFor(inv.onlineMeetingUri) })
    this.#bind(entry, inv.href)
    try {
      await this.client.http.post(inv.accept!)
    } catch (e) {
      this.#entries.delete(entry.id)
      throw e
    }
    this.#changed(entry)
    return snapshotOf(entry)
  }

  /** Declines a ringing invitation (its decline link): the inviter is told it was declined. NotFound when it no longer rings. */
  async declineInvitation(invitationId: string): Promise<void> {
    const inv = this.#ringing(invitationId)
    this.#invitations.answered(inv, 'declined')
    if (inv.decline) await this.client.http.post(inv.decline)
  }

  /**
   * Invites `to` (a SIP address) into a meeting I am in: addParticipant on its conversation (addParticipant_ref.md), through
   * the meeting's call while it has one (the call shows them "calling…" and why an invitation failed), else registered
   * here (meeting-invites.ts: the snapshot's invited and notice). Conflict before I am let in, and while the call still
   * connects; the pool's refusal as its UcwaError.
   */
  async invite(id: string, to: string): Promise<void> {
    const entry = this.#need(id)
    const conversationHref = entry.join?.conversationHref
    if (entry.join?.state !== 'in' || !conversationHref) throw new UcwaError({ status: 0, code: 'Conflict', message: 'Invite people once you are in the meeting.' })
    // a live call follows its own invitations (Conflict while it connects): one owner for each, never two notices
    if (entry.callId && this.calls.get(entry.callId)) return this.calls.addParticipant(entry.callId, to)
    await this.#invites.invite(entry, conversationHref, to)
  }

  #ringing(invitationId: string) {
    const inv = this.#invitations.get(invitationId)
    if (!inv || inv.machine.state !== 'ringing' || !inv.accept) throw new UcwaError({ status: 0, code: 'NotFound', message: 'That invitation is no longer ringing.' })
    return inv
  }

  list(): MeetingSnapshot[] {
    return [...this.#entries.values()].map((e) => snapshotOf(e))
  }

  /** Meet now: an ad hoc meeting (myOnlineMeetings POST, no subject: myOnlineMeetings_ref.md), joined at once. */
  async meetNow(): Promise<MeetingSnapshot> {
    const meeting = await createMeeting(this.client.http, this.#app())
    return this.#join(meeting.onlineMeetingUri, { subject: meeting.subject, joinUrl: meeting.joinUrl })
  }

  /**
   * A meeting link (meeting-url.ts reads it into the conference URI) joined with joinOnlineMeeting; `anonymousDisplayName`
   * for a guest's session. Throws BadRequest/InvalidMeetingUrl, or the pool's 404 DestinationNotFound when the rule's
   * guess names no meeting.
   */
  async join(url: string, o: { anonymousDisplayName?: string } = {}): Promise<MeetingSnapshot> {
    const address = meetingAddressFromUrl(url)
    return this.#join(address.onlineMeetingUri, { joinUrl: joinUrlFor(address.onlineMeetingUri), guest: o.anonymousDisplayName !== undefined, ...o })
  }

  /** A leader's action on one person (meeting-people.ts finds the pool's link for it): 204 from the pool. */
  async act(id: string, uri: string, action: MeetingAction): Promise<void> {
    const entry = this.#need(id)
    await this.client.http.post(entry.people.linkFor(uri, action))
  }

  /** Mutes every attendee (meeting-audience.ts: the audience mute lock where offered, else each one's muteAudio). */
  muteEveryone(id: string): Promise<void> {
    const entry = this.#need(id)
    return muteEveryone(this.client.http, entry.audience, entry.people)
  }

  /** Lifts the audience mute lock (meeting-audience.ts); Conflict when there is none I can lift. */
  allowUnmute(id: string): Promise<void> {
    return allowUnmute(this.client.http, this.#need(id).audience)
  }

  /** Leaving: the meeting's audio and video end (stopAudioVideo through the call engine) and it goes from the list. */
  async leave(id: string): Promise<void> {
    const entry = this.#need(id)
    entry.leaving = true
    const join = entry.join
    entry.left = true // what the pool says of it from now on is the answer to our leaving
    // still waiting (in the lobby, or not answered yet): the join is cancelled, so no leader admits an empty chair
    if (join && (join.state === 'joining' || join.state === 'lobby')) await cancelJoin(this.client.http, join.invitationHref).catch((e: unknown) => this.log(`meeting ${id}: the join could not be cancelled: ${describe(e)}`))
    else if (entry.callId && this.calls.get(entry.callId)) await this.calls.hangUp(entry.callId).catch((e: unknown) => this.log(`meeting ${id}: hang-up: ${describe(e)}`))
    this.#end(entry)
  }

  async #join(onlineMeetingUri: string, o: { subject?: string; joinUrl?: string; guest?: boolean; anonymousDisplayName?: string }): Promise<MeetingSnapshot> {
    const entry = this.#newEntry(onlineMeetingUri, o)
    try {
      const href = await joinOnlineMeeting(this.client.http, this.#app(), { onlineMeetingUri, operationId: entry.operationId, ...(o.anonymousDisplayName && { anonymousDisplayName: o.anonymousDisplayName }) })
      this.#bind(entry, href)
    } catch (e) {
      this.#entries.delete(entry.id)
      throw e
    }
    this.#changed(entry)
    return snapshotOf(entry)
  }

  #newEntry(onlineMeetingUri: string, o: { subject?: string; joinUrl?: string; guest?: boolean }): Entry {
    const entry: Entry = { id: randomUUID(), operationId: randomUUID().replace(/-/g, ''), onlineMeetingUri, subject: o.subject ?? '', joinUrl: o.joinUrl, guest: !!o.guest, people: new MeetingPeople(), invitees: new Invitees(), audience: { locked: false }, left: false }
    this.#entries.set(entry.id, entry)
    return entry
  }

  /** the invitation's href, from the POST's Location or its started event (whichever came first) */
  #bind(entry: Entry, href: string): void {
    if (entry.join) return
    const join = (entry.join = new MeetingJoin(href))
    join.machine.onChange((to) => {
      if (to === 'in') void this.#startMedia(entry)
      this.#changed(entry)
    })
  }

  async #startMedia(entry: Entry): Promise<void> {
    const conversationHref = entry.join?.conversationHref
    if (!conversationHref || entry.left) return
    try {
      // one read of who is in it, for the meeting's people and the call's roster both
      const read = await readParticipants(this.client.http, conversationHref)
      entry.people.fill(read.participants)
      await this.calls.joinMeeting({
        conversationHref,
        read,
        onlineMeetingUri: entry.onlineMeetingUri,
        subject: entry.subject,
        added: (callId) => {
          entry.callId = callId
          this.#changed(entry)
        },
      })
    } catch (e) {
      this.log(`meeting ${entry.id}: audio and video could not join: ${describe(e)}`)
      entry.error = e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: 'The meeting’s audio and video could not start.' })
    }
    this.#changed(entry)
  }

  #onEvents(list: UcwaEvent[]): void {
    const touched = new Set<Entry>()
    for (const e of list) {
      try {
        const invited = this.#invites.onEvent(e, this.#entries.values())
        if (invited) touched.add(invited as Entry)
        if (e.link.rel === 'onlineMeetingInvitation') {
          if (this.#invitations.apply(e)) continue
          const entry = this.#byInvitation(e)
          if (!entry) continue
          this.#bind(entry, e.link.href)
          entry.subject ||= prop(e.embedded, 'subject') ?? ''
          touched.add(entry)
        }
        for (const entry of this.#entries.values()) {
          if (!entry.join || entry.left) continue
          const before = entry.join.state
          entry.join.apply(e)
          const conv = entry.join.conversationHref
          if (conv && e.sender.href === conv && entry.people.onEvent(e)) touched.add(entry)
          if (conv && e.link.rel === 'conversation' && e.link.href === conv && e.embedded) {
            entry.audience = audienceOf(e.embedded)
            touched.add(entry)
          }
          if (entry.join.state !== before) touched.add(entry)
        }
      } catch (error) {
        this.log(`meeting event ${e.type} ${e.link.rel} failed (${e.link.href}): ${describe(error)}`)
      }
    }
    for (const entry of touched) this.#changed(entry)
  }

  #byInvitation(e: UcwaEvent): Entry | undefined {
    const operationId = prop(e.embedded, 'operationId')
    return [...this.#entries.values()].find((x) => x.join?.invitationHref === e.link.href || (!x.join && operationId === x.operationId))
  }

  #end(entry: Entry): void {
    entry.left = true
    this.#changed(entry)
    this.#entries.delete(entry.id)
  }

  #leaveAll(): void {
    for (const entry of [...this.#entries.values()]) this.#end(entry)
  }

  #changed(entry: Entry): void {
    const s = snapshotOf(entry)
    for (const l of this.#listeners) l(s)
  }

  #need(id: string): Entry {
    const entry = this.#entries.get(id)
    if (!entry) throw notFound()
    return entry
  }

  #app() {
    if (!this.client.app) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotSignedIn', message: 'Sign in first.' })
    return this.client.app
  }
}
