// The one declaration of the renderer <-> main API: both transports and both sides derive from it.
import * as v from 'valibot'
import { isSecureOrLoopback } from './urls'

export const Theme = v.picklist(['system', 'light', 'dark'])

/** a DNS name as a sign-in domain or a server's host (lower case by the time main keeps it) */
const HostName = v.pipe(v.string(), v.maxLength(253), v.regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, 'Not a server name'))

/** servers outside a sign-in domain the person confirmed for it (RootURL.md step 6): sign-in domain → hosts */
export const TrustedServers = v.pipe(v.record(HostName, v.pipe(v.array(HostName), v.maxLength(16))), v.check((m) => Object.keys(m).length <= 64, 'Too many sign-in domains'))

export const Settings = v.strictObject({
  theme: Theme,
  startWithMicrophoneOff: v.boolean(),
  startWithCameraOff: v.boolean(),
  closeToTray: v.boolean(),
  // chosen devices ('' = the system default)
  cameraId: v.pipe(v.string(), v.maxLength(256)),
  microphoneId: v.pipe(v.string(), v.maxLength(256)),
  speakerId: v.pipe(v.string(), v.maxLength(256)),
  // desktop life
  incomingCallAlert: v.picklist(['auto', 'notification', 'window']),
  startAtLogin: v.boolean(),
  updateChannel: v.picklist(['stable', 'beta']),
  // the person's answers to RootURL.md's domain check, per sign-in domain; removing a host takes its trust back
  trustedServers: TrustedServers,
})
export type Settings = v.InferOutput<typeof Settings>

export const SettingsPatch = v.partial(Settings)

export const KeychainStatus = v.object({
  available: v.boolean(),
  // why the token is kept in memory only, shown to the user
  reason: v.optional(v.string()),
})

export const DemoPool = v.object({
  discoveryUrl: v.string(),
  // made-up demo accounts of the embedded simulator, shown so a person can try the app
  users: v.array(v.object({ sip: v.string(), name: v.string(), password: v.string() })),
})
export type DemoPool = v.InferOutput<typeof DemoPool>

export const UpdateStatus = v.object({
  state: v.picklist(['idle', 'checking', 'up-to-date', 'available', 'downloading', 'ready', 'deferred', 'error']),
  version: v.optional(v.string()),
  percent: v.optional(v.number()),
  message: v.optional(v.string()),
})
export type UpdateStatus = v.InferOutput<typeof UpdateStatus>

export const AppInfo = v.object({
  name: v.string(),
  version: v.string(),
  host: v.picklist(['electron', 'browser']),
  keychain: KeychainStatus,
  /** set when no server is configured and the embedded simulator runs */
  demo: v.nullable(DemoPool),
  /** the discovery URL the installation is configured with (PARLEY_DISCOVERY_URL): sign-in's default */
  discoveryUrl: v.optional(v.nullable(v.string())),
  /** where the log file is (Electron); null in browser mode */
  logFile: v.nullable(v.string()),
})
export type AppInfo = v.InferOutput<typeof AppInfo>

const NoInput = v.optional(v.strictObject({}))

const SipAddress = v.pipe(v.string(), v.trim(), v.maxLength(256), v.regex(/^(sip:)?[^@\s:]+@[a-z0-9.-]+$/i, 'Enter an address like name@company.com'))
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

export const Person = v.object({ name: v.string(), uri: v.string() })
export type Person = v.InferOutput<typeof Person>

/** in that modality and heard/seen, muted there, or not in it at all */
export const ParticipantMedia = v.picklist(['on', 'muted', 'off'])
export type ParticipantMedia = v.InferOutput<typeof ParticipantMedia>
const SourceId = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(0xffffffff)))
/** someone else in the call; in a conference, whether they are heard and seen (participantAudio/participantVideo), and the
 * source ids their forwarded media carries as its CSRC (audioSourceId/videoSourceId) */
export const Participant = v.object({ ...Person.entries, audio: v.optional(ParticipantMedia), video: v.optional(ParticipantMedia), audioSource: SourceId, videoSource: SourceId })
export type Participant = v.InferOutput<typeof Participant>

export const SessionState = v.picklist(['signed-out', 'discovering', 'authenticating', 'creating-application', 'signed-in', 'reconnecting', 'replaced', 'signing-out'])
export type SessionState = v.InferOutput<typeof SessionState>

