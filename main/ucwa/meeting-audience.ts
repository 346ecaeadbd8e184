// A leader muting the audience (AudienceMuteLock_ref.md, enableAudienceMuteLock_ref.md, disableAudienceMuteLock_ref.md),
// or, where the pool offers no lock, each attendee's muteAudio (muteAudio_ref.md): leaders keep talking.
import { UcwaError } from './errors'
import type { UcwaHttp } from './http'
import type { MeetingPeople } from './meeting-people'
import { link, prop, type Resource } from './resource'

/** the conversation's audienceMute and its enable/disable links, as its last event showed them */
export interface Audience {
  locked: boolean
  enable?: string
  disable?: string
}

/** The audience lock of a meeting's conversation resource (conversation_ref.md audienceMute: Enabled or Disabled). */
export function audienceOf(conversation: Resource): Audience {
  return { locked: prop(conversation, 'audienceMute') === 'Enabled', enable: link(conversation, 'enableAudienceMuteLock'), disable: link(conversation, 'disableAudienceMuteLock') }
}

/** The lock where offered, else every unmuted attendee's muteAudio. Conflict/NotALeader for an attendee. */
export async function muteEveryone(http: Pick<UcwaHttp, 'post'>, audience: Audience, people: MeetingPeople): Promise<void> {
  if (audience.enable) return void (await http.post(audience.enable))
  const links = people.muteLinksOfAttendees()
  if (people.myRole !== 'leader') throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'NotALeader', message: 'Only a leader of this meeting can mute everyone.' })
  await Promise.all(links.map((href) => http.post(href)))
}

/** disableAudienceMuteLock: attendees may unmute themselves again. Conflict when there is no lock I can lift. */
export async function allowUnmute(http: Pick<UcwaHttp, 'post'>, audience: Audience): Promise<void> {
  if (!audience.disable) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The audience is not muted by a lock you can lift.' })
  await http.post(audience.disable)
}
