// applications, application and the event channel (applications_ref.md, application_ref.md, events_ref.md).
import type { FastifyInstance } from 'fastify'
import { errors, SimError } from '../http/errors'
import { str } from '../http/input'
import { appOf, input, sendError, sendEvents, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT } from '../pool/application'
import { applicationRes } from '../pool/render'
import { guestApplicationRes } from '../pool/meeting-render'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })

function required(props: Record<string, unknown>, name: string, max: number): string {
  const v = str(props[name.toLowerCase()])
  if (!v || !v.trim()) throw errors.parameter(`${name} is required.`)
  if (v.length > max) throw errors.parameter(`${name} is longer than ${max} characters.`)
  return v
}

export function registerApplications(server: FastifyInstance, ctx: Ctx): void {
  server.post(APPS_ROOT, cfg('applications'), (req, reply) => {
    const user = req.grant!.user
    if (user.pool !== ctx.pool.id) throw new SimError(403, undefined, 'This user is homed on another pool.', 'Forbidden')
    const { props } = input(req, ['json', 'xml'])
    const body = {
      userAgent: required(props, 'UserAgent', 100),
      endpointId: required(props, 'EndpointId', 100),
      culture: required(props, 'Culture', 100),
      instanceId: str(props.instanceid),
    }
    const { app, created } = ctx.world.createApplication(user, ctx.pool.id, body)
    app.channelReset = false
    if (created) reply.header('Location', app.href())
    return sendRes(req, reply, applicationRes(app), created ? 201 : 200)
  })

  server.get(`${APPS_ROOT}/:appId`, cfg('application'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, app.guest ? guestApplicationRes(app) : applicationRes(app))
  })

  server.delete(`${APPS_ROOT}/:appId`, cfg('application'), (req, reply) => {
    ctx.world.deleteApplication(appOf(ctx, req), 'deleted')
    return reply.code(204).send()
  })

  server.get(`${APPS_ROOT}/:appId/events`, cfg('events'), async (req, reply) => {
    const app = appOf(ctx, req)
    const q = req.query as Record<string, string | undefined>
    const priority = q.priority === undefined ? undefined : Number(q.priority)
    if (priority !== undefined && !Number.isInteger(priority)) throw errors.parameter('priority must be a whole number.')
    app.channelReset = false
    try {
      const body = await app.channel.pget({
        ack: Number(q.ack),
        priority,
        params: { timeout: q.timeout, medium: q.medium, low: q.low },
        // the response closing before it finished means the client went away
        onAbort: (listener) => reply.raw.once('close', () => !reply.raw.writableFinished && listener()),
        gone: () => req.raw.socket?.destroyed ?? true,
      })
      app.lastRequestAt = ctx.world.clock.now()
      return sendEvents(req, reply, body, ctx.pool.events)
    } catch (e) {
      if (e instanceof SimError) return sendError(req, reply, e)
      throw e
    }
  })
}
