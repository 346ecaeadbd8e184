// What secrets reached which pool: every Authorization header and every password grant, as received (tests prove where a token went).
import type { FastifyInstance } from 'fastify'
import type { Pool, RouteConfig } from './server'

export interface SecretSeen {
  /** the pool that received it */
  pool: string
  /** the route's resource name ("user", "oauthtoken", …) */
  resource: string
  /** the Authorization header as sent, if any */
  authorization?: string
  /** a password grant's username (the password itself is not kept) */
  passwordOf?: string
}

/** the most records a log of what the pools received keeps (the oldest go): a long run's memory stays bounded */
export const MAX_RECORDS = 20_000

/** Appends to a bounded log, dropping the oldest beyond MAX_RECORDS. */
export function keepRecord<T>(log: T[], item: T): void {
  log.push(item)
  if (log.length > MAX_RECORDS) log.splice(0, log.length - MAX_RECORDS)
}

/** Records, on `seen`, each request's Authorization (before any challenge or fault answers it) and each password grant. */
export function recordSecrets(server: FastifyInstance, pool: Pool, seen: SecretSeen[]): void {
  const resource = (config: unknown) => (config as Partial<RouteConfig>).resource ?? ''
  server.addHook('onRequest', async (req) => {
    if (req.headers.authorization) keepRecord(seen, { pool: pool.id, resource: resource(req.routeOptions.config), authorization: req.headers.authorization })
  })
  server.addHook('preHandler', async (req) => {
    if (typeof req.body !== 'string' || !String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return
    const form = new URLSearchParams(req.body)
    if (form.has('password')) keepRecord(seen, { pool: pool.id, resource: resource(req.routeOptions.config), passwordOf: form.get('username') ?? '' })
  })
}
