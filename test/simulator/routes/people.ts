// people: search, contacts, a contact and its presence (people_ref.md, search_ref.md, contact_ref.md).
import type { FastifyInstance } from 'fastify'
import { errors } from '../http/errors'
import { appOf, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT } from '../pool/application'
import type { User } from '../pool/directory'
import { contactPresenceRes, contactRes, peopleRes } from '../pool/render'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })

export function registerPeople(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/people`
  const contact = (key: string): User => {
    const u = ctx.world.directory.byKey(key)
    if (!u) throw errors.notFound('No such contact.')
    return u
  }

  server.get(base, cfg('people'), (req, reply) => sendRes(req, reply, peopleRes(appOf(ctx, req))))

  server.get(`${base}/search`, cfg('search'), (req, reply) => {
    const app = appOf(ctx, req)
    const q = req.query as { query?: string; limit?: string }
    if (!q.query?.trim()) throw errors.parameter('query is required.')
    if (q.query.length > 256) throw errors.parameter('query is longer than 256 characters.')
    const limit = q.limit === undefined ? 100 : Number(q.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw errors.parameter('limit must be from 1 to 100.')
    const hits = ctx.world.directory.search(q.query, limit + 1)
    return sendRes(req, reply, {
      rel: 'search',
      href: app.href(`/people/search?query=${encodeURIComponent(q.query)}`),
      props: { moreResultsAvailable: hits.length > limit },
      embedded: { contact: hits.slice(0, limit).map((u) => contactRes(app, u)) },
    })
  })

  server.get(`${base}/contacts`, cfg('myContacts'), (req, reply) => {
    const app = appOf(ctx, req)
    const others = ctx.world.directory.all().filter((u) => u !== app.user)
    return sendRes(req, reply, { rel: 'myContacts', href: app.href('/people/contacts'), embedded: { contact: others.map((u) => contactRes(app, u)) } })
  })

  server.get(`${base}/:key`, cfg('contact'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, contactRes(app, contact((req.params as { key: string }).key)))
  })

  server.get(`${base}/:key/presence`, cfg('contactPresence'), (req, reply) => {
    const app = appOf(ctx, req)
    const u = contact((req.params as { key: string }).key)
    const apps = ctx.world.appsOf(u).filter((a) => a.available)
    const order = ['Busy', 'DoNotDisturb', 'Online', 'BeRightBack', 'Away', 'Offwork']
    const best = apps.map((a) => a.availability).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'Offline'
    return sendRes(req, reply, contactPresenceRes(app, u, best, apps.some((a) => a.inCall)))
  })
}
