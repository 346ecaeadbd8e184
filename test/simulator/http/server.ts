// One pool's HTTP front end (fastify): content negotiation, UCWA error bodies, auth, faults.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Application } from '../pool/application'
import type { Grant } from '../pool/tokens'
import type { World } from '../pool/world'
import type { RawAnswers } from './raw-answers'
import { keepRecord, recordSecrets, type SecretSeen } from './secrets-seen'
import { malformed, seedErrors, type Faults, type MalformRule } from '../faults'
import { codeForStatus, errors, SimError } from './errors'
import { parseInput, type Input, type InputKind } from './input'
import { checkCrossDomainOrigin } from '../routes/xframe'
import { refuseGuest } from '../routes/meetings'
import { eventsToJson, eventsToXml, reasonToXml, resourceToJson, resourceToXml, ucwaJson, type EventsBody, type Res } from './resource'

/** how a pool sends an event's resource: in `_embedded` (JSON) / a `<resource>` child (XML), or only its link, as real
 *  pools mostly do (the reference pages' "Sample of returned event data"; /work/shared/seeds) */
export type EventsMode = 'embedded' | 'link-only'

export interface Pool {
  id: string
  origin: string
  /** the loopback port it listens on */
  port: number
  events?: EventsMode
}

export interface RouteConfig {
  /** name used by fault rules */
  resource: string
  /** needs a Bearer token for this pool */
  auth?: boolean
}

/** What lyncdiscoverinternal.<domain> or lyncdiscover.<domain> does (RootURL.md step 3 and 5). */
export type DiscoveryMode =
  | 'answer' // the root: user and xframe links
  | 'not-found' // HTTP 404
  | 'refused' // connection refused: the simulator's connectTo sends the name to a closed port
  | 'silent' // the connection is taken but never answered (a timeout)
  | { redirectLink: string } // a 200 root whose only way on is a `redirect` link (step 5)
  | { status: 301 | 302 | 307 | 308; location: string } // an HTTP redirect (step 3)

/** one request as the pool answered it (tests count them: no request loop) */
export interface RequestRecord {
  pool: string
  resource: string
  method: string
  status: number
}

export interface Ctx {
  world: World
  faults: Faults
  raw: RawAnswers
  /** where each Authorization header and password grant went (recordSecrets) */
  secrets?: SecretSeen[]
  pool: Pool
  pools: () => Pool[]
  options: { redirectLoop: boolean; bodyLimit: number; domain: string; discovery: { internal: DiscoveryMode; external: DiscoveryMode }; asked: string[] }
  /** serve HTTPS with this key and certificate (PEM) */
  tls?: { key: string; cert: string }
  /** every answered request, oldest first (bounded) */
  requests?: RequestRecord[]
}

declare module 'fastify' {
  interface FastifyRequest {
    grant: Grant | null
    /** a malform fault picked for this request: its 200 body is replaced on the way out */
    malform: MalformRule['as'] | null
  }
}

/** the autodiscovery resources: a user whose UCWA resources refuse tokens still gets these (Tokens.refuseUser) */
const discoveryResources = new Set(['root', 'user', 'redirect', 'oauthtoken', 'xframe'])

export function wantsXml(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? '').toLowerCase()
  const xml = accept.search(/application\/(vnd\.microsoft\.com\.ucwa\+)?xml/)
  const json = accept.search(/application\/(vnd\.microsoft\.com\.ucwa\+)?json/)
  return xml >= 0 && (json < 0 || xml < json)
}

function contentType(req: FastifyRequest, xml: boolean): string {
  const vnd = String(req.headers.accept ?? '').includes('vnd.microsoft.com.ucwa')
  return xml ? (vnd ? 'application/vnd.microsoft.com.ucwa+xml' : 'application/xml') : vnd ? 'application/vnd.microsoft.com.ucwa+json' : 'application/json'
}

export function sendRes(req: FastifyRequest, reply: FastifyReply, res: Res, status = 200): FastifyReply {
  const xml = wantsXml(req)
  reply.code(status).header('Content-Type', `${contentType(req, xml)}; charset=utf-8`).header('Cache-Control', 'no-cache')
  return reply.send(xml ? `<?xml version="1.0" encoding="utf-8"?>${resourceToXml(res)}` : ucwaJson(resourceToJson(res)))
}

export function sendEvents(req: FastifyRequest, reply: FastifyReply, body: EventsBody, mode: EventsMode = 'embedded'): FastifyReply {
  const xml = wantsXml(req)
  const linkOnly = mode === 'link-only'
  reply.code(200).header('Content-Type', `${contentType(req, xml)}; charset=utf-8`).header('Cache-Control', 'no-cache')
  return reply.send(xml ? eventsToXml(body, linkOnly) : ucwaJson(eventsToJson(body, linkOnly)))
}

export function sendError(req: FastifyRequest, reply: FastifyReply, e: SimError): FastifyReply {
  const xml = wantsXml(req)
  reply.code(e.status).header('Content-Type', `${xml ? 'application/xml' : 'application/json'}; charset=utf-8`)
  return reply.send(xml ? `<?xml version="1.0" encoding="utf-8"?>${reasonToXml(e.reason, true)}` : JSON.stringify(e.reason))
}

