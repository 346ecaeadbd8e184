// The contract's meetings.* requests over the session's OnlineMeetings; a guest's join signs the session in first with
// the anonmeeting grant (AuthenticationInUCWA.md, RootURL.md's anonymous meeting join flow) and out again at its end.
import type { MeetingSnapshot } from '../../preload/contract'
import { anonMeetingGrant } from '../ucwa/anonymous'
import type { UcwaClient } from '../ucwa/client'
import { UcwaError } from '../ucwa/errors'
import { meetingAddressFromUrl } from '../ucwa/meeting-url'
import type { OnlineMeetings } from '../ucwa/online-meetings'
import type { Handlers } from './dispatcher'
import { placeSignInError } from './sign-in-failure'

type MeetingHandlers = Pick<Handlers, 'meetings.list' | 'meetings.meetNow' | 'meetings.join' | 'meetings.joinAsGuest' | 'meetings.act' | 'meetings.muteEveryone' | 'meetings.allowUnmute' | 'meetings.leave' | 'meetings.invite' | 'meetings.acceptInvitation' | 'meetings.declineInvitation'>

const over: ReadonlySet<MeetingSnapshot['state']> = new Set(['denied', 'failed', 'removed', 'left'])

export interface MeetingRequestDeps {
  client: UcwaClient
  meetings: OnlineMeetings
  /** the discovery URL for an organizer's address (the configured pool, the demo pool), if any */
  discoveryFor: (organizerUri: string) => string | undefined
}

export function meetingRequests({ client, meetings, discoveryFor }: MeetingRequestDeps): MeetingHandlers {
  let guestMeeting: string | null = null
  // a guest's session is for one meeting: when it is over (rejected, removed, left) the guest's application goes
  meetings.onChange((m) => {
    if (m.id !== guestMeeting || !over.has(m.state)) return
    guestMeeting = null
    void client.signOut().catch(() => {})
  })
  return {
    'meetings.list': () => meetings.list(),
    'meetings.meetNow': () => meetings.meetNow(),
    'meetings.join': ({ url }) => meetings.join(url),
    'meetings.joinAsGuest': async ({ url, name, discoveryUrl }) => {
      if (client.state !== 'signed-out') throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'AlreadySignedIn', message: 'You are signed in: join the meeting with your account.' })
      const address = meetingAddressFromUrl(url)
      await client
        .signIn({
          sipAddress: address.organizerUri,
          password: '',
          remember: false,
          guest: true,
          discoveryUrl: discoveryUrl ?? discoveryFor(address.organizerUri),
          grant: (http, challenge, now) => anonMeetingGrant(http, challenge, address, now),
        })
        .catch((e: unknown) => {
          throw placeSignInError(e)
        })
      try {
        const m = await meetings.join(url, { anonymousDisplayName: name })
        guestMeeting = m.id
        return m
      } catch (e) {
        await client.signOut().catch(() => {})
        throw e
      }
    },
    'meetings.act': async ({ meetingId, uri, action }) => (await meetings.act(meetingId, uri, action), null),
    'meetings.muteEveryone': async ({ meetingId }) => (await meetings.muteEveryone(meetingId), null),
    'meetings.allowUnmute': async ({ meetingId }) => (await meetings.allowUnmute(meetingId), null),
    'meetings.leave': async ({ meetingId }) => (await meetings.leave(meetingId), null),
    'meetings.invite': async ({ meetingId, to }) => (await meetings.invite(meetingId, to), null),
    'meetings.acceptInvitation': ({ invitationId }) => meetings.acceptInvitation(invitationId),
    'meetings.declineInvitation': async ({ invitationId }) => (await meetings.declineInvitation(invitationId), null),
  }
}
