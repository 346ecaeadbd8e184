// A meeting's join URL → its conference URI (the onlineMeetingUri joinOnlineMeeting and the anonmeeting grant take).
//
// The rule is Lync / Skype for Business Server's "meet" simple URL: a pool publishes meetings under
// https://meet.<SIP domain>/<organizer>/<conference id> (or the pool-relative form https://<host>.<SIP domain>/meet/...),
// where <organizer> is the user part of the organizer's SIP address; the conference URI is then
// `sip:<organizer>@<SIP domain>;gruu;opaque=app:conf:focus:id:<conference id>` (RootURL.md, "Anonymous meeting join
// flow", gives that format; myOnlineMeetings_ref.md's sample pairs joinUrl https://meet.contoso.com/bmauldin/IB88RLLY
// with onlineMeetingUri sip:bmauldin@contoso.com;gruu;opaque=app:conf:focus:id:IB88RLLY).
// It is a guess: an administrator may publish the simple URL under another domain than the SIP domain, or the
// organizer's alias may differ from the SIP user part. A real pool then answers joinOnlineMeeting with
// 404 DestinationNotFound ("The meeting could not be found.", joinOnlineMeeting_ref.md), and a guest's anonmeeting
// grant names a conference the pool does not know, so the caller must show that error rather than retry.
import { UcwaError } from './errors'

export interface MeetingAddress {
  /** the conference URI: `sip:<organizer>@<domain>;gruu;opaque=app:conf:focus:id:<conferenceId>` */
  onlineMeetingUri: string
  /** `sip:<organizer>@<domain>`: where a guest's autodiscovery starts (RootURL.md) */
  organizerUri: string
  /** the SIP domain the rule derived from the URL's host */
  domain: string
  /** the conference id, as the URL spells it */
  conferenceId: string
}

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/
const ORGANIZER = /^[a-z0-9][a-z0-9._+-]{0,63}$/i
const CONFERENCE_ID = /^[a-z0-9]{1,64}$/i

function invalid(message: string): UcwaError {
  return new UcwaError({ status: 0, code: 'BadRequest', subcode: 'InvalidMeetingUrl', message })
}

/** The SIP domain under the simple URL's host: the host without its first label (meet., lync., ...). */
function domainUnder(host: string): string {
  const labels = host.split('.')
  // an IP address has no SIP domain under it: a top-level label is never all digits
  if (labels.length < 3 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1)!)) throw invalid(`${host} is not the address of a meeting server.`)
  return labels.slice(1).join('.')
}

/**
 * Reads a meeting link as a person pastes or clicks it: https only; query and fragment ignored (Outlook adds `?sl=`);
 * a trailing slash ignored; host and organizer compared without case, the conference id kept as written.
 * Accepts https://meet.<domain>/<organizer>/<id> and https://<host>.<domain>/meet/<organizer>/<id>.
 * @throws UcwaError { status 0, code BadRequest, subcode InvalidMeetingUrl } for anything else, including the
 *   dial-in page (https://dialin.<domain>), which names no meeting.
 */
export function meetingAddressFromUrl(text: string): MeetingAddress {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw invalid('That is not a meeting link.')
  }
  if (url.protocol !== 'https:') throw invalid('A meeting link starts with https://.')
  if (url.username || url.password) throw invalid('A meeting link carries no user name or password.')
  const host = url.hostname.toLowerCase()
  const parts = url.pathname.split('/').filter((p, i, all) => p !== '' || (i !== 0 && i !== all.length - 1))
  if (parts.some((p) => p === '')) throw invalid('That meeting link has an empty part in its path.')
  const first = host.split('.')[0]
  if (first === 'dialin') throw invalid('That is the dial-in page of a meeting server, not a meeting. Use the meeting link itself.')
  let path: string[]
  if (first === 'meet') path = parts
  else if (parts[0]?.toLowerCase() === 'meet') path = parts.slice(1)
  else throw invalid(`${host} does not serve meeting links (expected https://meet.<domain>/<organizer>/<id>).`)
  if (path.length !== 2) throw invalid('A meeting link names an organizer and a meeting id: https://meet.<domain>/<organizer>/<id>.')
  const domain = domainUnder(host)
  const [organizerText, conferenceId] = path.map((p) => {
    try {
      return decodeURIComponent(p)
    } catch {
      throw invalid('That meeting link is not encoded correctly.')
    }
  }) as [string, string]
  if (!ORGANIZER.test(organizerText)) throw invalid(`"${organizerText}" is not an organizer's name.`)
  if (!CONFERENCE_ID.test(conferenceId)) throw invalid(`"${conferenceId}" is not a meeting id.`)
  const organizerUri = `sip:${organizerText.toLowerCase()}@${domain}`
  return { onlineMeetingUri: `${organizerUri};gruu;opaque=app:conf:focus:id:${conferenceId}`, organizerUri, domain, conferenceId }
}

/** The join URL a pool publishes for a conference URI (the inverse rule; myOnlineMeetings_ref.md's sample). */
export function joinUrlFor(onlineMeetingUri: string): string {
  const m = /^sip:([^@;]+)@([^;]+);gruu;opaque=app:conf:focus:id:([a-z0-9]+)$/i.exec(onlineMeetingUri)
  if (!m) throw invalid(`${onlineMeetingUri} is not a conference URI.`)
  return `https://meet.${m[2]!.toLowerCase()}/${m[1]!.toLowerCase()}/${m[3]!}`
}