export function input(req: FastifyRequest, accepted: InputKind[]): Input {
  return parseInput(req.headers['content-type'], req.body as string | undefined, accepted)
}

function challenges(ctx: Ctx): string[] {
  const href = `${ctx.pool.origin}/WebTicket/oauthtoken`
  return [
    'Bearer trusted_issuers="", client_id="00000004-0000-0ff1-ce00-000000000000"',
    `MsRtcOAuth href="${href}",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`,
  ]
}

export function challenge(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('WWW-Authenticate', challenges(ctx))
    .header('Content-Type', 'text/html')
    .send('<html><body>401 - Unauthorized: Access is denied due to invalid credentials.</body></html>')
}

/**
 * A token the pool no longer honours (revoked, or its web ticket invalid): 403 with a Warning naming
 * InvalidToken and the same two challenges. The pages are silent on it; the shape is a Skype for Business
 * 2015 pool's as issue #18 quotes it, and RootURL.md says a 403 sends the client back to autodiscovery.
 */
export function invalidToken(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return reply
    .code(403)
    .header('WWW-Authenticate', challenges(ctx))
    .header('Warning', `1 ${new URL(ctx.pool.origin).host} "InvalidToken"`)
    .header('Content-Type', 'text/html')
    .send('<html><body>403 - Forbidden: Access is denied.</body></html>')
}

/** The application named in the URL, owned by the token's user, on this pool. */
export function appOf(ctx: Ctx, req: FastifyRequest): Application {
  const app = ctx.world.lookup((req.params as { appId: string }).appId)
  if (app.pool !== ctx.pool.id || app.user !== req.grant?.user) throw errors.applicationNotFound()
  app.lastRequestAt = ctx.world.clock.now()
  return app
}

export function createPoolServer(ctx: Ctx, register: (app: FastifyInstance, ctx: Ctx) => void): FastifyInstance {
  const server = Fastify({
    logger: false,
    bodyLimit: ctx.options.bodyLimit,
    keepAliveTimeout: 60_000,
    forceCloseConnections: true,
    ...(ctx.tls && { https: { key: ctx.tls.key, cert: ctx.tls.cert } }),
  }) as unknown as FastifyInstance
  server.decorateRequest('grant', null)
  if (ctx.secrets) recordSecrets(server, ctx.pool, ctx.secrets) // first: it sees what the challenge then refuses
  server.decorateRequest('malform', null)
  server.removeAllContentTypeParsers()
  server.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  server.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config as Partial<RouteConfig>
    const rule = ctx.faults.take(config.resource ?? '', req.method, req.url)
    if (rule?.kind === 'drop') {
      req.raw.socket.destroy()
      return reply
    }
    if (rule?.kind === 'delay') await new Promise((r) => setTimeout(r, rule.ms))
    if (rule?.kind === 'fail') throw new SimError(rule.status, rule.subcode === 'None' ? undefined : rule.subcode, rule.message ?? 'Injected failure', rule.code)
    if (rule?.kind === 'seed') {
      const row = seedErrors[rule.subcode]
      throw new SimError(row.status, rule.subcode, row.message, row.code)
    }
    if (rule?.kind === 'malform') req.malform = rule.as
    checkCrossDomainOrigin(ctx, req)
    if (config.auth) {
      req.grant = ctx.world.tokens.check(req.headers.authorization, ctx.pool.id, !discoveryResources.has(config.resource ?? ''))
      if (!req.grant) return ctx.world.tokens.refusal(req.headers.authorization) === 403 ? invalidToken(ctx, reply) : challenge(ctx, reply)
      if (req.grant.guest) refuseGuest(config.resource ?? '', req.routeOptions.url ?? '')
    }
    // after the challenge: a raw answer replaces what a signed-in request would have got
    if (ctx.raw.answer(config.resource ?? '', req.method, reply)) return reply
  })

  server.addHook('onSend', async (req, reply, payload) => {
    // recorded before the answer goes out: a test that has the answer finds it counted
    if (ctx.requests) {
      const config = req.routeOptions.config as Partial<RouteConfig>
      keepRecord(ctx.requests, { pool: ctx.pool.id, resource: config.resource ?? '', method: req.method, status: reply.statusCode })
    }
    if (!req.malform || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const bad = malformed(req.malform, payload, String(reply.getHeader('content-type') ?? ''))
    reply.header('Content-Type', bad.type)
    return bad.body
  })

  server.setErrorHandler((error, req, reply) => {
    if (error instanceof SimError) return sendError(req, reply, error)
    const fe = error as { code?: string; statusCode?: number; message: string }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(req, reply, errors.tooLarge())
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(req, reply, errors.unsupportedMediaType(String(req.headers['content-type'] ?? '')))
    const status = fe.statusCode && fe.statusCode >= 400 ? fe.statusCode : 500
    return sendError(req, reply, new SimError(status, undefined, status === 500 ? 'Internal Server Error.' : fe.message, codeForStatus(status)))
  })
  server.setNotFoundHandler((req, reply) => sendError(req, reply, new SimError(404, undefined, 'The resource does not exist.', 'NotFound')))

  register(server, ctx)
  return server
}