/** RootURL.md step 6 failed: the sign-in for sipAddress (domain) was sent to host; only the person can say it is theirs */
export const ServerToConfirm = v.object({ host: v.string(), domain: v.string(), sipAddress: v.string() })
export type ServerToConfirm = v.InferOutput<typeof ServerToConfirm>

export const ErrorInfo = v.object({ code: v.string(), subcode: v.optional(v.string()), message: v.string(), confirm: v.optional(ServerToConfirm) })
export type ErrorInfo = v.InferOutput<typeof ErrorInfo>

export const SessionInfo = v.object({
  state: SessionState,
  user: v.nullable(v.object({ name: v.string(), uri: v.string(), title: v.optional(v.string()) })),
  error: v.nullable(ErrorInfo),
})
export type SessionInfo = v.InferOutput<typeof SessionInfo>

export const Availability = v.picklist(['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork', 'Offline'])
export type Availability = v.InferOutput<typeof Availability>

export const Contact = v.object({ name: v.string(), uri: v.string(), title: v.optional(v.string()), department: v.optional(v.string()), availability: v.optional(Availability) })
export type Contact = v.InferOutput<typeof Contact>

export const CallState = v.picklist(['preparing', 'calling', 'early-media', 'ringing', 'answering', 'connected', 'escalating', 'conference', 'ending', 'ended'])
export type CallState = v.InferOutput<typeof CallState>

export const CallSnapshot = v.object({
  id: v.string(),
  state: CallState,
  direction: v.picklist(['outgoing', 'incoming']),
  remote: Person,
  subject: v.string(),
  participants: v.array(Participant),
  conference: v.boolean(),
  startedAt: v.number(),
  connectedAt: v.optional(v.number()),
  endReason: v.optional(ErrorInfo),
  notice: v.optional(v.string()),
  /** I put the call on hold / the other side did */
  held: v.optional(v.boolean()),
  remoteHeld: v.optional(v.boolean()),
  /**
   * no video either way in this two-person call, whatever the camera does: the far side's video could not be taken
   * (main/media-bridge/plan.ts, e.g. RTVideo only; the notice says why). The camera is not offered; absent: video possible.
   */
  videoUnavailable: v.optional(v.boolean()),
  /** my camera is part of the call (P2P: renegotiated) */
  sendingVideo: v.optional(v.boolean()),
  /** I muted my microphone / turned my camera off (a conference's server knows it too) */
  audioMuted: v.optional(v.boolean()),
  videoMuted: v.optional(v.boolean()),
  /** a video call (its offer sends video), not an audio one: the incoming call says so, call back makes the same kind */
  video: v.optional(v.boolean()),
  /** people I invited (Add people) who have not joined yet: shown "calling…" */
  invited: v.optional(v.array(Person)),
})
export type CallSnapshot = v.InferOutput<typeof CallSnapshot>

/** one call in the history: who (everyone of a conference), when (ms since the epoch), how long (s), how it ended */
export const HistoryEntry = v.object({
  id: v.string(),
  direction: v.picklist(['outgoing', 'incoming']),
  people: v.array(Person),
  conference: v.boolean(),
  startedAt: v.number(),
  durationS: v.number(),
  /** answered: it connected; missed: an incoming call that never did (the caller cancelled, nobody answered) */
  outcome: v.picklist(['answered', 'missed', 'declined', 'not-answered']),
  /** how it ended, in words */
  ended: v.string(),
  /** a video call (absent in entries from before this was kept): call back makes the same kind */
  video: v.optional(v.boolean()),
})
export type HistoryEntry = v.InferOutput<typeof HistoryEntry>
export const CallHistory = v.object({ entries: v.array(HistoryEntry), unseenMissed: v.number() })
export type CallHistory = v.InferOutput<typeof CallHistory>

export const MediaRequest = v.object({
  requestId: v.string(),
  callId: v.string(),
  kind: v.picklist(['offer', 'answer']),
  purpose: v.picklist(['call', 'escalation', 'conference', 'renegotiate']),
  offer: v.optional(v.string()),
  /** with purpose renegotiate and kind offer: what the new offer changes */
  change: v.optional(v.picklist(['hold', 'resume', 'video-off', 'video-on'])),
  /** with kind answer: an early answer while ringing, no camera or microphone yet */
  provisional: v.optional(v.boolean()),
})
export type MediaRequest = v.InferOutput<typeof MediaRequest>

