// The organizer's side of Meet now (myOnlineMeetings_ref.md, myOnlineMeeting_ref.md): an ad hoc meeting created on the
// pool, whose join link can be shared and whose conference URI is joined at once (online-meetings.ts).
import { UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { embedded, link, prop, type Resource } from './resource'

export interface OnlineMeeting {
  /** the myOnlineMeeting resource's self link */
  href: string
  onlineMeetingId: string
  /** the conference URI (joinOnlineMeeting's onlineMeetingUri) */
  onlineMeetingUri: string
  /** the link to share: https://meet.<domain>/<organizer>/<id> */
  joinUrl: string
  subject: string
}

/** A myOnlineMeeting resource read; BadResponse when it lacks what a meeting must have. */
function readMeeting(r: Resource): OnlineMeeting {
  const href = r.href || link(r, 'self')
  const onlineMeetingUri = prop(r, 'onlineMeetingUri')
  const joinUrl = prop(r, 'joinUrl')
  if (!href || !onlineMeetingUri || !joinUrl) throw new UcwaError({ status: 200, code: 'BadResponse', message: userMessage('BadResponse'), debugInfo: { rel: 'myOnlineMeeting' } })
  return { href, onlineMeetingId: prop(r, 'onlineMeetingId') ?? '', onlineMeetingUri, joinUrl, subject: prop(r, 'subject') ?? '' }
}

/** The myOnlineMeetings link of an application (embedded onlineMeetings); Forbidden/AnonymousNotAllowed for a guest's. */
function myOnlineMeetingsHref(app: Resource): string {
  const href = link(embedded(app, 'onlineMeetings'), 'myOnlineMeetings')
  if (!href) throw new UcwaError({ status: 0, code: 'Forbidden', subcode: 'AnonymousNotAllowed', message: 'This account cannot create online meetings.' })
  return href
}

/**
 * Meet now: POST myOnlineMeetings (myOnlineMeetings_ref.md) with no subject unless given (a meeting's title); the
 * meeting with its join link. Forbidden/AnonymousNotAllowed for a guest; the pool's refusal as its UcwaError.
 */
export async function createMeeting(http: UcwaHttp, app: Resource, choices: { subject?: string } = {}): Promise<OnlineMeeting> {
  const created = await http.post(myOnlineMeetingsHref(app), { subject: choices.subject })
  if (!created) throw new UcwaError({ status: 201, code: 'BadResponse', message: userMessage('BadResponse') })
  return readMeeting(created)
}
