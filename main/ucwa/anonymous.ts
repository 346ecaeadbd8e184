// A guest's way into one meeting (RootURL.md "Anonymous meeting join flow", AuthenticationInUCWA.md's
// urn:microsoft.rtc:anonmeeting grant, anonApplications_ref.md): discovery from the organizer's address, the
// anonmeeting grant with the conference URI and key, then an anonymous application on the organizer's pool.
import { grant, type Challenge, type Token } from './auth'
import { UcwaError, userMessage } from './errors'
import { UcwaHttp, type HttpOptions } from './http'
import { meetingAddressFromUrl, type MeetingAddress } from './meeting-url'
import type { Resource } from './resource'
import { discover } from './sign-in'

export const ANON_MEETING_GRANT = 'urn:microsoft.rtc:anonmeeting'

/**
 * The anonmeeting grant at the challenge's token URL: `password` is the conference key (the conference id, as the
 * page's sample has it) and `ms_rtc_conferenceuri` the conference URI (AuthenticationInUCWA.md).
 * @throws UcwaError Forbidden/GrantNotOffered when the pool does not offer guests a way in; InvalidGrant when the
 *   pool does not know the meeting (the URL rule's guess was wrong, or the meeting ended); Forbidden/InsecureTransport
 *   before sending to a URL without TLS (loopback excepted).
 */
export async function anonMeetingGrant(http: UcwaHttp, challenge: Challenge, meeting: MeetingAddress, now = Date.now()): Promise<Token> {
  const fields = { grant_type: ANON_MEETING_GRANT, password: meeting.conferenceId, ms_rtc_conferenceuri: meeting.onlineMeetingUri }
  try {
    return await grant(http, challenge, fields, 'This meeting server does not let guests join. Ask the organizer to invite you.', now)
  } catch (e) {
    if (e instanceof UcwaError && e.code === 'InvalidGrant') {
      throw new UcwaError({ status: 400, code: 'InvalidGrant', subcode: 'MeetingNotFound', message: 'The meeting server does not know this meeting: check the link, or the meeting may have ended.' })
    }
    throw e
  }
}

export interface GuestOptions {
  /** the join link as pasted or clicked (meeting-url.ts reads it) */
  meetingUrl: string
  /** the name the others see (1–250 characters): joinOnlineMeeting's anonymousDisplayName (onlineMeetingInvitation_ref.md) */
  displayName: string
  /** a discovery URL to use instead of lyncdiscover(internal).<organizer's domain> (a test pool) */
  discoveryUrl?: string
  userAgent?: string
  culture?: string
  http?: Pick<HttpOptions, 'connectTo' | 'ca' | 'format' | 'requestTimeoutMs'>
  now?: () => number
}

export interface GuestApplication {
  meeting: MeetingAddress
  /** for joinOnlineMeeting's anonymousDisplayName, "required for anonymous users" (onlineMeetingInvitation_ref.md) */
  displayName: string
  /** the organizer's pool, where UCWA runs for a guest (RootURL.md) */
  poolOrigin: string
  /** the guest's token: for that pool only; never logged, never leaves main */
  token: Token
  /** the anonymous application (anonApplications_ref.md's response): me with only its URI until it joins, communication */
  application: Resource
  /** requests as this guest (its token, to its pool only) */
  http: UcwaHttp
}

/**
 * Signs a guest in for one meeting: meeting URL → conference URI (meeting-url.ts) → discovery from the organizer's
 * SIP address → the anonmeeting grant → POST anonApplications { culture, userAgent } (the page's whole body). The
 * display name is checked here and kept for joinOnlineMeeting, which carries it (anonymousDisplayName, ≤ 250).
 * @throws UcwaError BadRequest/InvalidMeetingUrl (the link), BadRequest/ParameterValidationFailure (the name),
 *   InvalidGrant/MeetingNotFound, and the discovery errors of sign-in.ts (with debugInfo.step and .host).
 */
export async function signInAsGuest(o: GuestOptions): Promise<GuestApplication> {
  const meeting = meetingAddressFromUrl(o.meetingUrl)
  const displayName = o.displayName.trim()
  if (!displayName || displayName.length > 250) {
    throw new UcwaError({ status: 0, code: 'BadRequest', subcode: 'ParameterValidationFailure', message: 'Enter the name the others will see (up to 250 characters).' })
  }
  let token: Token | null = null
  let poolOrigin = ''
  const http = new UcwaHttp({
    ...o.http,
    token: () => token?.accessToken ?? null,
    allowedOrigins: () => new Set(poolOrigin ? [poolOrigin] : []),
    base: () => poolOrigin,
    userAgent: o.userAgent,
  })
  const now = o.now ?? (() => Date.now())
  const found = await discover(http, {
    sipAddress: meeting.organizerUri,
    password: '',
    discoveryUrl: o.discoveryUrl,
    grant: (h, challenge, at) => anonMeetingGrant(h, challenge, meeting, at),
  }, undefined, now)
  token = found.token
  poolOrigin = found.poolOrigin
  const application = await http.post(found.applicationsHref, { culture: o.culture ?? 'en-US', userAgent: o.userAgent ?? 'Parley' })
  if (!application) throw new UcwaError({ status: 201, code: 'BadResponse', message: userMessage('BadResponse') })
  return { meeting, displayName, poolOrigin, token, application, http }
}