// ── Conversations and instant messages (issue #21) ──────────────────────────────────────────────────────────────
/** why something in a chat failed: UCWA's code and subcode (message_ref.md's reason, messagingInvitation's) */
export const ChatFailure = v.object({ code: v.string(), subcode: v.optional(v.string()), message: v.optional(v.string()) })
/** a message as shown: plain text, or HTML main sanitised (DOMPurify) with its text beside it */
export const MessageContent = v.variant('format', [
  v.object({ format: v.literal('text'), text: v.string() }),
  v.object({ format: v.literal('html'), html: v.string(), text: v.string() }),
])
export const ChatMessage = v.object({
  id: v.string(),
  direction: v.picklist(['incoming', 'outgoing']),
  author: Person,
  /** ms since the epoch */
  time: v.number(),
  content: MessageContent,
  status: v.picklist(['sending', 'delivered', 'failed']),
  failure: v.optional(ChatFailure),
})
export type ChatMessage = v.InferOutput<typeof ChatMessage>
/** the messaging modality's states (main/ucwa/messaging.ts) */
export const ChatState = v.picklist(['idle', 'inviting', 'invited', 'connected', 'ended'])
export const ChatSnapshot = v.object({
  id: v.string(),
  state: ChatState,
  /** I started it, or I was invited */
  direction: v.picklist(['outgoing', 'incoming']),
  /** who the chat is with (the first other person; a conference's chat: its organiser's call remote) */
  remote: Person,
  messages: v.array(ChatMessage),
  /** who is typing now (typingParticipants_ref.md) */
  typing: v.array(Person),
  /** incoming messages the person has not seen */
  unread: v.number(),
  /** the live call in the same conversation, or started from this chat */
  callId: v.optional(v.string()),
  conference: v.boolean(),
  /** why it ended (declined, not answered, the other side left) */
  ended: v.optional(ChatFailure),
  /** when it started and when its last message came, ms since the epoch */
  startedAt: v.number(),
  lastActivity: v.number(),
})
export type ChatSnapshot = v.InferOutput<typeof ChatSnapshot>
/** a conversation of an earlier session, kept with the call history: who, when, how many messages (never their text) */
export const PastConversation = v.object({ id: v.string(), remote: Person, conference: v.boolean(), startedAt: v.number(), lastActivity: v.number(), messages: v.number() })
export type PastConversation = v.InferOutput<typeof PastConversation>
/** what a person types: one message, at most 8 kB (Skype for Business clients refuse longer ones) */
const ChatText = v.pipe(v.string(), v.minLength(1, 'Type a message'), v.maxLength(8000))
const chatRequests = {
  'chats.list': { input: NoInput, output: v.array(ChatSnapshot) },
  /** the signed-in account's last conversations (this session's and earlier ones), newest first */
  'chats.recent': { input: NoInput, output: v.array(PastConversation) },
  /** startMessaging with the first message */
  'chats.start': { input: v.strictObject({ to: SipAddress, text: ChatText }), output: ChatSnapshot },
  /** addMessaging to a live call's conversation (its chat, if there is one already) */
  'chats.addToCall': { input: v.strictObject({ callId: Id, text: v.optional(ChatText) }), output: ChatSnapshot },
  'chats.accept': { input: v.strictObject({ chatId: Id }), output: v.null() },
  'chats.decline': { input: v.strictObject({ chatId: Id }), output: v.null() },
  'chats.send': { input: v.strictObject({ chatId: Id, text: ChatText }), output: ChatMessage },
  'chats.retry': { input: v.strictObject({ chatId: Id, messageId: Id }), output: v.null() },
  /** the person is typing (main throttles setIsTyping as the page says) */
  'chats.typing': { input: v.strictObject({ chatId: Id }), output: v.null() },
  /** the person read the chat: its unread count goes to 0 */
  'chats.markRead': { input: v.strictObject({ chatId: Id }), output: v.null() },
  /** stopMessaging: the person closed the chat */
  'chats.close': { input: v.strictObject({ chatId: Id }), output: v.null() },
  /** audio/video with the chat's person from the chat; the chat goes on beside the call and after it */
  'chats.call': { input: v.strictObject({ chatId: Id }), output: CallSnapshot },
} as const
const chatEvents = {
  'chats.changed': ChatSnapshot,
  /** the signed-in account's last conversations changed (a sign-in read them, a chat was saved) */
  'chats.past': v.array(PastConversation),
  /** a new-message notification was clicked: the window shows that chat */
  'chats.open': v.object({ chatId: v.string() }),
} as const
// ── end of conversations and instant messages ─────────────────────────────────────────────────────────────────────

