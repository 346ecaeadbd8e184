// The main-process core: everything but the Electron glue. Runs under Electron and under plain Node alike.
import type { AppInfo, Availability, SessionInfo } from '../../preload/contract'
import type { UpdateStatus } from '../desktop/updater'
import type { TokenStore } from '../credentials/token-store'
import { CallEngine } from '../ucwa/calls'
import { ChatEngine } from '../ucwa/chats'
import { appHandlers } from './app-handlers'
import { chatHandlers } from './chat-handlers'
import { OnlineMeetings } from '../ucwa/online-meetings'
import { meetingRequests } from './meeting-requests'
import { endCallsWithoutMedia } from '../ucwa/call/media-lost'
import { UcwaClient } from '../ucwa/client'
import type { ChannelOptions } from '../ucwa/event-channel'
import type { Format } from '../ucwa/http'
import type { ConnectTo } from '../ucwa/agents'
import { demoDiscoveryFor } from './demo-address'
import { createDispatcher, type Dispatch } from './dispatcher'
import { EventHub } from './event-hub'
import { ContractMediaAgent } from './media-bridge'
import { BridgingAgent } from '../media-bridge/bridging-agent'
import { MediaWorker } from '../media-bridge/media-worker-host'
import { PresenceWatch } from '../ucwa/presence'
import { Photos } from './photos'
import { syncHistory } from './history-sync'
import { SessionMemory } from './session-memory'
import { checkConfirmation, serverToConfirm, trustedFor, withTrusted } from './server-trust'
import { placeSignInError } from './sign-in-failure'
import { SettingsStore } from './settings-store'

export interface CoreOptions {
  host: AppInfo['host']
  version: string
  tokenStore: TokenStore
  /** null keeps settings in memory (tests) */
  settingsFile: string | null
  /** where the last session (no secrets) and the endpoint id live; null: memory */
  sessionFile?: string | null
  /** the folder of each account's call history (in the data folder); null: memory */
  historyDir?: string | null
  clockIntervalMs?: number
  /** the pool's discovery URL this installation is configured with (PARLEY_DISCOVERY_URL): sign-in's default */
  discoveryUrl?: string | null
  /** the embedded simulator's details in demo mode */
  demo?: AppInfo['demo']
  log?: (message: string, error?: unknown) => void
  /** Electron only: updates, diagnostics, the log file */
  desktop?: {
    updates?: { check(): Promise<UpdateStatus>; restart(): boolean }
    exportDiagnostics?(): Promise<string>
    logFile?: string
  }
  /** the media bridge's worker as built (out/main/media-worker.js); default, its source through tsx (tests) */
  mediaWorkerScript?: string
  /** what the pool's conference unit speaks: 'sfb2015' (a real AVMCU) escalates every call through the media bridge; default 'p2p' (BridgingAgent) */
  conferenceUnitDialect?: 'sfb2015' | 'p2p'
  /** start the media worker and gather spare pool legs at sign-in, so the first call does not pay for them (the app, browser mode, the bench) */
  warmMediaBridge?: boolean
  /** tests: XML instead of JSON, faster back-off, shorter media timeouts */
  ucwa?: { format?: Format; channel?: ChannelOptions; mediaTimeoutMs?: number; connectTo?: ConnectTo; ca?: string }
}

export interface Core {
  dispatch: Dispatch
  events: EventHub
  client: UcwaClient
  calls: CallEngine
  /** the session's conversations with instant messages (issue #21) */
  chats: ChatEngine
  /** resolves once a remembered session was resumed (or not) at start */
  ready: Promise<void>
  /** what the person chose as presence (do-not-disturb silences alerts) */
  availability(): Availability
  close(): Promise<void>
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const events = new EventHub()
  const settings = new SettingsStore(options.settingsFile)
  await settings.load()
  const memory = new SessionMemory(options.sessionFile ?? null)
  await memory.load()
  const log = options.log ?? (() => {})

  const client = new UcwaClient({
    tokenStore: options.tokenStore,
    endpointId: memory.endpointId,
    userAgent: `Parley/${options.version}`,
    format: options.ucwa?.format,
    channel: options.ucwa?.channel,
    connectTo: options.ucwa?.connectTo,
    ca: options.ucwa?.ca,
    confirmedHosts: (domain) => trustedFor(settings.current.trustedServers, domain),
    log: (m) => log(m), // an event delivered without its resource (event-resources.ts)
  })
  const renderer = new ContractMediaAgent(events, options.ucwa?.mediaTimeoutMs)
  // the renderer speaks WebRTC; an SfB-dialect far side goes through the bridge's worker, started at the first such call
  const media = new BridgingAgent(renderer, { worker: () => new MediaWorker(options.mediaWorkerScript), log: (m) => log(m), unitDialect: options.conferenceUnitDialect })
  const calls = new CallEngine(client, media, { log: (m) => log(m) }) // transitions, dropped and failed events
  const chats = new ChatEngine(client, calls, { log: (m) => log(m) })
  chats.onChange((s) => events.emit('chats.changed', s))
  const photos = new Photos(client)
  const meetings = new OnlineMeetings(client, calls, (m) => log(m))
  meetings.onChange((m) => events.emit('meetings.changed', m))
  meetings.onInvitation((i) => events.emit('meetings.invitation', i))
  const presence = new PresenceWatch(client, (uri, availability) => events.emit('people.presence', { uri, availability }), (m) => log(m))

  let availability: Availability = 'Online'

