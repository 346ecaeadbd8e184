// Online meeting resources as myOnlineMeetings_ref.md, myOnlineMeeting_ref.md and the anonApplications sample show them.
import { UcwaDate, type Link, type Res } from '../http/resource'
import type { Application } from './application'
import type { MeetingInvitation } from './meeting-joins'
import type { IncomingMeetingInvitation } from './meeting-invites'
import { joinUrl, meetingUri, type Meeting } from './meetings'
import { communicationRes } from './render'

const l = (href: string): Link => ({ href })

export function myOnlineMeetingRes(app: Application, m: Meeting, domain: string): Res {
  const uri = meetingUri(m)
  return {
    rel: 'myOnlineMeeting',
    href: app.href(`/onlineMeetings/myOnlineMeetings/${m.key}`),
    props: {
      accessLevel: m.accessLevel,
      attendees: m.attendees,
      automaticLeaderAssignment: m.automaticLeaderAssignment,
      conferenceId: m.conferenceId,
      description: m.description,
      entryExitAnnouncement: m.entryExitAnnouncement,
      expirationTime: new UcwaDate(m.expirationTime),
      joinUrl: joinUrl(m, domain),
      // myOnlineMeeting_ref.md: "The organizer will automatically be added to the leaders list."
      leaders: [m.organizer.uri, ...m.leaders.filter((x) => x.toLowerCase() !== m.organizer.uri)],
      legacyOnlineMeetingUri: `conf:${uri}`,
      lobbyBypassForPhoneUsers: m.lobbyBypassForPhoneUsers,
      onlineMeetingId: m.id,
      onlineMeetingRel: 'myOnlineMeetings',
      onlineMeetingUri: uri,
      organizerUri: m.organizer.uri,
      phoneUserAdmission: m.phoneUserAdmission,
      subject: m.subject,
    },
  }
}

export function myOnlineMeetingsRes(app: Application, meetings: Meeting[], domain: string): Res {
  return {
    rel: 'myOnlineMeetings',
    href: app.href('/onlineMeetings/myOnlineMeetings'),
    embedded: { myOnlineMeeting: meetings.map((m) => myOnlineMeetingRes(app, m, domain)) },
  }
}

/** onlineMeetings_ref.md: the entry point to the user's meetings (a guest has none: no links). */
export function onlineMeetingsRes(app: Application): Res {
  const o = (path: string): Link => l(app.href(`/onlineMeetings${path}`))
  return {
    rel: 'onlineMeetings',
    href: app.href('/onlineMeetings'),
    links: app.guest ? {} : { myOnlineMeetings: o('/myOnlineMeetings') },
  }
}

/** A guest's me: "If an application is created with anonymous credentials, only the user's URI and name are exposed." (MeDashboard.md) */
export function guestMeRes(app: Application): Res {
  return { rel: 'me', href: app.href('/me'), props: { name: app.user.name || undefined, uri: app.user.uri } }
}

/** A guest's application (anonApplications_ref.md): communication and me, no people, no meetings of its own. */
export function guestApplicationRes(app: Application): Res {
  const communication = communicationRes(app)
  // a guest joins the one meeting its grant names; it starts nothing (ErrorSubcode_ref.md AnonymousNotAllowed)
  const { startAudioVideo: _a, startMessaging: _m, startOnlineMeeting: _o, ...links } = communication.links ?? {}
  return {
    rel: 'application',
    href: app.href(),
    props: { culture: app.culture, userAgent: app.userAgent, endpointId: app.endpointId, id: app.id, type: 'Browser' },
    links: { batch: l(app.href('/batch')), events: l(app.channel.currentLink) },
    embedded: { me: guestMeRes(app), communication: { ...communication, links } },
  }
}

/** onlineMeetingInvitation_ref.md: the application's own join, Outgoing, to the meeting's URI. */
export function onlineMeetingInvitationRes(app: Application, i: MeetingInvitation): Res {
  const conv = app.href(`/communication/conversations/${i.conversation.id}`)
  return {
    rel: 'onlineMeetingInvitation',
    href: app.href(`/communication/invitations/${i.id}`),
    props: {
      anonymousDisplayName: i.anonymousDisplayName,
      availableModalities: ['Audio', 'Video'],
      direction: i.from ? 'Incoming' : 'Outgoing',
      importance: i.importance,
      onlineMeetingUri: i.onlineMeetingUri,
      operationId: i.operationId,
      state: i.state,
      subject: i.subject,
      threadId: i.threadId,
      to: i.onlineMeetingUri,
    },
    // cancel while it waits (onlineMeetingInvitation_ref.md): a member in the lobby leaves it
    links: {
      conversation: l(conv),
      ...(i.from && { from: { href: app.href(`/people/${i.from.sip}`), title: i.from.name } }),
      ...(i.state === 'Connecting' && !i.from && { cancel: l(app.href(`/communication/invitations/${i.id}/cancel`)) }),
    },
  }
}

/**
 * An invitation into a meeting, ringing (onlineMeetingInvitation_ref.md, Incoming): the meeting's URI and subject, who
 * sent it (its `from` link, titled with their name as the pool titles a contact's link), accept and decline.
 */
export function incomingMeetingInvitationRes(app: Application, i: IncomingMeetingInvitation): Res {
  const self = `/communication/invitations/${i.id}`
  return {
    rel: 'onlineMeetingInvitation',
    href: app.href(self),
    props: { availableModalities: ['Audio', 'Video'], direction: 'Incoming', importance: 'Normal', onlineMeetingUri: i.onlineMeetingUri, state: i.state, subject: i.subject, to: app.user.uri },
    links: {
      from: { href: app.href(`/people/${i.from.sip}`), title: i.from.name },
      ...(i.state === 'Connecting' && { accept: l(app.href(`${self}/accept`)), decline: l(app.href(`${self}/decline`)) }),
    },
  }
}
