// Resources as the reference pages name their properties and links.
import { toDataUrl } from '../../../main/media-bridge/body'
import { sdpDataUrl, UcwaDate, type Link, type Res } from '../http/resource'
import type { Application } from './application'
import type { Conversation, Invitation, ParticipantInvitation, Renegotiation } from './conversation'
import type { User } from './directory'
import { onlineMeetingsRes } from './meeting-render'

const l = (href: string): Link => ({ href })

export function meRes(app: Application): Res {
  const u = app.user
  return {
    rel: 'me',
    href: app.href('/me'),
    props: {
      name: u.name,
      uri: u.uri,
      title: u.title,
      department: u.department,
      company: u.company,
      emailAddresses: [u.sip],
      endpointUri: app.endpointUri,
      workPhoneNumber: u.workPhoneNumber,
    },
    links: {
      makeMeAvailable: app.available ? undefined : l(app.href('/me/makeMeAvailable')),
      presence: app.available ? l(app.href('/me/presence')) : undefined,
      reportMyActivity: app.available ? l(app.href('/me/reportMyActivity')) : undefined,
      note: app.available ? l(app.href('/me/note')) : undefined,
      location: app.available ? l(app.href('/me/location')) : undefined,
      phones: l(app.href('/me/phones')),
      photo: l(app.href(`/photos/${u.sip}`)),
      callForwardingSettings: app.available ? l(app.href('/me/callForwardingSettings')) : undefined,
    },
  }
}

/**
 * What a user's presence shows: an Availability_ref.md member and a well-known activity token (contactPresence_ref.md:
 * "on-the-phone", "off-work"...). Off work is a choice (PreferredAvailability_ref.md) but no availability: it shows as
 * Away with the activity "off-work", as a Skype for Business client shows it.
 */
export function shownPresence(availability: string, inCall: boolean): { availability: string; activity?: string } {
  if (availability === 'Offwork') return { availability: 'Away', activity: 'off-work' }
  return { availability, activity: inCall ? 'on-the-phone' : undefined }
}

export function presenceRes(app: Application): Res {
  return { rel: 'presence', href: app.href('/me/presence'), props: shownPresence(app.availability, app.inCall) }
}

export function peopleRes(app: Application): Res {
  const p = (path: string): Link => l(app.href(`/people${path}`))
  return {
    rel: 'people',
    href: app.href('/people'),
    links: {
      search: p('/search'),
      myContacts: p('/contacts'),
      myGroups: p('/groups'),
      presenceSubscriptions: p('/presenceSubscriptions'),
      subscribedContacts: p('/subscribedContacts'),
    },
  }
}

export function communicationRes(app: Application): Res {
  const c = (path: string): Link => l(app.href(`/communication${path}`))
  return {
    rel: 'communication',
    href: app.href('/communication'),
    props: {
      supportedModalities: app.modalities,
      supportedMessageFormats: ['Plain', 'Html'],
      audioPreference: 'VoipAudio',
      conversationHistory: 'Disabled',
      publishEndpointLocation: false,
      videoBasedScreenSharing: 'Disabled',
    },
    links: {
      conversations: c('/conversations?filter=active'),
      startAudioVideo: c('/startAudioVideo'),
      startMessaging: c('/messagingInvitations'),
      startOnlineMeeting: c('/onlineMeetingInvitations?onlineMeetingUri=adhoc'),
      joinOnlineMeeting: c('/onlineMeetingInvitations'),
      missedItems: c('/missedItems'),
      mediaPolicies: l(app.href('/mediaPolicies')),
    },
  }
}

export function applicationRes(app: Application): Res {
  return {
    rel: 'application',
    href: app.href(),
    // application_ref.md: "only the browser type is supported" (its samples: "Browser")
    props: { culture: app.culture, userAgent: app.userAgent, endpointId: app.endpointId, id: app.id, instanceId: app.instanceId, type: 'Browser' },
    links: {
      policies: l(app.href('/policies')),
      batch: l(app.href('/batch')),
      events: l(app.channel.currentLink),
    },
    embedded: { me: meRes(app), people: peopleRes(app), communication: communicationRes(app), onlineMeetings: onlineMeetingsRes(app) },
  }
}

