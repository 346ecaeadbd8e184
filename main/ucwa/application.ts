// The application resource (application_ref.md) and what hangs on its `me` (me_ref.md): created at sign-in and recovery.
import { UcwaError, userMessage } from './errors'
import type { UcwaHttp } from './http'
import { embedded, link, prop, type Resource } from './resource'
import type { Availability, Me } from './types'

/** what the application resource is created with (application_ref.md's POST body) */
export interface ApplicationIdentity {
  userAgent?: string
  endpointId: string
  culture?: string
}

/**
 * Creates the application (POST on `applicationsHref`, application_ref.md) and makes me available for audio, video and
 * messaging (makeMeAvailable_ref.md; 409 AlreadyExists: it already was). Throws UcwaError: 201 BadResponse when the pool
 * answered no resource, else the pool's error.
 */
export async function createApplication(http: UcwaHttp, applicationsHref: string, identity: ApplicationIdentity): Promise<{ app: Resource; me: Me }> {
  const app = await http.post(applicationsHref, {
    UserAgent: identity.userAgent ?? 'Parley',
    EndpointId: identity.endpointId,
    Culture: identity.culture ?? 'en-US',
  })
  if (!app) throw new UcwaError({ status: 201, code: 'BadResponse', message: userMessage('BadResponse') })
  const me = embedded(app, 'me')
  return { app, me: { name: prop(me, 'name') ?? '', uri: prop(me, 'uri') ?? '', title: prop(me, 'title'), department: prop(me, 'department') } }
}

/** Makes me available (makeMeAvailable_ref.md) when `me` offers it; an application that already was is fine. */
export async function makeMeAvailable(http: UcwaHttp, app: Resource): Promise<void> {
  const available = link(embedded(app, 'me'), 'makeMeAvailable')
  if (!available) return
  try {
    await http.post(available, { SupportedModalities: ['Audio', 'Video', 'Messaging'], SupportedMessageFormats: ['Plain', 'Html'] })
  } catch (e) {
    if (!(e instanceof UcwaError && e.is('Conflict', 'AlreadyExists'))) throw e
  }
}

/** `href`, or UcwaError Conflict/NotSignedIn when there is no application (or it offers no such link). */
export function need(app: Resource | null, href: string | undefined): string {
  if (!href || !app) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotSignedIn', message: 'Sign in first.' })
  return href
}

/** Tells the pool the person is active (reportMyActivity_ref.md), so it does not turn them Away. No application: nothing. */
export async function reportMyActivity(http: UcwaHttp, app: Resource | null): Promise<void> {
  const href = link(embedded(app ?? undefined, 'me'), 'reportMyActivity') ?? (app ? `${app.href}/me/reportMyActivity` : undefined)
  if (href) await http.post(href)
}

/**
 * Sets my availability (presence_ref.md POST). Throws UcwaError 409 Conflict/MakeMeAvailableRequired when `me` has no
 * presence link yet, Conflict/NotSignedIn without an application.
 */
export async function setMyAvailability(http: UcwaHttp, app: Resource | null, availability: Exclude<Availability, 'Offline'>): Promise<void> {
  const me = await http.get(need(app, link(embedded(app ?? undefined, 'me'), 'self') ?? (app ? `${app.href}/me` : undefined)))
  const presence = link(me, 'presence')
  if (!presence) throw new UcwaError({ status: 409, code: 'Conflict', subcode: 'MakeMeAvailableRequired', message: userMessage('Conflict', 'MakeMeAvailableRequired') })
  await http.post(presence, { availability })
}
