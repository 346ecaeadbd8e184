// me, makeMeAvailable, reportMyActivity, presence (me_ref.md, makeMeAvailable_ref.md, reportMyActivity_ref.md, presence_ref.md).
import type { FastifyInstance } from 'fastify'
import { errors } from '../http/errors'
import { str } from '../http/input'
import { appOf, input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT, type Availability } from '../pool/application'
import { photoPng, photoSize } from '../pool/photos'
import { communicationRes, meRes, presenceRes } from '../pool/render'
import { guestMeRes } from '../pool/meeting-render'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })
// makeMeAvailable_ref.md's list ("AudioVideo" is a telephonyMode in policies_ref.md, not a modality)
const modalities = ['Audio', 'Video', 'PhoneAudio', 'ApplicationSharing', 'Messaging', 'DataCollaboration', 'PanoramicVideo']
const settable: Availability[] = ['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork']

function availability(v: unknown): Availability | undefined {
  const s = str(v)
  if (s === undefined) return undefined
  const hit = settable.find((a) => a.toLowerCase() === s.toLowerCase())
  if (!hit) throw errors.parameter(`Unknown availability ${s}.`)
  return hit
}

export function registerMe(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/me`
  // photo_ref.md: my own photo (the me resource links it); only mine
  server.get(`${APPS_ROOT}/:appId/photos/:sip`, cfg('photo'), (req, reply) => {
    const app = appOf(ctx, req)
    if ((req.params as { sip: string }).sip.toLowerCase() !== app.user.sip) throw errors.notFound('No such photo.')
    return reply.type('image/png').send(photoPng(app.user, photoSize((req.query as { size?: string }).size)))
  })
  server.get(base, cfg('me'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, app.guest ? guestMeRes(app) : meRes(app))
  })

  server.post(`${base}/makeMeAvailable`, cfg('makeMeAvailable'), (req, reply) => {
    const app = appOf(ctx, req)
    if (app.available) throw errors.conflict('AlreadyExists', 'Multiple invocations of this operation is not valid.')
    const { props } = input(req, ['json', 'xml', 'none'])
    const requested = props.supportedmodalities
    const list = requested === undefined ? ['Messaging'] : Array.isArray(requested) ? requested.map(String) : [String(requested)]
    const named = list.map((m) => modalities.find((k) => k.toLowerCase() === m.toLowerCase()))
    const unknown = list.find((_, i) => named[i] === undefined)
    if (unknown !== undefined) throw errors.parameter(`Unknown modality ${unknown}.`)
    const signInAs = availability(props.signinas)
    const timeout = props.inactivetimeout === undefined ? undefined : Number(props.inactivetimeout)
    app.available = true
    app.modalities = named as string[] // in the page's spelling, as communication's supportedModalities shows them
    app.chosenAvailability = signInAs ?? 'Online'
    if (timeout !== undefined && Number.isFinite(timeout) && timeout > 0) app.inactiveTimeoutMinutes = timeout
    app.lastActivityAt = ctx.world.clock.now()
    const meSender = { rel: 'me', href: app.href('/me') }
    app.emitResource(meSender, 'updated', meRes(app), {}, 'medium')
    app.emit(meSender, { type: 'added', link: { rel: 'presence', href: app.href('/me/presence') } }, 'medium')
    app.emitResource(app.communicationSender(), 'updated', communicationRes(app), {}, 'medium')
    return reply.code(204).send()
  })

  server.post(`${base}/reportMyActivity`, cfg('reportMyActivity'), (req, reply) => {
    const app = appOf(ctx, req)
    if (!app.available) throw errors.conflict('MakeMeAvailableRequired', 'The MakeMeAvailable operation is a prerequisite for this operation.')
    app.lastActivityAt = ctx.world.clock.now()
    return reply.code(204).send()
  })

  server.get(`${base}/presence`, cfg('presence'), (req, reply) => {
    const app = appOf(ctx, req)
    if (!app.available) throw errors.conflict('MakeMeAvailableRequired', 'The MakeMeAvailable operation is a prerequisite for this operation.')
    return sendRes(req, reply, presenceRes(app))
  })

  server.post(`${base}/presence`, cfg('presence'), (req, reply) => {
    const app = appOf(ctx, req)
    if (!app.available) throw errors.conflict('MakeMeAvailableRequired', 'The MakeMeAvailable operation is a prerequisite for this operation.')
    const chosen = availability(input(req, ['json', 'xml']).props.availability)
    if (!chosen) throw errors.parameter('availability is required.')
    app.chosenAvailability = chosen
    app.emitResource({ rel: 'me', href: app.href('/me') }, 'updated', presenceRes(app), {}, 'medium')
    return reply.code(204).send()
  })
}