export function contactRes(app: Application, u: User): Res {
  const p = (path: string): Link => l(app.href(`/people/${u.key}${path}`))
  return {
    rel: 'contact',
    href: app.href(`/people/${u.key}`),
    props: {
      name: u.name,
      uri: u.uri,
      emailAddresses: [u.sip],
      title: u.title,
      department: u.department,
      company: u.company,
      sourceNetwork: 'SameEnterprise',
      type: 'User',
      workPhoneNumber: u.workPhoneNumber,
    },
    links: {
      contactPresence: p('/presence'),
      contactPhoto: p('/photo'),
      contactNote: p('/note'),
      contactLocation: p('/location'),
      contactSupportedModalities: p('/supportedMedia'),
    },
  }
}

/** `lastActive`: ms since the epoch of the contact's last activity on any device, absent when none is signed in. */
export function contactPresenceRes(app: Application, u: User, availability: string, inCall: boolean, lastActive?: number): Res {
  return {
    rel: 'contactPresence',
    href: app.href(`/people/${u.key}/presence`),
    props: {
      ...shownPresence(availability, inCall),
      // ContactDeviceType_ref.md: a desktop or browser client is a "PC"
      deviceType: availability === 'Offline' ? undefined : 'PC',
      lastActive: lastActive === undefined ? undefined : new UcwaDate(lastActive),
    },
  }
}

const convPath = (c: Conversation): string => `/communication/conversations/${c.id}`

/** The other people in this view of the conversation. */
export function remoteUsers(c: Conversation): User[] {
  if (c.conference) return c.conference.members().filter((u) => u.sip !== c.local.sip)
  return c.remoteJoined ? [c.remote] : []
}

export function conversationRes(app: Application, c: Conversation): Res {
  const p = (path: string): Link => l(app.href(`${convPath(c)}${path}`))
  return {
    rel: 'conversation',
    href: app.href(convPath(c)),
    props: {
      state: c.state,
      threadId: c.threadId,
      subject: c.subject,
      importance: c.importance,
      // ConversationModalityType_ref.md: audio and video are two modalities
      activeModalities: [...(c.messaging?.state === 'Connected' ? ['Messaging'] : []), ...(c.audioVideo.state === 'Connected' ? ['Audio', 'Video'] : [])],
      participantCount: remoteUsers(c).length + 1,
      // AudienceMuteLock_ref.md, AudienceMessaging_ref.md: a conference has the lock off and messaging on until a
      // leader changes them (we model no leader); a two-party conversation has no audience, so neither applies
      audienceMute: c.audienceMute?.().state ?? (c.conference ? 'Disabled' : 'Unknown'),
      audienceMessaging: c.conference ? 'Enabled' : 'Unknown',
      recording: false,
      created: new UcwaDate(c.created),
      readLocally: true,
    },
    links: {
      audioVideo: p('/audioVideo'),
      messaging: p('/messaging'),
      participants: p('/participants'),
      localParticipant: l(participantHref(app, c, c.local)),
      // a call once connected; an online meeting once let in (meeting-invites.ts; a guest invites no one)
      addParticipant: (c.participant ? c.state === 'Conferenced' && !app.guest : c.audioVideo.state === 'Connected') ? p('/addParticipant') : undefined,
      // enableAudienceMuteLock_ref.md: "The presence of this resource indicates that the user has the ability to impose a forced mute"
      ...(c.audienceMute?.().leader && { [c.audienceMute().state === 'Enabled' ? 'disableAudienceMuteLock' : 'enableAudienceMuteLock']: p(c.audienceMute().state === 'Enabled' ? '/disableAudienceMuteLock' : '/enableAudienceMuteLock') }),
    },
  }
}

export function participantHref(app: Application, c: Conversation, u: User): string {
  return app.href(`${convPath(c)}/participants/${u.sip}`)
}

