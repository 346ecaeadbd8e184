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

/** Records, on `seen`, each request's Authorization (before any challenge or fault answers it) and each password grant. */
export function recordSecrets(server: FastifyInstance, pool: Pool, seen: SecretSeen[]): void {
  const resource = (config: unknown) => (config as Partial<RouteConfig>).resource ?? ''
  server.addHook('onRequest', async (req) => {
    if (req.headers.authorization) seen.push({ pool: pool.id, resource: resource(req.routeOptions.config), authorization: req.headers.authorization })
  })
  server.addHook('preHandler', async (req) => {
    if (typeof req.body !== 'string' || !String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return
    const form = new URLSearchParams(req.body)
    if (form.has('password')) seen.push({ pool: pool.id, resource: resource(req.routeOptions.config), passwordOf: form.get('username') ?? '' })
  })
}
