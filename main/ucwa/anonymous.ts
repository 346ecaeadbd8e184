// A guest's grant for one meeting (RootURL.md "Anonymous meeting join flow", AuthenticationInUCWA.md's
// urn:microsoft.rtc:anonmeeting grant): the session signs in with it (main/core/meeting-requests.ts → client.signIn,
// discovery from the organizer's address, then an anonymous application on the organizer's pool: anonApplications_ref.md).
import { grant, type Challenge, type Token } from './auth'
import { UcwaError } from './errors'
import type { UcwaHttp } from './http'
import type { MeetingAddress } from './meeting-url'

const ANON_MEETING_GRANT = 'urn:microsoft.rtc:anonmeeting'

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