  /** the address of the last sign-in the person asked for: whose server a DomainMismatch asks them to confirm */
  let attempted = ''
  const toConfirm = () => (attempted ? serverToConfirm(client.lastError, attempted) : null)
  const sessionInfo = (): SessionInfo => {
    const live = client.state === 'signed-in' || client.state === 'reconnecting'
    const e = client.lastError
    const confirm = toConfirm()
    return {
      state: client.state,
      user: live && client.me ? { name: client.me.name, uri: client.me.uri, ...(client.me.title && { title: client.me.title }) } : null,
      error: e ? { code: e.code, message: e.message, ...(e.subcode && { subcode: e.subcode }), ...(confirm && { confirm }) } : null,
    }
  }
  client.on('state', () => events.emit('session.changed', sessionInfo()))
  if (options.warmMediaBridge) client.on('state', () => client.state === 'signed-in' && media.warm())
  // a new sign-in makes me available again (makeMeAvailable): the tray and the page must not keep the last choice
  client.on('state', () => {
    if (client.state !== 'signed-out' || availability === 'Online') return
    availability = 'Online'
    events.emit('presence.changed', { availability })
  })
  // call history and the last conversations (issue #21): the signed-in account's, from the data folder
  const history = syncHistory({ client, calls, chats, events, dir: options.historyDir ?? null, log })
  client.on('saved', (s) => void memory.setSession(s).catch((e) => log('could not save the session', e)))
  calls.onChange((s) => events.emit('calls.changed', s))

  const dispatch = createDispatcher(
    {
      ...appHandlers(options, settings, events),
      'session.get': sessionInfo,
      'session.signIn': async (input) => {
        if (input.trustServer) {
          const { domain, host } = checkConfirmation(toConfirm(), input.sipAddress, input.trustServer)
          events.emit('settings.changed', await settings.update({ trustedServers: withTrusted(settings.current.trustedServers, domain, host) }))
        }
        attempted = input.sipAddress
        const discoveryUrl = input.discoveryUrl ?? options.discoveryUrl ?? demoDiscoveryFor(options.demo, input.sipAddress)
        await client.signIn({ sipAddress: input.sipAddress, password: input.password, remember: input.remember, discoveryUrl }).catch((e: unknown) => {
          throw placeSignInError(e)
        })
        return sessionInfo()
      },
      'session.signOut': async () => {
        for (const c of calls.list()) await calls.hangUp(c.id).catch(() => {})
        await client.signOut()
        chats.clear() // the next person to sign in sees none of these chats
        photos.clear() // the next person to sign in sees their own people
        return sessionInfo()
      },
      'session.userActive': () => (client.userActive(), null),
      'presence.set': async (input) => {
        await client.setAvailability(input.availability)
        availability = input.availability
        events.emit('presence.changed', { availability })
        return null
      },
      'people.search': async ({ query }) => {
        const found = await client.search(query)
        photos.remember(found)
        return found.map(({ name, uri, title, department }) => ({ name, uri, title, department }))
      },
      'people.photo': ({ uri }) => photos.photoOf(uri),
      'people.contacts': async () => {
        const list = await client.contacts()
        photos.remember(list)
        presence.watch(list).catch((e) => log('could not subscribe to presence', e)) // changes come as events from now on
        // read once now too: the subscription's first events are medium priority, up to 5 s late, and the list shows at once
        return Promise.all(
          list.map(async (c) => ({ name: c.name, uri: c.uri, title: c.title, department: c.department, availability: await client.presenceOf(c).catch(() => 'Offline' as const) })),
        )
      },
      'calls.list': () => calls.list(),
      'calls.start': ({ to, subject }) => calls.start(to, subject),
      'calls.accept': async ({ callId }) => (await calls.accept(callId), null),
      'calls.decline': async ({ callId }) => (await calls.decline(callId), null),
      'calls.hangUp': async ({ callId }) => (await calls.hangUp(callId), null),
      'calls.addParticipant': async ({ callId, to, name }) => (await calls.addParticipant(callId, to, name), null),
      'calls.change': async ({ callId, change }) => (await calls.change(callId, change), null),
      'calls.switchTo': async ({ callId }) => (await calls.switchTo(callId), null),
      'calls.setMuted': async ({ callId, audio, video }) => (await calls.setMuted(callId, { audio, video }), null),
      'history.get': async () => (await history.settled(), history.store.current),
      'history.markSeen': async () => {
        await history.settled()
        const h = await history.store.markSeen(Date.now())
        events.emit('history.changed', h)
        return h
      },
      'media.started': async () => (await endCallsWithoutMedia(calls, (m) => log(m)), null),
      'media.respond': ({ requestId, sdp, error }) => (renderer.respond(requestId, { sdp, error }), null),
      ...chatHandlers(chats),
      'chats.recent': async () => (await history.settled(), history.conversations()),
      ...meetingRequests({ client, meetings, discoveryFor: (uri) => options.discoveryUrl ?? demoDiscoveryFor(options.demo, uri) }),
    },
    (method, e) => log(`request ${method} failed`, e),
  )

  const clock = setInterval(() => events.emit('clock.tick', { now: Date.now() }), options.clockIntervalMs ?? 1000)
  clock.unref()

  const saved = memory.session
  const ready = saved ? client.resume(saved).then(() => undefined, (e) => log('could not resume the last session', e)) : Promise.resolve()

  return {
    dispatch,
    events,
    client,
    calls,
    chats,
    ready,
    availability: () => availability,
    async close() {
      clearInterval(clock)
      await history.close() // the chats still going are kept (issue #21)
      for (const c of calls.list()) await calls.hangUp(c.id).catch(() => {})
      await client.shutdown()
      await media.stop()
    },
  }
}
