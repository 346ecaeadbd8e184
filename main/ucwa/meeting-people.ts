// Who is in an online meeting and who waits, as one member sees them (participant_ref.md: role, inLobby, anonymous;
// admit_ref.md, reject_ref.md, promote_ref.md, demote_ref.md, eject_ref.md; participantAudio_ref.md's muteAudio), and
// the links the pool offers this member on each: a leader gets them, an attendee does not (hrefs followed, never built).
// Not Roster (roster.ts): that is a call's media roster, born and ended with the call; this is the meeting's, from the lobby on.
import type { MeetingMember, MeetingRole, Person } from '../../preload/contract'
import { UcwaError } from './errors'
import type { UcwaEvent } from './events'
import { link, prop, type Resource } from './resource'

export type MeetingAction = 'admit' | 'reject' | 'promote' | 'demote' | 'remove' | 'mute'

interface Someone extends Person {
  role: MeetingRole
  inLobby: boolean
  organizer: boolean
  guest: boolean
  /** admit, reject, promote, demote, eject: as the participant resource offers them now */
  links: Record<string, string | undefined>
}

/** a pool's boolean: JSON true, XML "true" (PayloadFormat.md) */
const yes = (v: unknown): boolean => v === true || v === 'true' || v === 'True'
const roleOf = (r: Resource): MeetingRole => (String(prop(r, 'role') ?? '').toLowerCase() === 'leader' ? 'leader' : 'attendee')
/** the pool's action link per person: eject_ref.md for "remove", participantAudio's muteAudio for "mute" */
const rels: Record<Exclude<MeetingAction, 'mute'>, string> = { admit: 'admit', reject: 'reject', promote: 'promote', demote: 'demote', remove: 'eject' }

export class MeetingPeople {
  /** the event rels whose resource this reads */
  static readonly reads = ['participant', 'localParticipant', 'participantAudio'] as const
  readonly #people = new Map<string, Someone>()
  /** participant href → its muteAudio link (offered to the person itself, and to leaders on others) and whether muted */
  readonly #audio = new Map<string, { mute?: string; muted: boolean }>()
  localHref?: string
  myRole?: MeetingRole

  /** One event sent by the meeting's conversation (the caller checks the sender); others change nothing. False: not ours. */
  onEvent(e: UcwaEvent): boolean {
    const rel = e.link.rel
    if (rel === 'localParticipant') {
      this.localHref = e.link.href
      if (e.embedded) this.myRole = roleOf(e.embedded)
      return true
    }
    if (rel === 'participant') {
      if (e.type === 'deleted') this.#people.delete(e.link.href)
      else if (e.embedded && !yes(prop(e.embedded, 'local'))) this.#person(e.embedded)
      return true
    }
    if (rel === 'participantAudio') {
      const whose = link(e.embedded, 'participant')
      if (e.type === 'deleted') {
        for (const [href] of this.#audio) if (e.link.href.startsWith(`${href}/`)) this.#audio.delete(href)
      } else if (whose) this.#audio.set(whose, { mute: link(e.embedded, 'muteAudio'), muted: yes(prop(e.embedded, 'audioMuted')) })
      return true
    }
    return false
  }

  /** the participants collection's members (participants-read.ts), read once the meeting let us in */
  fill(participants: readonly Resource[]): void {
    for (const p of participants) if (!yes(prop(p, 'local')) && p.href !== this.localHref) this.#person(p)
  }

  /** who waits in the lobby (a leader sees them: lobby_ref.md) */
  lobby(): Person[] {
    return [...this.#people.values()].filter((p) => p.inLobby).map(({ name, uri }) => ({ name, uri }))
  }

  members(): MeetingMember[] {
    return [...this.#people.entries()]
      .filter(([, p]) => !p.inLobby)
      .map(([href, p]) => ({
        name: p.name,
        uri: p.uri,
        role: p.role,
        organizer: p.organizer,
        guest: p.guest,
        can: { promote: !!p.links.promote, demote: !!p.links.demote, remove: !!p.links.eject, mute: !!this.#audio.get(href)?.mute },
      }))
  }

  /** attendees whose microphone I may mute and that are not muted yet: "mute everyone" without an audience lock */
  muteLinksOfAttendees(): string[] {
    return [...this.#people.entries()].filter(([, p]) => !p.inLobby && p.role === 'attendee').flatMap(([href]) => {
      const a = this.#audio.get(href)
      return a?.mute && !a.muted ? [a.mute] : []
    })
  }

  /** The link for a leader's action on someone, by their SIP URI; Conflict/NotALeader when the pool offers none now. */
  linkFor(uri: string, action: MeetingAction): string {
    const found = [...this.#people.entries()].find(([, p]) => p.uri.toLowerCase() === uri.toLowerCase())
    const href = found && (action === 'mute' ? this.#audio.get(found[0])?.mute : found[1].links[rels[action]])
    if (!href) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotALeader', message: action === 'admit' || action === 'reject' ? 'That person is no longer waiting in the lobby, or you are not a leader of this meeting.' : 'Only a leader of this meeting can do that, and not to that person.' })
    return href
  }

  #person(r: Resource): void {
    this.#people.set(r.href, {
      name: prop(r, 'name') || prop(r, 'uri') || 'Someone',
      uri: prop(r, 'uri') ?? '',
      role: roleOf(r),
      inLobby: yes(prop(r, 'inLobby')),
      organizer: yes(prop(r, 'organizer')),
      guest: yes(prop(r, 'anonymous')),
      links: Object.fromEntries(Object.values(rels).map((rel) => [rel, link(r, rel)])),
    })
  }
}