const Sdp = v.pipe(v.string(), v.maxLength(200_000), v.startsWith('v=0'))

// ── Online meetings (issue #23): Meet now, join by link (signed in or as a guest), the lobby, leading a meeting ──

/** participant_ref.md's role: a leader (organizer or presenter) admits, mutes, removes, promotes; an attendee does not */
export const MeetingRole = v.picklist(['leader', 'attendee'])
export type MeetingRole = v.InferOutput<typeof MeetingRole>

/** someone admitted to the meeting, as I see them, and what I (a leader) may do to them: the links the pool offers */
export const MeetingMember = v.object({
  ...Person.entries,
  role: MeetingRole,
  /** the meeting's organizer (participant_ref.md's organizer), a leader no one can remove */
  organizer: v.boolean(),
  /** joined as a guest (anonymous, participant_ref.md) */
  guest: v.boolean(),
  can: v.object({ promote: v.boolean(), demote: v.boolean(), remove: v.boolean(), mute: v.boolean() }),
})
export type MeetingMember = v.InferOutput<typeof MeetingMember>

/**
 * One meeting I joined or am joining: joining (asked), lobby (waiting for a leader), in (admitted: callId is its audio
 * and video), denied (a leader rejected me), failed (the pool refused the join), removed (ejected, or it ended), left.
 */
export const MeetingSnapshot = v.object({
  id: v.string(),
  state: v.picklist(['joining', 'lobby', 'in', 'denied', 'failed', 'removed', 'left']),
  subject: v.string(),
  /** the link to share (https://meet.<domain>/<organizer>/<id>) */
  joinUrl: v.optional(v.string()),
  onlineMeetingUri: v.string(),
  /** I joined as a guest (anonmeeting grant): nothing but this meeting */
  guest: v.boolean(),
  role: v.optional(MeetingRole),
  callId: v.optional(v.string()),
  /** who waits in the lobby (shown to leaders only: lobby_ref.md) */
  lobby: v.array(Person),
  members: v.array(MeetingMember),
  /** a leader may mute every attendee at once */
  canMuteEveryone: v.boolean(),
  /** the audience mute lock is on (AudienceMuteLock_ref.md): attendees cannot unmute themselves */
  audienceMuted: v.boolean(),
  /** people I invited while the meeting had no call to show them, until they join or the invitation fails */
  invited: v.optional(v.array(Person)),
  /** an invitation that failed, in words: who and why ("… could not be reached.") */
  notice: v.optional(v.string()),
  endReason: v.optional(ErrorInfo),
})
export type MeetingSnapshot = v.InferOutput<typeof MeetingSnapshot>

/**
 * Someone in a meeting invited me (onlineMeetingInvitation_ref.md, Incoming): ringing until I accept (the meeting is then
 * joined: its MeetingSnapshot follows), decline, or it is withdrawn (answered on another device, or the inviter gave up).
 */
export const MeetingInvitationSnapshot = v.object({
  id: v.string(),
  state: v.picklist(['ringing', 'accepted', 'declined', 'withdrawn']),
  subject: v.string(),
  onlineMeetingUri: v.string(),
  /** who invited me */
  from: Person,
})
export type MeetingInvitationSnapshot = v.InferOutput<typeof MeetingInvitationSnapshot>

/** a meeting link as pasted or clicked; main reads it strictly (main/ucwa/meeting-url.ts) */
const MeetingUrl = v.pipe(v.string(), v.trim(), v.minLength(1, 'Paste the meeting link'), v.maxLength(2048))
const MeetingId = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

