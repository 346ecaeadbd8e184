// joinOnlineMeeting (joinOnlineMeeting_ref.md), addAudioVideo on its conversation (addAudioVideo_ref.md) and the
// lobby's admit and reject (admit_ref.md, reject_ref.md).
import type { FastifyInstance } from 'fastify'
import { errors, SimError } from '../http/errors'
import { str } from '../http/input'
import { decodeDataUrl } from '../http/resource'
import { appOf, input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { invitationRes } from '../pool/render'
import { APPS_ROOT } from '../pool/application'
import { limited } from './communication'
import { readMultipartOffer } from '../sfb/dialect'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })
const importances = ['Normal', 'Urgent', 'Emergency']

export function registerMeetingJoins(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/communication`

  server.post(`${base}/onlineMeetingInvitations`, cfg('joinOnlineMeeting'), (req, reply) => {
    const app = appOf(ctx, req)
    const { props } = input(req, ['json', 'xml', 'none'])
    const q = req.query as Record<string, unknown>
    const uri = limited(props.onlinemeetinguri ?? q.onlineMeetingUri, 'onlineMeetingUri', 1024, true)!
    if (uri === 'adhoc') throw errors.parameter('startOnlineMeeting is not simulated: create a meeting (myOnlineMeetings) and join it.')
    const importance = limited(props.importance, 'importance', 20, false)
    if (importance && !importances.includes(importance)) throw errors.parameter(`Unknown importance ${importance}.`)
    const invitation = ctx.world.joins.join(app, {
      onlineMeetingUri: uri,
      operationId: limited(props.operationid, 'operationId', 50, false),
      subject: limited(props.subject, 'subject', 250, false),
      threadId: limited(props.threadid, 'threadId', 100, false),
      importance,
      anonymousDisplayName: limited(props.anonymousdisplayname, 'anonymousDisplayName', 250, false)?.trim() || undefined,
    })
    // the page's sample: 201 with the invitation's Location and no body; the invitation comes on the event channel
    return reply.code(201).header('Location', app.href(`/communication/invitations/${invitation.id}`)).send()
  })

  server.post(`${base}/conversations/:convId/audioVideo/addAudioVideo`, cfg('addAudioVideo'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = app.conversations.get((req.params as { convId: string }).convId)
    if (!c) throw new SimError(404, 'ConversationNotFound', 'The conversation does not exist.')
    const { props, links } = input(req, ['json', 'xml'])
    const offerHref = links.mediaOffer ?? str(props.mediaoffer)
    // a pool takes its clients' multipart/alternative offers here too ([MS-SIPRE] 3.15.4.1), whatever its own endpoints speak, as startAudioVideo does
    const multipart = offerHref ? readMultipartOffer(offerHref) : null
    const offer = multipart?.body ?? (offerHref ? decodeDataUrl(offerHref, 'application/sdp') : undefined)
    if (!offer || (!multipart && !/^v=0\r?\n/.test(offer))) throw new SimError(400, 'InvalidMediaDescription', 'The media description supplied is not valid.')
    const operationId = limited(props.operationid, 'operationId', 50, false)
    const sessionContext = limited(props.sessioncontext, 'sessionContext', 50, false)
    // not a meeting: a two-party conversation with a chat, whose other side rings (issue #21)
    const inv = ctx.world.joins.roomOf(app, c)
      ? ctx.world.meetingMedia.add(app, c, offer, operationId, sessionContext, multipart?.contentType)
      : ctx.world.calls.addTo(app, c, ctx.world.messaging.peerOf(c), { offer, offerType: multipart?.contentType, operationId, sessionContext })
    reply.header('Location', app.href(`/communication/invitations/${inv.id}`))
    return sendRes(req, reply, invitationRes(app, inv), 201)
  })

  // enableAudienceMuteLock_ref.md, disableAudienceMuteLock_ref.md: no body, 204
  for (const [op, locked] of [['enableAudienceMuteLock', true], ['disableAudienceMuteLock', false]] as const) {
    server.post(`${base}/conversations/:convId/${op}`, cfg(op), (req, reply) => {
      const app = appOf(ctx, req)
      const c = app.conversations.get((req.params as { convId: string }).convId)
      if (!c) throw new SimError(404, 'ConversationNotFound', 'The conversation does not exist.')
      input(req, ['json', 'xml', 'none'])
      ctx.world.meetingMedia.setAudienceLock(app, c, locked)
      return reply.code(204).send()
    })
  }

  // promote_ref.md, demote_ref.md, eject_ref.md (leaders only), and admit / reject of a lobby participant: 204
  for (const op of ['promote', 'demote', 'eject', 'admit', 'reject'] as const) {
    server.post(`${base}/conversations/:convId/participants/:sip/${op}`, cfg(op), (req, reply) => {
      const app = appOf(ctx, req)
      const { convId, sip } = req.params as { convId: string; sip: string }
      const c = app.conversations.get(convId)
      if (!c) throw new SimError(404, 'ConversationNotFound', 'The conversation does not exist.')
      input(req, ['json', 'xml', 'none'])
      if (op === 'eject') ctx.world.joins.eject(app, c, sip, (room, target) => ctx.world.meetingMedia.ejected(room, target))
      else if (op === 'admit' || op === 'reject') ctx.world.joins[op](app, c, sip)
      else ctx.world.joins.setRole(app, c, sip, op === 'promote' ? 'Leader' : 'Attendee')
      return reply.code(204).send()
    })
  }
}
