// startSimulator(): a UCWA 2.0 pool (and a second one users can be homed on) on loopback.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { Bot } from './bots'
import { realClock, type Clock } from './clock'
import { MediaUnit } from './conference/unit'
import { Faults, type FaultInput, type FaultRule } from './faults'
import type { UcwaEvent } from './http/resource'
import type { Priority } from './pool/event-channel'
import { createPoolServer, type Ctx, type EventsMode, type Pool } from './http/server'
import { randomIds, seededIds } from './ids'
import { Directory, defaultUsers, type UserConfig } from './pool/directory'
import { defaultWorldConfig, World, type WorldConfig } from './pool/world'
import { registerApplications } from './routes/applications'
import { registerCommunication } from './routes/communication'
import { registerDiscovery } from './routes/discovery'
import { registerMe } from './routes/me'
import { registerPeople } from './routes/people'

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
  /** how every pool sends events' resources (default embedded; 'link-only' as real pools mostly do); per pool: setEvents */
  events?: EventsMode
  /** the conference unit's bundled runner, run on a thread (the app's demo); default, its source as a process of its own */
  conferenceUnitScript?: string
}

export interface SimulatorControl {
  world: World
  faults: Faults
  clock: Clock
  fault(rule: FaultInput): void
  clearFaults(): void
  expireTokens(sip?: string): number
  expireApplication(idOrSip: string): number
  /** the channel is re-created: transient state dropped, next response carries `resume` */
  recreateChannel(idOrSip: string): number
  /** applications on the pool are lost and every connection is cut */
  restartPool(poolId?: string): Promise<void>
  setHomePool(sip: string, poolId: string): void
  setRedirectLoop(on: boolean): void
  /** from the next event package on, this pool (default: every pool) sends events embedded or link-only */
  setEvents(mode: EventsMode, poolId?: string): void
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
  close(): Promise<void>
}

function routes(server: FastifyInstance, ctx: Ctx): void {
  registerDiscovery(server, ctx)
  registerApplications(server, ctx)
  registerMe(server, ctx)
  registerPeople(server, ctx)
  registerCommunication(server, ctx)
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? realClock
  const ids = options.seed === undefined ? randomIds() : seededIds(options.seed)
  const poolIds = options.pools ?? ['pool1', 'pool2']
  const users = options.users ?? defaultUsers()
  const directory = new Directory(users, poolIds[0]!)
  const world = new World(clock, ids, directory, { ...defaultWorldConfig, ...options.config }, new MediaUnit(options.conferenceUnitScript))
  const faults = new Faults()
  const shared = { redirectLoop: false, bodyLimit: options.bodyLimit ?? 256 * 1024 }
  const pools: Pool[] = []
  const servers: FastifyInstance[] = []

  for (const [i, id] of poolIds.entries()) {
    const pool: Pool = { id, origin: '', events: options.events ?? 'embedded' }
    const server = createPoolServer({ world, faults, pool, pools: () => pools, options: shared }, routes)
    await server.listen({ port: i === 0 ? (options.port ?? 0) : 0, host: options.host ?? '127.0.0.1' })
    const address = server.server.address() as AddressInfo
    pool.origin = `http://${address.address}:${address.port}`
    pools.push(pool)
    servers.push(server)
  }

  const bots = directory
    .all()
    .filter((u) => u.bot)
    .map((u) => new Bot(world, u, u.bot!))
  for (const bot of bots) bot.start()

  const pick = (idOrSip: string) => [...world.apps.values()].filter((a) => a.id === idOrSip || a.user.sip === idOrSip.replace(/^sip:/i, '').toLowerCase())

  const control: SimulatorControl = {
    world,
    faults,
    clock,
    fault: (rule) => faults.add({ times: 1, ...rule } as FaultRule),
    clearFaults: () => faults.clear(),
    expireTokens: (sip) => world.tokens.expire(sip),
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
    setEvents(mode, poolId) {
      for (const pool of pools) if (!poolId || pool.id === poolId) pool.events = mode
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
    url: `${pools[0]!.origin}/`,
    pools,
    users,
    control,
    async close() {
      await Promise.all(bots.map((b) => b.stop()))
      await world.close()
      await Promise.all(servers.map((s) => s.close()))
    },
  }
}

export { ManualClock, realClock } from './clock'
export type { UserConfig } from './pool/directory'
export type { EventsMode } from './http/server'