const meetingRequests = {
  'meetings.list': { input: NoInput, output: v.array(MeetingSnapshot) },
  /** an ad hoc meeting (myOnlineMeetings, no subject), joined with audio and video at once */
  'meetings.meetNow': { input: NoInput, output: MeetingSnapshot },
  'meetings.join': { input: v.strictObject({ url: MeetingUrl }), output: MeetingSnapshot },
  /** someone not signed in: the anonmeeting grant for this meeting, then the join with the name the others see */
  'meetings.joinAsGuest': {
    input: v.strictObject({
      url: MeetingUrl,
      name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Enter the name the others will see'), v.maxLength(250)),
      discoveryUrl: v.optional(v.pipe(v.string(), v.maxLength(2048), v.url(), v.check((url: string) => isSecureOrLoopback(url), 'The discovery URL must start with https:// (http:// only for a server on this computer).'))),
    }),
    output: MeetingSnapshot,
  },
  /** a leader's action on one person: admit or reject (lobby), promote, demote, remove (eject), mute (muteAudio) */
  'meetings.act': {
    input: v.strictObject({ meetingId: MeetingId, uri: v.pipe(v.string(), v.maxLength(256)), action: v.picklist(['admit', 'reject', 'promote', 'demote', 'remove', 'mute']) }),
    output: v.null(),
  },
  /** enableAudienceMuteLock where the pool offers it (attendees cannot unmute), else each attendee's muteAudio */
  'meetings.muteEveryone': { input: v.strictObject({ meetingId: MeetingId }), output: v.null() },
  /** disableAudienceMuteLock: attendees may unmute themselves again */
  'meetings.allowUnmute': { input: v.strictObject({ meetingId: MeetingId }), output: v.null() },
  'meetings.leave': { input: v.strictObject({ meetingId: MeetingId }), output: v.null() },
  /** invite someone into a meeting I am in (addParticipant on its conversation); they show in the call as "calling…" */
  'meetings.invite': { input: v.strictObject({ meetingId: MeetingId, to: v.pipe(v.string(), v.minLength(1), v.maxLength(256)) }), output: v.null() },
  'meetings.acceptInvitation': { input: v.strictObject({ invitationId: MeetingId }), output: MeetingSnapshot },
  'meetings.declineInvitation': { input: v.strictObject({ invitationId: MeetingId }), output: v.null() },
} as const

const meetingEvents = {
  'meetings.changed': MeetingSnapshot,
  'meetings.invitation': MeetingInvitationSnapshot,
  /** a meeting link (https://meet.… or parley://meet?url=…) was opened: the renderer asks the person first */
  'deeplink.meeting': v.object({ url: v.string() }),
} as const

