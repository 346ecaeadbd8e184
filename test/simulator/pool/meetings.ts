// Online meetings a pool hosts (myOnlineMeetings_ref.md, myOnlineMeeting_ref.md, onlineMeeting_ref.md, AccessLevel_ref.md):
// each has an organizer, a conference id, a join URL https://meet.<domain>/<organizer>/<id> and a conference URI
// sip:<organizer>;gruu;opaque=app:conf:focus:id:<id> (RootURL.md's format; the myOnlineMeetings sample pairs the two).
import type { Clock } from '../clock'
import { errors, SimError } from '../http/errors'
import type { IdSource } from '../ids'
import type { User } from './directory'

export type AccessLevel = 'Everyone' | 'Invited' | 'Locked' | 'SameEnterprise'
export const accessLevels: AccessLevel[] = ['Everyone', 'Invited', 'Locked', 'SameEnterprise']
export const entryExitAnnouncements = ['Unsupported', 'Disabled', 'Enabled']
export const automaticLeaderAssignments = ['Disabled', 'SameEnterprise', 'Everyone']
export const enabledOrDisabled = ['Disabled', 'Enabled']

export interface Meeting {
  /** onlineMeetingId: the last part of the join URL and of the conference URI */
  id: string
  /** the href segment under myOnlineMeetings */
  key: string
  organizer: User
  subject: string
  description: string
  accessLevel: AccessLevel
  attendees: string[]
  leaders: string[]
  automaticLeaderAssignment: string
  entryExitAnnouncement: string
  lobbyBypassForPhoneUsers: string
  phoneUserAdmission: string
  /** the numeric id people dial in with (conferenceId) */
  conferenceId: string
  expirationTime: number
  /** created by POST without a subject: "Meet now" (an ad hoc meeting) */
  adhoc: boolean
}

export type MeetingInput = Partial<Omit<Meeting, 'id' | 'key' | 'organizer' | 'conferenceId' | 'adhoc'>>

/** myOnlineMeetings_ref.md POST: "If no value is supplied, the expiry time is set to 8 hours." */
const DEFAULT_LIFETIME_MS = 8 * 3600_000
const YEAR_MS = 365 * 24 * 3600_000
/** a real pool's per-organizer cap is a policy; the page names the error (409 TooManyOnlineMeetings) */
export const MAX_MEETINGS_PER_ORGANIZER = 1000

export function meetingUri(m: Meeting): string {
  return `${m.organizer.uri};gruu;opaque=app:conf:focus:id:${m.id}`
}

export function joinUrl(m: Meeting, domain: string): string {
  return `https://meet.${domain}/${m.organizer.sip.split('@')[0]}/${m.id}`
}

/** Who joins: a directory user of this organization (by SIP URI) or a guest (anonmeeting grant). */
export interface Joiner {
  uri: string
  guest: boolean
}

/**
 * Whether a joiner goes straight in or waits in the lobby (AccessLevel_ref.md): Everyone admits all, guests too;
 * SameEnterprise the organization's people; Invited the organization's people the meeting lists (attendees, leaders);
 * Locked only the organizer. The organizer is always admitted. The simulator's users are all of one organization.
 */
export function bypassesLobby(m: Meeting, who: Joiner): boolean {
  const uri = who.uri.toLowerCase()
  if (!who.guest && uri === m.organizer.uri) return true
  switch (m.accessLevel) {
    case 'Everyone':
      return true
    case 'SameEnterprise':
      return !who.guest
    case 'Invited':
      return !who.guest && [...m.attendees, ...m.leaders].includes(uri)
    case 'Locked':
      return false
  }
}

export class Meetings {
  readonly #byId = new Map<string, Meeting>()
  #next = 1

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  of(organizer: User): Meeting[] {
    return [...this.#byId.values()].filter((m) => m.organizer === organizer && m.expirationTime > this.clock.now())
  }

  /** The meeting a conference URI names (case-insensitive as SIP URIs compare), if it exists and has not expired. */
  byUri(uri: string): Meeting | undefined {
    const m = /^sip:([^;]+);gruu;opaque=app:conf:focus:id:([a-z0-9]+)$/i.exec(uri.trim())
    const meeting = m ? this.#byId.get(m[2]!.toUpperCase()) : undefined
    if (!meeting || meeting.organizer.sip !== m![1]!.toLowerCase() || meeting.expirationTime <= this.clock.now()) return undefined
    return meeting
  }

  byKey(organizer: User, key: string): Meeting {
    const m = this.of(organizer).find((x) => x.key === key)
    if (!m) throw errors.notFound('The online meeting does not exist.')
    return m
  }

  create(organizer: User, input: MeetingInput): Meeting {
    if (this.of(organizer).length >= MAX_MEETINGS_PER_ORGANIZER) throw new SimError(409, 'TooManyOnlineMeetings', 'Returned when this user has too many online meetings.', 'Conflict')
    const n = this.#next++
    // ids as a pool writes them (the pages' samples: IB88RLLY, G03W98W4): eight upper-case letters and digits
    const id = this.ids.id().slice(0, 8).toUpperCase()
    const m: Meeting = {
      id,
      key: String(n),
      organizer,
      subject: '',
      description: '',
      // onlineMeetingDefaultValues_ref.md: the administrator's recommended access level; SameEnterprise is its first example
      accessLevel: 'SameEnterprise',
      attendees: [],
      leaders: [],
      automaticLeaderAssignment: 'Disabled',
      entryExitAnnouncement: 'Disabled',
      lobbyBypassForPhoneUsers: 'Disabled',
      phoneUserAdmission: 'Disabled',
      conferenceId: String(1_000_000 + n),
      expirationTime: this.clock.now() + DEFAULT_LIFETIME_MS,
      adhoc: !input.subject,
    }
    this.#apply(m, input)
    this.#byId.set(id, m)
    return m
  }

  update(m: Meeting, input: MeetingInput): Meeting {
    this.#apply(m, input)
    return m
  }

  delete(m: Meeting): void {
    this.#byId.delete(m.id)
  }

  #apply(m: Meeting, input: MeetingInput): void {
    const now = this.clock.now()
    if (input.expirationTime !== undefined && (input.expirationTime < now - YEAR_MS || input.expirationTime > now + 10 * YEAR_MS)) {
      throw errors.parameter('expirationTime must fall between one year before and ten years after the current date and time on the server.')
    }
    Object.assign(m, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)))
  }
}
