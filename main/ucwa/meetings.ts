// The organizer's online meetings (onlineMeetings_ref.md, myOnlineMeetings_ref.md, myOnlineMeeting_ref.md): Meet now
// creates an ad hoc meeting whose join link can be shared; scheduled ones are listed, changed and deleted the same way.
import { UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { embedded, link, prop, type Resource } from './resource'

/** AccessLevel_ref.md: who is admitted without waiting in the lobby. */
export type AccessLevel = 'Everyone' | 'Invited' | 'Locked' | 'SameEnterprise'

export interface OnlineMeeting {
  /** the myOnlineMeeting resource's self link (GET, PUT, DELETE) */
  href: string
  onlineMeetingId: string
  /** the conference URI (joinOnlineMeeting's onlineMeetingUri) */
  onlineMeetingUri: string
  /** the link to share: https://meet.<domain>/<organizer>/<id> */
  joinUrl: string
  organizerUri: string
  subject: string
  accessLevel?: AccessLevel
  leaders: string[]
  attendees: string[]
  /** ms since the epoch; undefined when the pool gave none */
  expiresAt?: number
}

export interface MeetingChoices {
  subject?: string
  description?: string
  accessLevel?: AccessLevel
  /** SIP URIs (sip:name@domain) */
  attendees?: string[]
  leaders?: string[]
  /** ms since the epoch; the pool's default is 8 hours from now (myOnlineMeetings_ref.md) */
  expiresAt?: number
}

/** PayloadFormat.md's dates: JSON `/Date(ms)/`, XML ISO 8601. */
function dateOf(value: string | undefined): number | undefined {
  if (!value) return undefined
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(value)?.[1]
  const t = ms !== undefined ? Number(ms) : Date.parse(value)
  return Number.isFinite(t) ? t : undefined
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [])

/** A myOnlineMeeting resource read; BadResponse when it lacks what a meeting must have. */
export function readMeeting(r: Resource): OnlineMeeting {
  const href = r.href || link(r, 'self')
  const onlineMeetingUri = prop(r, 'onlineMeetingUri')
  const joinUrl = prop(r, 'joinUrl')
  if (!href || !onlineMeetingUri || !joinUrl) throw new UcwaError({ status: 200, code: 'BadResponse', message: userMessage('BadResponse'), debugInfo: { rel: 'myOnlineMeeting' } })
  return {
    href,
    onlineMeetingId: prop(r, 'onlineMeetingId') ?? '',
    onlineMeetingUri,
    joinUrl,
    organizerUri: prop(r, 'organizerUri') ?? '',
    subject: prop(r, 'subject') ?? '',
    accessLevel: prop(r, 'accessLevel') as AccessLevel | undefined,
    leaders: list(prop(r, 'leaders')),
    attendees: list(prop(r, 'attendees')),
    expiresAt: dateOf(prop(r, 'expirationTime')),
  }
}

function body(c: MeetingChoices): Record<string, unknown> {
  return {
    subject: c.subject,
    description: c.description,
    accessLevel: c.accessLevel,
    attendees: c.attendees,
    leaders: c.leaders,
    expirationTime: c.expiresAt === undefined ? undefined : `/Date(${Math.trunc(c.expiresAt)})/`,
  }
}

/** The myOnlineMeetings link of an application (embedded onlineMeetings); Forbidden/AnonymousNotAllowed for a guest's. */
export function myOnlineMeetingsHref(app: Resource): string {
  const href = link(embedded(app, 'onlineMeetings'), 'myOnlineMeetings')
  if (!href) throw new UcwaError({ status: 0, code: 'Forbidden', subcode: 'AnonymousNotAllowed', message: 'This account cannot create online meetings.' })
  return href
}

/** Meet now: POST myOnlineMeetings with no subject unless given; the ad hoc meeting with its join link. */
export async function createMeeting(http: UcwaHttp, app: Resource, choices: MeetingChoices = {}): Promise<OnlineMeeting> {
  const created = await http.post(myOnlineMeetingsHref(app), body(choices))
  if (!created) throw new UcwaError({ status: 201, code: 'BadResponse', message: userMessage('BadResponse') })
  return readMeeting(created)
}

/** GET myOnlineMeetings: the organizer's meetings, ad hoc and scheduled. */
export async function listMeetings(http: UcwaHttp, app: Resource): Promise<OnlineMeeting[]> {
  const all = await http.get(myOnlineMeetingsHref(app))
  return (all.embedded?.myOnlineMeeting ?? []).flat().map(readMeeting)
}

/** PUT myOnlineMeeting with the changed choices; the meeting as the pool now has it. */
export async function updateMeeting(http: UcwaHttp, meeting: OnlineMeeting, choices: MeetingChoices): Promise<OnlineMeeting> {
  const res = http.check(await http.send(meeting.href, { method: 'PUT', body: body(choices) }))
  return readMeeting(http.parse(res))
}

export async function deleteMeeting(http: UcwaHttp, meeting: OnlineMeeting): Promise<void> {
  await http.delete(meeting.href)
}