export const contract = {
  requests: {
    'app.getInfo': { input: NoInput, output: AppInfo },
    'settings.get': { input: NoInput, output: Settings },
    'settings.update': { input: SettingsPatch, output: Settings },
    'session.get': { input: NoInput, output: SessionInfo },
    'session.signIn': {
      input: v.strictObject({
        sipAddress: SipAddress,
        password: v.pipe(v.string(), v.minLength(1, 'Enter your password'), v.maxLength(256)),
        remember: v.boolean(),
        // the page must not make main fetch whatever it names: https only (http on this machine, for a local pool)
        discoveryUrl: v.optional(
          v.pipe(
            v.string(),
            v.maxLength(2048),
            v.url('Enter a full URL like https://lyncdiscover.company.com/'),
            v.check((url: string) => isSecureOrLoopback(url), 'The discovery URL must start with https:// (http:// only for a server on this computer).'),
          ),
        ),
        // the person pressed Continue on the server the last sign-in was refused for (error.confirm.host): trust it, try again
        trustServer: v.optional(HostName),
      }),
      output: SessionInfo,
    },
    'session.signOut': { input: NoInput, output: SessionInfo },
    'session.userActive': { input: NoInput, output: v.null() },
    'presence.set': { input: v.strictObject({ availability: v.picklist(['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork']) }), output: v.null() },
    'people.search': { input: v.strictObject({ query: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(256)) }), output: v.array(Contact) },
    'people.contacts': { input: NoInput, output: v.array(Contact) },
    /** a data: URL of the person's photo (mine, a contact's, a search result's), or null */
    'people.photo': { input: v.strictObject({ uri: v.pipe(v.string(), v.maxLength(256)) }), output: v.nullable(v.string()) },
    'calls.list': { input: NoInput, output: v.array(CallSnapshot) },
    'calls.start': { input: v.strictObject({ to: SipAddress, subject: v.optional(v.pipe(v.string(), v.maxLength(250))) }), output: CallSnapshot },
    'calls.accept': { input: v.strictObject({ callId: Id }), output: v.null() },
    'calls.decline': { input: v.strictObject({ callId: Id }), output: v.null() },
    'calls.hangUp': { input: v.strictObject({ callId: Id }), output: v.null() },
    // name: how the person picked them (shown "calling…" until they join)
    'calls.addParticipant': { input: v.strictObject({ callId: Id, to: SipAddress, name: v.optional(v.pipe(v.string(), v.maxLength(256))) }), output: v.null() },
    'calls.change': { input: v.strictObject({ callId: Id, change: v.picklist(['hold', 'resume', 'video-off', 'video-on']) }), output: v.null() },
    // call waiting (issue #22): the call to bring to the front; every other two-person call is held at the pool
    'calls.switchTo': { input: v.strictObject({ callId: Id }), output: v.null() },
    'calls.setMuted': { input: v.strictObject({ callId: Id, audio: v.optional(v.boolean()), video: v.optional(v.boolean()) }), output: v.null() },
    /** the signed-in account's call history, newest first */
    'history.get': { input: NoInput, output: CallHistory },
    /** the person saw the missed calls: the badge goes */
    'history.markSeen': { input: NoInput, output: CallHistory },
    'update.check': { input: NoInput, output: UpdateStatus },
    'update.restart': { input: NoInput, output: v.object({ restarted: v.boolean() }) },
    'diagnostics.export': { input: NoInput, output: v.object({ path: v.string() }) },
    /** the page that owns media started (again, after a reload or a crash): calls past ringing have no media any more */
    'media.started': { input: NoInput, output: v.null() },
    'media.respond': { input: v.strictObject({ requestId: Id, sdp: v.optional(Sdp), error: v.optional(v.pipe(v.string(), v.maxLength(500))) }), output: v.null() },
    ...chatRequests,
    ...meetingRequests,
  },
  events: {
    'clock.tick': v.object({ now: v.number() }),
    'settings.changed': Settings,
    'session.changed': SessionInfo,
    'calls.changed': CallSnapshot,
    'history.changed': CallHistory,
    /** a watched contact's presence changed (presence subscription) */
    'people.presence': v.object({ uri: v.string(), availability: Availability }),
    /** my own presence changed (from the page, the tray or another window) */
    'presence.changed': v.object({ availability: Availability }),
    'media.request': MediaRequest,
    'media.answer': v.object({ callId: v.string(), sdp: v.string(), provisional: v.boolean(), purpose: v.picklist(['call', 'escalation', 'renegotiate']) }),
    'media.close': v.object({ callId: v.string(), what: v.picklist(['p2p', 'conference', 'all']) }),
    /** our re-offer (hold, camera) was declined or never reached the pool: the call's P2P connection takes it back */
    'media.rollback': v.object({ callId: v.string() }),
    'update.status': UpdateStatus,
    /** a sip:/parley: link asked for a call: the renderer asks the person first */
    'deeplink.call': v.object({ to: v.string() }),
    /** from the tray, the app menu or the global shortcut (hang-up is done in main) */
    'app.command': v.object({ command: v.picklist(['toggle-mute']) }),
    ...chatEvents,
    ...meetingEvents,
  },
} as const

export type Contract = typeof contract
export type RequestName = keyof Contract['requests']
export type EventName = keyof Contract['events']
export type RequestInput<K extends RequestName> = v.InferInput<Contract['requests'][K]['input']>
export type ParsedInput<K extends RequestName> = v.InferOutput<Contract['requests'][K]['input']>
export type RequestOutput<K extends RequestName> = v.InferOutput<Contract['requests'][K]['output']>
export type EventPayload<K extends EventName> = v.InferOutput<Contract['events'][K]>

export const requestNames = Object.keys(contract.requests) as RequestName[]
export const eventNames = Object.keys(contract.events) as EventName[]

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract.requests, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(contract.events, name)
}

// Electron IPC channels; the WebSocket transport frames the same calls (see wire.ts).
export const IPC_INVOKE = 'parley:invoke'
export const IPC_EVENT = 'parley:event'