export function participantRes(app: Application, c: Conversation, u: User): Res {
  const local = u.sip === c.local.sip
  const href = participantHref(app, c, u)
  const meeting = c.participant?.(u) // an online meeting says role, lobby and the viewer's admit/reject (meeting-joins.ts)
  return {
    rel: local ? 'localParticipant' : 'participant',
    href,
    props: { name: u.name, uri: u.uri, local, anonymous: false, inLobby: false, organizer: false, role: 'Attendee', sourceNetwork: 'SameEnterprise', ...meeting?.props },
    links: {
      ...meeting?.links,
      conversation: l(app.href(convPath(c))),
      // a guest is no contact of the directory, and a guest's view names none
      ...(local ? { me: l(app.href('/me')) } : meeting?.guest || app.guest ? {} : { contact: l(app.href(`/people/${u.key}`)), contactPresence: l(app.href(`/people/${u.key}/presence`)) }),
      participantAudio: l(`${href}/participantAudio`),
      participantVideo: l(`${href}/participantVideo`),
    },
  }
}

export function participantsRes(app: Application, c: Conversation): Res {
  const remote = remoteUsers(c).map((u) => participantRes(app, c, u))
  return {
    rel: 'participants',
    href: app.href(`${convPath(c)}/participants`),
    links: { participant: remote.map((r) => l(r.href)) },
    embedded: { participant: remote },
  }
}

export function audioVideoRes(app: Application, c: Conversation): Res {
  const p = (path: string): Link => l(app.href(`${convPath(c)}/audioVideo${path}`))
  const live = c.audioVideo.state !== 'Disconnected'
  return {
    rel: 'audioVideo',
    href: app.href(`${convPath(c)}/audioVideo`),
    props: { state: c.audioVideo.state },
    links: {
      conversation: l(app.href(convPath(c))),
      stopAudioVideo: live ? p('/stopAudioVideo') : undefined,
      escalateAudioVideo: c.escalationOffered && !c.conference && c.audioVideo.state === 'Connected' ? p('/escalateAudioVideo') : undefined,
      audioVideoSession: c.session ? p('/audioVideoSession') : undefined,
      addAudioVideo: live ? undefined : p('/addAudioVideo'),
    },
  }
}

export function audioVideoSessionRes(app: Application, c: Conversation): Res {
  const s = c.session!
  return {
    rel: 'audioVideoSession',
    href: app.href(`${convPath(c)}/audioVideo/audioVideoSession`),
    props: { state: s.state, remoteEndpoint: s.remoteEndpoint, sessionContext: s.sessionContext },
    links: {
      audioVideo: l(app.href(`${convPath(c)}/audioVideo`)),
      conversation: l(app.href(convPath(c))),
      renegotiations: l(app.href(`${convPath(c)}/audioVideo/audioVideoSession/renegotiations`)),
    },
  }
}

const invPath = (i: Invitation): string => `/communication/invitations/${i.id}`

export function invitationRes(app: Application, i: Invitation): Res {
  const p = (path: string): Link => l(app.href(`${invPath(i)}${path}`))
  const ringing = i.state === 'Connecting' || i.state === 'Alerting'
  const c = i.conversation
  return {
    rel: 'audioVideoInvitation',
    href: app.href(invPath(i)),
    props: {
      direction: i.direction,
      state: i.state,
      importance: i.importance,
      operationId: i.operationId,
      sessionContext: i.sessionContext,
      subject: i.subject,
      threadId: i.threadId,
      to: i.to,
      privateLine: false,
      joinAudioMuted: false,
      joinVideoMuted: false,
    },
    links: {
      mediaOffer: { href: i.mediaOfferType ? toDataUrl(i.mediaOfferType, i.mediaOffer) : sdpDataUrl(i.mediaOffer) },
      conversation: l(app.href(convPath(c))),
      audioVideo: l(app.href(`${convPath(c)}/audioVideo`)),
      from: l(participantHref(app, c, i.from)),
      to: i.direction === 'Outgoing' ? l(app.href(`/people/${c.remote.key}`)) : undefined,
      cancel: i.direction === 'Outgoing' && ringing ? p('/cancel') : undefined,
      acceptWithAnswer: i.direction === 'Incoming' && ringing ? p('/acceptWithAnswer') : undefined,
      sendProvisionalAnswer: i.direction === 'Incoming' && ringing ? p('/sendProvisionalAnswer') : undefined,
      decline: i.direction === 'Incoming' && ringing ? p('/decline') : undefined,
      replacesAudioVideo: i.replaces ? l(app.href(`${convPath(i.replaces)}/audioVideo`)) : undefined,
    },
    // an embedded from is a participant, also when it is me (escalateAudioVideo_ref.md's response, /work/shared/seeds/004)
    embedded: { from: { ...participantRes(app, c, i.from), rel: 'participant' } },
  }
}

