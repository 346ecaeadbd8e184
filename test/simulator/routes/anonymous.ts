// Guests: the urn:microsoft.rtc:anonmeeting grant (AuthenticationInUCWA.md) and anonApplications (anonApplications_ref.md).
import type { FastifyInstance, FastifyReply } from 'fastify'
import { SimError } from '../http/errors'
import { input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import type { User } from '../pool/directory'
import { guestApplicationRes } from '../pool/meeting-render'
import { meetingUri } from '../pool/meetings'
import { limited } from './communication'

export const ANON_APPLICATIONS = '/ucwa/oauth/v1/anonApplications'

/**
 * grant_type=urn:microsoft.rtc:anonmeeting&password=<conference key>&ms_rtc_conferenceuri=<conference URI>: the
 * password is the conference key (the page's sample uses the meeting id, G03W98W4, for both). The token is for the
 * organizer's home pool, where UCWA runs for a guest (RootURL.md: "the home pool of the meeting organizer").
 */
export function anonMeetingGrant(ctx: Ctx, form: Record<string, unknown>, reply: FastifyReply, oauthError: (e: string, d: string) => FastifyReply): FastifyReply {
  const uri = String(form.ms_rtc_conferenceuri ?? '')
  const key = String(form.password ?? '')
  if (!uri || !key) return oauthError('invalid_request', 'ms_rtc_conferenceuri and password are required.')
  const meeting = ctx.world.meetings.byUri(uri)
  if (!meeting || meeting.id.toUpperCase() !== key.toUpperCase()) return oauthError('invalid_grant', 'The conference could not be found or the conference key is wrong.')
  const id = ctx.world.ids.id()
  // a guest has no directory entry; its name comes with joinOnlineMeeting (anonymousDisplayName)
  const guest: User = {
    sip: `guest-${id}@${ctx.options.domain}`,
    uri: `sip:guest-${id}@${ctx.options.domain}`,
    key: `g${id}`,
    name: '',
    password: '',
    pool: meeting.organizer.pool,
    company: '',
    title: '',
    department: '',
  }
  const token = ctx.world.tokens.issue(guest, ctx.pool.id, { meetingUri: meetingUri(meeting) })
  return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').type('application/json').send(JSON.stringify(token))
}

export function registerAnonymous(server: FastifyInstance, ctx: Ctx): void {
  const cfg: { config: RouteConfig } = { config: { resource: 'anonApplications', auth: true } }
  server.post(ANON_APPLICATIONS, cfg, (req, reply) => {
    const grant = req.grant!
    if (!grant.guest) throw new SimError(403, undefined, 'Only a guest (urn:microsoft.rtc:anonmeeting) creates an anonymous application.', 'Forbidden')
    if (grant.user.pool !== ctx.pool.id) throw new SimError(403, undefined, "The meeting's organizer is homed on another pool.", 'Forbidden')
    const { props } = input(req, ['json', 'xml'])
    const culture = limited(props.culture, 'culture', 100, true)!
    const userAgent = limited(props.useragent, 'userAgent', 100, true)!
    // the guest's name comes later, with joinOnlineMeeting (onlineMeetingInvitation_ref.md's anonymousDisplayName,
    // "required for anonymous users"); until then its me has only its URI. One grant, one application.
    const { app, created } = ctx.world.createApplication(grant.user, ctx.pool.id, { culture, userAgent, endpointId: grant.user.key })
    app.guest = grant.guest
    app.channelReset = false
    if (created) reply.header('Location', app.href())
    return sendRes(req, reply, guestApplicationRes(app), created ? 201 : 200)
  })
}

