// onlineMeetings, myOnlineMeetings and myOnlineMeeting (onlineMeetings_ref.md, myOnlineMeetings_ref.md, myOnlineMeeting_ref.md).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errors, SimError } from '../http/errors'
import { input, appOf, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { str } from '../http/input'
import { APPS_ROOT, type Application } from '../pool/application'
import { myOnlineMeetingRes, myOnlineMeetingsRes, onlineMeetingsRes } from '../pool/meeting-render'
import {
  accessLevels,
  automaticLeaderAssignments,
  enabledOrDisabled,
  entryExitAnnouncements,
  type AccessLevel,
  type MeetingInput,
} from '../pool/meetings'
import { limited } from './communication'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })

function oneOf(value: unknown, name: string, allowed: string[]): string | undefined {
  const s = limited(value, name, 50, false)
  // AccessLevel_ref.md's None is "Not initialized": the pool keeps what the meeting has
  if (s === undefined || (name === 'accessLevel' && s === 'None')) return undefined
  if (!allowed.includes(s)) throw errors.parameter(`${name} must be one of ${allowed.join(', ')}.`)
  return s
}

function sipList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw errors.parameter(`${name} must be a list of SIP addresses.`)
  // the pages' own samples write "sip : johndoe@contoso.com"; a pool reads the address, not the spacing
  return (list as string[]).map((x) => {
    const sip = x.replace(/\s+/g, '').toLowerCase()
    if (!/^sip:[^@\s;]+@[^@\s;]+$/.test(sip)) throw errors.parameter(`${x} in ${name} is not a SIP address.`)
    return sip
  })
}

/** expirationTime as JSON's /Date(ms)/ or XML's ISO 8601 (PayloadFormat.md). */
function time(value: unknown): number | undefined {
  const s = str(value)
  if (s === undefined || s === '') return undefined
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(s)?.[1]
  const t = ms !== undefined ? Number(ms) : Date.parse(s)
  if (!Number.isFinite(t)) throw errors.parameter('expirationTime is not a date and time.')
  return t
}

function meetingInput(req: FastifyRequest): MeetingInput {
  const { props } = input(req, ['json', 'xml', 'none'])
  return {
    accessLevel: oneOf(props.accesslevel, 'accessLevel', accessLevels) as AccessLevel | undefined,
    attendees: sipList(props.attendees, 'attendees'),
    leaders: sipList(props.leaders, 'leaders'),
    automaticLeaderAssignment: oneOf(props.automaticleaderassignment, 'automaticLeaderAssignment', automaticLeaderAssignments),
    entryExitAnnouncement: oneOf(props.entryexitannouncement, 'entryExitAnnouncement', entryExitAnnouncements),
    lobbyBypassForPhoneUsers: oneOf(props.lobbybypassforphoneusers, 'lobbyBypassForPhoneUsers', enabledOrDisabled),
    phoneUserAdmission: oneOf(props.phoneuseradmission, 'phoneUserAdmission', enabledOrDisabled),
    description: limited(props.description, 'description', 2000, false),
    subject: limited(props.subject, 'subject', 250, false),
    expirationTime: time(props.expirationtime),
  }
}

export function registerMeetings(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/onlineMeetings`
  const meetings = ctx.world.meetings
  const domain = (): string => ctx.options.domain
  const key = (req: FastifyRequest): string => (req.params as { key: string }).key
  const organizer = (req: FastifyRequest): Application => appOf(ctx, req)

  server.get(base, cfg('onlineMeetings'), (req, reply) => sendRes(req, reply, onlineMeetingsRes(appOf(ctx, req))))

  server.get(`${base}/myOnlineMeetings`, cfg('myOnlineMeetings'), (req, reply) => {
    const app = organizer(req)
    return sendRes(req, reply, myOnlineMeetingsRes(app, meetings.of(app.user), domain()))
  })

  server.post(`${base}/myOnlineMeetings`, cfg('myOnlineMeetings'), (req, reply) => {
    const app = organizer(req)
    const m = meetings.create(app.user, meetingInput(req))
    const res = myOnlineMeetingRes(app, m, domain())
    reply.header('Location', res.href)
    return sendRes(req, reply, res, 201)
  })

  const one = `${base}/myOnlineMeetings/:key`
  server.get(one, cfg('myOnlineMeeting'), (req, reply) => {
    const app = organizer(req)
    return sendRes(req, reply, myOnlineMeetingRes(app, meetings.byKey(app.user, key(req)), domain()))
  })

  server.put(one, cfg('myOnlineMeeting'), (req, reply) => {
    const app = organizer(req)
    const m = meetings.byKey(app.user, key(req))
    return sendRes(req, reply, myOnlineMeetingRes(app, meetings.update(m, meetingInput(req)), domain()))
  })

  server.delete(one, cfg('myOnlineMeeting'), (req, reply) => {
    const app = organizer(req)
    meetings.delete(meetings.byKey(app.user, key(req)))
    return reply.code(204).send()
  })
}

/** What a guest's token may reach: its application, its events, the communication it joins by; nothing of the directory. */
const guestResources = new Set(['user', 'redirect', 'anonApplications', 'application', 'events', 'me', 'communication'])
const guestRefused = new Set(['startAudioVideo', 'addParticipant'])

export function refuseGuest(resource: string, routeUrl: string): void {
  const communication = routeUrl.startsWith(`${APPS_ROOT}/:appId/communication/`)
  if (guestResources.has(resource) || (communication && !guestRefused.has(resource))) return
  throw new SimError(403, 'AnonymousNotAllowed', 'This operation is not allowed for anonymous users', 'Forbidden')
}
