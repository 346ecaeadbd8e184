// Autodiscovery, the user resource, redirect and the OAuth token endpoint (CreateAnApplication.md, AuthenticationInUCWA.md).
import type { FastifyInstance } from 'fastify'
import { SimError } from '../http/errors'
import { input, sendError, sendRes, type Ctx, type DiscoveryMode, type RouteConfig } from '../http/server'
import { XFRAME } from './xframe'
import { ANON_APPLICATIONS, anonMeetingGrant } from './anonymous'

export const ROOT = '/autodiscover/autodiscoverservice.svc/root'
export const USER = `${ROOT}/oauth/user`
const REDIRECT = `${USER}/redirect`

const cfg = (resource: string, auth = false): { config: RouteConfig } => ({ config: { resource, auth } })

export function registerDiscovery(server: FastifyInstance, ctx: Ctx): void {
  const origin = (): string => ctx.pool.origin
  const root = (href: string) => ({
    rel: 'root',
    href,
    links: { user: { href: `${origin()}${USER}` }, xframe: { href: `${origin()}${XFRAME}` } },
  })
  // lyncdiscover.<domain>/ answers at "/"; the pool's own root at its canonical path
  server.get('/', cfg('root'), (req, reply) => {
    const mode = discoveryMode(ctx, req.hostname)
    if (mode === 'silent') return reply.hijack() // never answered; the connection closes with the server
    if (mode === 'not-found') return sendError(req, reply, new SimError(404, undefined, 'The resource does not exist.', 'NotFound'))
    if (typeof mode === 'object' && 'location' in mode) return reply.code(mode.status).header('Location', mode.location).type('text/html').send('<html><body>Moved</body></html>')
    if (typeof mode === 'object') {
      // RootURL.md step 5's sample as it stands: a JSON 200 whose only link is `redirect`, no self
      return reply.code(200).type('application/json').header('Cache-Control', 'no-cache').send(JSON.stringify({ _links: { redirect: { href: mode.redirectLink } } }))
    }
    return sendRes(req, reply, root(`${origin()}${ROOT}`))
  })
  server.get(ROOT, cfg('root'), (req, reply) => sendRes(req, reply, root(`${origin()}${ROOT}`)))

  server.get(USER, cfg('user', true), (req, reply) => {
    const home = homePool(ctx, req.grant!.user.pool)
    if (home.id !== ctx.pool.id || ctx.options.redirectLoop) {
      return sendRes(req, reply, { rel: 'user', href: `${origin()}${USER}`, links: { redirect: { href: `${origin()}${REDIRECT}` }, xframe: { href: `${origin()}${XFRAME}` } } })
    }
    return sendRes(req, reply, {
      rel: 'user',
      href: `${origin()}${USER}`,
      // a guest's token leads to anonApplications only (anonApplications_ref.md); the rel is the resource's name
      links: {
        ...(req.grant!.guest ? { anonApplications: { href: `${origin()}${ANON_APPLICATIONS}` } } : { applications: { href: `${origin()}/ucwa/oauth/v1/applications` } }),
        xframe: { href: `${origin()}${XFRAME}` },
      },
    })
  })

  server.get(REDIRECT, cfg('redirect', true), (req, reply) => {
    const home = homePool(ctx, req.grant!.user.pool)
    // a misconfigured topology (fault) points back and forth between the pools
    const target = ctx.options.redirectLoop ? (ctx.pools().find((p) => p.id !== ctx.pool.id) ?? ctx.pool) : home
    return sendRes(req, reply, {
      rel: 'redirect',
      href: `${origin()}${REDIRECT}`,
      links: { user: { href: `${target.origin}${USER}` }, xframe: { href: `${target.origin}${XFRAME}` } },
    })
  })

  server.post('/WebTicket/oauthtoken', cfg('oauthtoken'), (req, reply) => {
    const oauthError = (error: string, description: string) =>
      reply.code(400).header('Cache-Control', 'no-store').type('application/json').send(JSON.stringify({ error, error_description: description }))
    let form: Record<string, unknown>
    try {
      form = input(req, ['form']).props
    } catch {
      return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
    }
    const grantType = String(form.grant_type ?? '')
    if (grantType === 'urn:microsoft.rtc:anonmeeting') return anonMeetingGrant(ctx, form, reply, oauthError)
    if (grantType !== 'password') {
      return oauthError(grantType ? 'unsupported_grant_type' : 'invalid_request', grantType ? `Grant type ${grantType} is not supported here.` : 'grant_type is required.')
    }
    const username = String(form.username ?? '')
    const password = String(form.password ?? '')
    if (!username || !password) return oauthError('invalid_request', 'username and password are required.')
    const user = ctx.world.directory.find(username)
    if (!user || user.password !== password) return oauthError('invalid_grant', 'The credentials provided could not be verified.')
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').type('application/json').send(JSON.stringify(ctx.world.tokens.issue(user, ctx.pool.id)))
  })
}

/** what this request's discovery name does: by the Host it asked for (tls mode); any other host is the pool's root */
function discoveryMode(ctx: Ctx, hostname: string): DiscoveryMode {
  const name = hostname.replace(/:\d+$/, '').toLowerCase()
  const which = name === `lyncdiscoverinternal.${ctx.options.domain}` ? 'internal' : name === `lyncdiscover.${ctx.options.domain}` ? 'external' : undefined
  if (!which) return 'answer'
  ctx.options.asked.push(name)
  return ctx.options.discovery[which]
}

function homePool(ctx: Ctx, id: string) {
  const pool = ctx.pools().find((p) => p.id === id)
  if (!pool) throw new SimError(410, 'CannotRedirect', 'Cannot redirect since there is no back up pool configured.', 'Gone')
  return pool
}
