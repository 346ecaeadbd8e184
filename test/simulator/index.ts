// startSimulator(): a UCWA 2.0 pool (and a second one users can be homed on) on loopback.
import { createServer, type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { Bot } from './bots'
import type { SfbAnswerer } from './sfb/answerer'
import { realClock, type Clock } from './clock'
import { MediaUnit } from './conference/unit'
import { Faults, type FaultInput, type FaultRule, type SeedSubcode } from './faults'
import { RawAnswers, type RawAnswerInput, type StreamRecord } from './http/raw-answers'
import { createPoolServer, type Ctx, type DiscoveryMode, type EventsMode, type Pool, type RequestRecord } from './http/server'
import type { SecretSeen } from './http/secrets-seen'
import type { UcwaEvent } from './http/resource'
import type { Priority } from './pool/event-channel'
import { randomIds, seededIds } from './ids'
import { Directory, defaultUsers, type UserConfig } from './pool/directory'
import type { Refusal } from './pool/tokens'
import { defaultWorldConfig, World, type WorldConfig } from './pool/world'
import { registerApplications } from './routes/applications'
import { registerCommunication } from './routes/communication'
import { registerMessaging } from './routes/messaging'
import { registerDiscovery } from './routes/discovery'
import { registerMe } from './routes/me'
import { registerPeople } from './routes/people'
import { registerXFrame } from './routes/xframe'
import { registerMeetings } from './routes/meetings'
import { registerAnonymous } from './routes/anonymous'
import { registerMeetingJoins } from './routes/meeting-joins'
import type { MediaDialect } from './sfb/dialect'

export interface SimulatorOptions {
  /** port of the first pool (the one autodiscovery answers on); 0 picks a free one */
  port?: number
  host?: string
  users?: UserConfig[]
  /** ids of the pools; users name theirs; default ["pool1", "pool2"] */
  pools?: string[]
  clock?: Clock
  /** seeded ids and tokens (deterministic mode) */
  seed?: number
  config?: Partial<WorldConfig>
  bodyLimit?: number
  /**
   * the media dialect of the pool's own endpoints (default 'webrtc'): 'sfb2015' makes the bots answer and the conference
   * unit judge offers as SfB 2015 does (sfb/dialect.ts). Default 'webrtc' until the client speaks through main/media-bridge.
   */
  media?: MediaDialect
  /** how every pool sends events' resources (default embedded; 'link-only' as real pools mostly do); per pool: setEvents */
  events?: EventsMode
  /** the conference unit's bundled runner, run on a thread (the app's demo); default, its source as a process of its own */
  conferenceUnitScript?: string
  /**
   * Serve HTTPS with named hosts: pools at https://<pool id>.<domain>:<port>, and lyncdiscoverinternal.<domain> and
   * lyncdiscover.<domain> (port 443 in URLs) answered by the first pool by Host header. Clients reach the names
   * through `Simulator.connectTo`. Without it: plain HTTP on 127.0.0.1, the discovery URL is the first pool's root.
   */
  tls?: { key: string; cert: string }
  /** the SIP domain of the named hosts (default "contoso.test") */
  domain?: string
  /** tls mode: a pool's host name other than <pool id>.<domain> (e.g. { pool2: "pool2.fabrikam.test" }) */
  poolHosts?: Record<string, string>
  /** false: keep no record of requests and secrets (control.requests() and secretsSeen() stay empty), so a memory bench measures the clients */
  records?: boolean
}

export interface SimulatorControl {
  world: World
  faults: Faults
  clock: Clock
  fault(rule: FaultInput): void
  clearFaults(): void
  /** tokens stop working now; `as: 403` answers them as a real pool answers a revoked token (403 InvalidToken) */
  expireTokens(sip?: string, how?: { as: Refusal }): number
  /** the user's UCWA resources refuse every token, new ones too, while autodiscovery still issues them (null: accept again) */
  refuseTokens(sip: string, how: { as: Refusal } | null): void
  /** the next `times` requests to `resource` fail with one of the seed pages' shared error rows, exactly as listed */
  seedError(resource: string, subcode: SeedSubcode, o?: { method?: string; times?: number }): void
  /** the application is gone and the pool will not make a new one (410 CannotRedirect, as for a pool with no backup) */
  loseApplication(sip: string): number
  /** every request the pools answered since start (resource name, method, status), the last 20,000 of them */
  requests(): readonly RequestRecord[]
  expireApplication(idOrSip: string): number
  /** the channel is re-created: transient state dropped, next response carries `resume` */
  recreateChannel(idOrSip: string): number
  /** applications on the pool are lost and every connection is cut */
  restartPool(poolId?: string): Promise<void>
  setHomePool(sip: string, poolId: string): void
  setRedirectLoop(on: boolean): void
  /** what lyncdiscoverinternal.<domain> ('internal') or lyncdiscover.<domain> ('external') does; both 'answer' at start */
  setDiscovery(name: 'internal' | 'external', mode: DiscoveryMode): void
  /** answer a resource with a 3xx or a slow oversized body instead (see RawAnswerInput); the stream's record */
  rawAnswer(input: RawAnswerInput): StreamRecord
  /** every Authorization header and password grant the pools received, in order (the last 20,000): where each secret went */
  secretsSeen(): SecretSeen[]
  /** the discovery names asked so far (tls mode), in order, e.g. ["lyncdiscoverinternal.contoso.test"] */
  discoveryAsked(): string[]
  /** from now on, the pool's endpoints speak this media dialect (new calls; a call under way keeps its own) */
  setMedia(media: MediaDialect): void
  /** an sfb2015 pool's simulated SfB client (a bot) in the conversation `conversationId` of `sip`: its answerer, to read what it got */
  sfbPeer(sip: string, conversationId: string): SfbAnswerer | undefined
  /** from the next event package on, this pool (default: every pool) sends events embedded or link-only */
  setEvents(mode: EventsMode, poolId?: string): void
  /** the pool fails to deliver the next `times` instant messages sent to this user (message_ref.md: status Failed,
   *  failedDeliveryParticipant naming them), as when their client does not fetch it in time */
  failMessageDelivery(sip: string, times?: number): void
  applications(sip?: string): Array<{ id: string; user: string; pool: string; available: boolean; endpointId: string }>
  eventStats(): { queued: number; acknowledged: number; pgets: number }
  /** from now on, every package of events sent to any application: self link → number of events */
  recordSentEvents(): Map<string, number>
  /** from now on, every event queued for any application, in order (with its resource as it was then) */
  recordEvents(): SentEvent[]
}

export interface SentEvent {
  /** the application's user (sip without the scheme) */
  user: string
  pool: string
  sender: { rel: string; href: string }
  event: UcwaEvent
  priority: Priority
}

export interface Simulator {
  /** the discovery URL (the pool's lyncdiscover root) */
  url: string
  pools: Pool[]
  users: UserConfig[]
  control: SimulatorControl
  /** for a client's connectTo: where a named host (tls mode) really listens on loopback; undefined for other names */
  connectTo(host: string, port: number): { host: string; port: number } | undefined
  close(): Promise<void>
}

function routes(server: FastifyInstance, ctx: Ctx): void {
  registerDiscovery(server, ctx)
  registerXFrame(server, ctx)
  registerApplications(server, ctx)
  registerMe(server, ctx)
  registerPeople(server, ctx)
  registerCommunication(server, ctx)
  registerMeetings(server, ctx)
  registerAnonymous(server, ctx)
  registerMeetingJoins(server, ctx)
  registerMessaging(server, ctx)
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? realClock
  const ids = options.seed === undefined ? randomIds() : seededIds(options.seed)
  const poolIds = options.pools ?? ['pool1', 'pool2']
  const users = options.users ?? defaultUsers()
  const directory = new Directory(users, poolIds[0]!)
  const world = new World(clock, ids, directory, { ...defaultWorldConfig, ...options.config }, new MediaUnit(options.conferenceUnitScript))
  world.media = options.media ?? 'webrtc'
  const faults = new Faults()
  const domain = options.domain ?? 'contoso.test'
  const shared: Ctx['options'] = { redirectLoop: false, bodyLimit: options.bodyLimit ?? 256 * 1024, domain, discovery: { internal: 'answer', external: 'answer' }, asked: [] }
  const raw = new RawAnswers()
  const secrets: SecretSeen[] = []
  const requests: RequestRecord[] = []
  const pools: Pool[] = []
  const servers: FastifyInstance[] = []

  for (const [i, id] of poolIds.entries()) {
    const pool: Pool = { id, origin: '', port: 0, events: options.events ?? 'embedded' }
    const records = options.records === false ? {} : { secrets, requests }
    const server = createPoolServer({ world, faults, raw, ...records, pool, pools: () => pools, options: shared, tls: options.tls }, routes)
    await server.listen({ port: i === 0 ? (options.port ?? 0) : 0, host: options.host ?? '127.0.0.1' })
    const address = server.server.address() as AddressInfo
    pool.origin = options.tls ? `https://${options.poolHosts?.[id] ?? `${id}.${domain}`}:${address.port}` : `http://${address.address}:${address.port}`
    pool.port = address.port
    pools.push(pool)
    servers.push(server)
  }

  const closedPort = options.tls ? await freePort() : 0
  const connectTo = (host: string, port: number): { host: string; port: number } | undefined => {
    if (!options.tls) return undefined
    const name = host.toLowerCase()
    const discovery = name === `lyncdiscoverinternal.${domain}` ? shared.discovery.internal : name === `lyncdiscover.${domain}` ? shared.discovery.external : undefined
    if (discovery === 'refused') return { host: '127.0.0.1', port: closedPort }
    if (discovery) return { host: '127.0.0.1', port: pools[0]!.port }
    const pool = pools.find((p) => new URL(p.origin).hostname === name && p.port === port)
    return pool ? { host: '127.0.0.1', port: pool.port } : undefined
  }

  const bots = directory
    .all()
    .filter((u) => u.bot)
    .map((u) => new Bot(world, u, u.bot!))
  for (const bot of bots) bot.start()

  const pick = (idOrSip: string) => [...world.apps.values()].filter((a) => a.id === idOrSip || a.user.sip === idOrSip.replace(/^sip:/i, '').toLowerCase())

  const control: SimulatorControl = {
    world,
    sfbPeer: (sip, conversationId) => bots.find((b) => b.app?.user.sip === sip.replace(/^sip:/i, '').toLowerCase())?.sfbPeer(conversationId),
    faults,
    clock,
    fault: (rule) => faults.add({ times: 1, ...rule } as FaultRule),
    clearFaults: () => faults.clear(),
    expireTokens: (sip, how) => world.tokens.expire(sip, how?.as),
    refuseTokens: (sip, how) => world.tokens.refuseUser(sip, how?.as ?? null),
    seedError: (resource, subcode, o = {}) => faults.add({ kind: 'seed', resource, subcode, method: o.method, times: o.times ?? 1 }),
    loseApplication(sip) {
      const apps = pick(sip)
      for (const app of apps) world.deleteApplication(app, 'expired')
      // creating a new one keeps failing until the test clears faults
      faults.add({ kind: 'seed', resource: 'applications', method: 'POST', subcode: 'CannotRedirect', times: Number.MAX_SAFE_INTEGER })
      return apps.length
    },
    requests: () => requests,
    expireApplication(idOrSip) {
      const apps = pick(idOrSip)
      for (const app of apps) world.deleteApplication(app, 'expired')
      return apps.length
    },
    recreateChannel(idOrSip) {
      const apps = pick(idOrSip)
      for (const app of apps) world.resetTransientState(app)
      return apps.length
    },
    async restartPool(poolId = poolIds[0]!) {
      // connections die first, as in a real restart: a parked P-GET sees a reset, not an answer
      servers[poolIds.indexOf(poolId)]?.server.closeAllConnections()
      for (const app of [...world.apps.values()].filter((a) => a.pool === poolId)) world.deleteApplication(app, 'restart')
    },
    setHomePool: (sip, poolId) => directory.setHomePool(sip, poolId),
    setRedirectLoop(on) {
      shared.redirectLoop = on
    },
    setDiscovery(name, mode) {
      shared.discovery[name] = mode
    },
    rawAnswer: (input) => raw.add(input),
    discoveryAsked: () => [...shared.asked],
    secretsSeen: () => [...secrets],
    setMedia(media) {
      world.media = media
    },
    setEvents(mode, poolId) {
      for (const pool of pools) if (!poolId || pool.id === poolId) pool.events = mode
    },
    failMessageDelivery(sip, times = 1) {
      world.messaging.messages.undeliverable.set(sip.replace(/^sip:/i, '').toLowerCase(), times)
    },
    applications: (sip) =>
      [...world.apps.values()]
        .filter((a) => !sip || a.user.sip === sip.replace(/^sip:/i, '').toLowerCase())
        .map((a) => ({ id: a.id, user: a.user.sip, pool: a.pool, available: a.available, endpointId: a.endpointId })),
    eventStats() {
      const total = { queued: 0, acknowledged: 0, pgets: 0 }
      for (const a of world.apps.values()) {
        total.queued += a.channel.stats.queued
        total.acknowledged += a.channel.stats.acknowledged
        total.pgets += a.channel.stats.pgets
      }
      return total
    },
    recordSentEvents() {
      const sent = new Map<string, number>()
      world.onPackage = (self, count) => sent.set(self, (sent.get(self) ?? 0) + count)
      return sent
    },
    recordEvents() {
      const sent: SentEvent[] = []
      world.onEvent = (app, sender, event, priority) => sent.push({ user: app.user.sip, pool: app.pool, sender, event, priority })
      return sent
    },
  }

  return {
    url: options.tls ? `https://lyncdiscover.${domain}/` : `${pools[0]!.origin}/`,
    pools,
    users,
    control,
    connectTo,
    async close() {
      await Promise.all(bots.map((b) => b.stop()))
      await world.close()
      await Promise.all(servers.map((s) => s.close()))
    },
  }
}

/** a loopback port nothing listens on (bound, then released): connections to it are refused */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const { port } = probe.address() as AddressInfo
  await new Promise((r) => probe.close(r))
  return port
}

export { ManualClock, realClock } from './clock'
export type { DiscoveryMode } from './http/server'
export type { RawAnswerInput, StreamRecord } from './http/raw-answers'
export type { SecretSeen } from './http/secrets-seen'
export type { UserConfig } from './pool/directory'
export type { EventsMode } from './http/server'