export function negotiationRes(app: Application, i: Invitation): Res {
  const n = i.negotiation!
  const c = i.conversation
  return {
    rel: 'audioVideoNegotiation',
    href: app.href(`${invPath(i)}/audioVideoNegotiation`),
    props: { msAcceptedContentId: n.acceptedContentId ?? (n.answer ? 'proposal' : undefined), remoteEndpoint: n.remoteEndpoint, sessionContext: n.sessionContext },
    links: {
      mediaAnswer: n.answer ? { href: sdpDataUrl(n.answer) } : undefined,
      mediaProvisionalAnswer: n.provisionalAnswer ? { href: sdpDataUrl(n.provisionalAnswer) } : undefined,
      audioVideoInvitation: l(app.href(invPath(i))),
      audioVideoSession: c.session ? l(app.href(`${convPath(c)}/audioVideo/audioVideoSession`)) : undefined,
    },
  }
}

export function participantMediaRes(app: Application, c: Conversation, u: User, kind: 'audio' | 'video'): Res {
  const Kind = kind === 'audio' ? 'Audio' : 'Video'
  const href = `${participantHref(app, c, u)}/participant${Kind}`
  const muted = c.conference?.muted(u, kind) ?? false
  const source = c.conference?.source(u, kind)
  // a member mutes itself on the server (muteAudio_ref.md); in an online meeting a leader mutes others too
  const self = u.sip === c.local.sip || c.mayMute?.(u) ? { [muted ? `unmute${Kind}` : `mute${Kind}`]: l(`${href}/${muted ? 'unmute' : 'mute'}${Kind}`) } : {}
  return {
    rel: `participant${Kind}`,
    href,
    // the source id is a string of digits, as in participantVideo_ref.md's samples
    props: { [`${kind}Direction`]: 'SendReceive', [`${kind}Muted`]: muted, ...(source === undefined ? {} : { [`${kind}SourceId`]: String(source) }) },
    links: { participant: l(participantHref(app, c, u)), ...self },
  }
}

export function participantInvitationRes(app: Application, pi: ParticipantInvitation): Res {
  const c = pi.conversation
  return {
    rel: 'participantInvitation',
    href: app.href(`/communication/invitations/${pi.id}`),
    props: { direction: 'Outgoing', state: pi.state, operationId: pi.operationId, to: pi.to, importance: c.importance, subject: c.subject, threadId: c.threadId },
    links: { conversation: l(app.href(convPath(c))), from: l(participantHref(app, c, pi.from)) },
  }
}

export function renegotiationRes(app: Application, c: Conversation, r: Renegotiation, direction: 'Outgoing' | 'Incoming'): Res {
  const base = `${convPath(c)}/audioVideo/audioVideoSession/renegotiations/${r.id}`
  return {
    rel: 'audioVideoRenegotiation',
    href: app.href(base),
    props: { direction, operationId: r.operationId },
    links: {
      mediaOffer: { href: sdpDataUrl(r.offer) },
      mediaAnswer: r.answer ? { href: sdpDataUrl(r.answer) } : undefined,
      answer: direction === 'Incoming' && r.state === 'Pending' ? l(app.href(`${base}/answer`)) : undefined,
      dismiss: direction === 'Incoming' && r.state === 'Pending' ? l(app.href(`${base}/dismiss`)) : undefined,
      audioVideoSession: l(app.href(`${convPath(c)}/audioVideo/audioVideoSession`)),
      conversation: l(app.href(convPath(c))),
    },
  }
}
