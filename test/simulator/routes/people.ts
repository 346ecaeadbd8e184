// people: search, contacts, a contact and its presence (people_ref.md, search_ref.md, contact_ref.md).
import type { FastifyInstance } from 'fastify'
import { errors } from '../http/errors'
import { appOf, input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT } from '../pool/application'
import type { User } from '../pool/directory'
import { photoPng, photoSize } from '../pool/photos'
import { presenceOf } from '../pool/presence'
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
    const p = presenceOf(ctx.world.appsOf(u))
    return sendRes(req, reply, contactPresenceRes(app, u, p.availability, p.inCall, p.lastActive))
  })

  // contactPhoto_ref.md: image bytes, not a UCWA resource
  server.get(`${base}/:key/photo`, cfg('contactPhoto'), (req, reply) => {
    appOf(ctx, req)
    const u = contact((req.params as { key: string }).key)
    return reply.type('image/png').send(photoPng(u, photoSize((req.query as { size?: string }).size)))
  })

  // presenceSubscriptions_ref.md: duration in minutes, 10 to 30; the URIs whose presence changes come as events
  const minutes = (v: unknown): number => {
    const n = Number(Array.isArray(v) ? v[0] : v)
    if (!Number.isInteger(n) || n < 10 || n > 30) throw errors.parameter('duration must be a whole number of minutes from 10 to 30.')
    return n
  }
  const subs = `${base}/presenceSubscriptions`
  server.post(subs, cfg('presenceSubscriptions'), (req, reply) => {
    const app = appOf(ctx, req)
    const { props } = input(req, ['json', 'xml'])
    const uris = (Array.isArray(props.uris) ? props.uris : props.uris === undefined ? [] : [props.uris]).map(String)
    if (uris.length === 0) throw errors.parameter('uris is required.')
    if (uris.length > 1000) throw errors.parameter('Too many uris in one subscription.')
    const res = ctx.world.presence.create(app, minutes(props.duration), uris)
    reply.header('Location', res.href)
    return sendRes(req, reply, res, 201)
  })
  const subId = (req: { params: unknown }) => (req.params as { subId: string }).subId
  server.get(`${subs}/:subId`, cfg('presenceSubscription'), (req, reply) => sendRes(req, reply, ctx.world.presence.get(appOf(ctx, req), subId(req))))
  // ExtendAPresenceSubscription.md: POST on the subscription with ?duration=
  server.post(`${subs}/:subId`, cfg('presenceSubscription'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, ctx.world.presence.extend(app, subId(req), minutes((req.query as { duration?: string }).duration)))
  })
  server.delete(`${subs}/:subId`, cfg('presenceSubscription'), (req, reply) => {
    ctx.world.presence.remove(appOf(ctx, req), subId(req))
    return reply.code(204).send()
  })
}
