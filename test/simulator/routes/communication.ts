// communication, conversations and P2P audio/video (communication_ref.md, startAudioVideo_ref.md,
// audioVideoInvitation_ref.md, acceptWithAnswer_ref.md, sendProvisionalAnswer_ref.md, decline_ref.md,
// cancel_ref.md, audioVideo_ref.md, stopAudioVideo_ref.md, audioVideoSession_ref.md, audioVideoNegotiation_ref.md).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errors, SimError } from '../http/errors'
import { str } from '../http/input'
import { decodeDataUrl } from '../http/resource'
import { appOf, input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT, type Application } from '../pool/application'
import type { Conversation, Invitation } from '../pool/conversation'
import { mediaKinds } from '../conference/mcu'
import { readMultipartOffer } from '../sfb/dialect'
import { incomingMeetingInvitationRes, onlineMeetingInvitationRes } from '../pool/meeting-render'
import { participantMessagingRes } from '../pool/messaging-render'
import {
  audioVideoRes,
  audioVideoSessionRes,
  communicationRes,
  conversationRes,
  invitationRes,
  negotiationRes,
  participantInvitationRes,
  participantMediaRes,
  participantRes,
  participantsRes,
  remoteUsers,
  renegotiationRes,
} from '../pool/render'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })
const importances = ['Normal', 'Urgent', 'Emergency']
const dismissReasons = ['Unknown', 'MediaAllocationFailure', 'EncryptionMismatch', 'IPv6NotSupported', 'UnsupportedMedia', 'InvalidMediaOffer', 'InsufficientBandwidth', 'Conflict']
const declineReasons = [
  'Unknown', 'Local', 'Global', 'MediaAllocationFailure', 'EncryptionMismatch', 'IPv6NotSupported', 'MediaConnectivityFailure',
  'CodecMismatch', 'UnsupportedMedia', 'InvalidMediaOffer', 'InsufficientBandwidth', 'InsufficientBandwidthRerouteOverPstn',
]

export function limited(value: unknown, name: string, max: number, isRequired: boolean): string | undefined {
  const s = str(value)
  if (s === undefined || s === '') {
    if (isRequired) throw errors.parameter(`${name} is required.`)
    return undefined
  }
  if (s.length > max) throw errors.parameter(`${name} is longer than ${max} characters.`)
  return s
}

/** ?sessionContext=… (required, ≤ 50) and ?processedOfferId=… (≤ 100) of the answer operations. */
export function answerQuery(req: FastifyRequest): { sessionContext: string; processedOfferId?: string } {
  const q = req.query as Record<string, unknown>
  const processedOfferId = limited(q.processedOfferId, 'processedOfferId', 100, false)
  return { sessionContext: limited(q.sessionContext, 'sessionContext', 50, true)!, processedOfferId }
}

export function registerCommunication(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/communication`
  const invitation = (app: Application, req: FastifyRequest): Invitation => {
    const inv = app.invitations.get((req.params as { invId: string }).invId)
    if (!inv) throw new SimError(404, undefined, 'Call not found.')
    return inv
  }
  const conversation = (app: Application, req: FastifyRequest): Conversation => {
    const c = app.conversations.get((req.params as { convId: string }).convId)
    if (!c) throw new SimError(404, 'ConversationNotFound', 'The conversation does not exist.')
    return c
  }

  server.get(base, cfg('communication'), (req, reply) => sendRes(req, reply, communicationRes(appOf(ctx, req))))

  server.get(`${base}/conversations`, cfg('conversations'), (req, reply) => {
    const app = appOf(ctx, req)
    const list = [...app.conversations.values()].map((c) => conversationRes(app, c))
    return sendRes(req, reply, {
      rel: 'conversations',
      href: app.href('/communication/conversations'),
      links: { conversation: list.map((c) => ({ href: c.href })) },
      embedded: { conversation: list },
    })
  })

  server.post(`${base}/startAudioVideo`, cfg('startAudioVideo'), (req, reply) => {
    const app = appOf(ctx, req)
    const { props, links } = input(req, ['json', 'xml'])
    const to = limited(props.to, 'to', 256, true)!
    if (!/^(sip:)?[^@\s]+@[^@\s]+$/i.test(to)) throw errors.parameter('to must be a SIP address.')
    const importance = limited(props.importance, 'importance', 20, false)
    if (importance && !importances.includes(importance)) throw errors.parameter(`Unknown importance ${importance}.`)
    const offerHref = links.mediaOffer ?? str(props.mediaoffer)
    if (!offerHref) throw errors.parameter('mediaOffer is required for an audio/video call.')
    // a pool takes its clients' multipart/alternative offers ([MS-SIPRE] 3.15.4.1) and passes them on as they came, whatever its own endpoints speak
    const multipart = readMultipartOffer(offerHref)
    const offer = multipart?.body ?? decodeDataUrl(offerHref, 'application/sdp')
    if (!offer || (!multipart && !/^v=0\r?\n/.test(offer))) throw new SimError(400, 'InvalidMediaDescription', 'The media description supplied is not valid.')
    const inv = ctx.world.calls.start(app, {
      to,
      offer,
      offerType: multipart?.contentType,
      operationId: limited(props.operationid, 'operationId', 50, false),
      sessionContext: limited(props.sessioncontext, 'sessionContext', 50, false),
      subject: limited(props.subject, 'subject', 250, false),
      threadId: limited(props.threadid, 'threadId', 100, false),
      importance,
    })
    reply.header('Location', app.href(`/communication/invitations/${inv.id}`))
    return sendRes(req, reply, invitationRes(app, inv), 201)
  })

  const inv = `${base}/invitations/:invId`
  server.get(inv, cfg('audioVideoInvitation'), (req, reply) => {
    const app = appOf(ctx, req)
    const pi = app.participantInvitations.get((req.params as { invId: string }).invId)
    if (pi) return sendRes(req, reply, participantInvitationRes(app, pi))
    const incoming = ctx.world.invites.incoming.get((req.params as { invId: string }).invId)
    if (incoming?.app === app) return sendRes(req, reply, incomingMeetingInvitationRes(app, incoming))
    // onlineMeetingInvitation_ref.md: GET reads a join's invitation too (link-only events point at it)
    const join = ctx.world.joins.invitations.get((req.params as { invId: string }).invId)
    if (join && join.conversation.local.sip === app.user.sip) return sendRes(req, reply, onlineMeetingInvitationRes(app, join))
    return sendRes(req, reply, invitationRes(app, invitation(app, req)))
  })

  server.get(`${inv}/audioVideoNegotiation`, cfg('audioVideoNegotiation'), (req, reply) => {
    const app = appOf(ctx, req)
    const i = invitation(app, req)
    if (!i.negotiation) throw errors.notFound('No media answer has arrived for this invitation yet.')
    return sendRes(req, reply, negotiationRes(app, i))
  })

  // conference invitations carry their own handlers (the unit's early checks on a provisional answer, its join on the final one)
  for (const [name, run] of [
    ['sendProvisionalAnswer', (app: Application, i: Invitation, sdp: string, sc: string, part?: string) => (i.handlers ? i.handlers.provisional(sdp) : ctx.world.calls.provisionalAnswer(app, i, sdp, sc, part))],
    ['acceptWithAnswer', (app: Application, i: Invitation, sdp: string, sc: string, part?: string) => (i.handlers ? i.handlers.accept(sdp, sc) : ctx.world.calls.accept(app, i, sdp, sc, part))],
  ] as const) {
    server.post(`${inv}/${name}`, cfg(name), (req, reply) => {
      const app = appOf(ctx, req)
      const { sessionContext, processedOfferId } = answerQuery(req)
      const i = invitation(app, req)
      const { text } = input(req, ['sdp'])
      run(app, i, text, sessionContext, processedOfferId)
      return reply.code(204).send()
    })
  }

  // an incoming onlineMeetingInvitation's accept (meeting-invites.ts): no body, 204
  server.post(`${inv}/accept`, cfg('accept'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    ctx.world.invites.accept(app, (req.params as { invId: string }).invId)
    return reply.code(204).send()
  })

  server.post(`${inv}/decline`, cfg('decline'), (req, reply) => {
    const app = appOf(ctx, req)
    const incoming = ctx.world.invites.incoming.get((req.params as { invId: string }).invId)
    if (incoming?.app === app) return (input(req, ['json', 'xml', 'none']), ctx.world.invites.decline(app, incoming.id), reply.code(204).send())
    const i = invitation(app, req)
    const reason = limited(input(req, ['json', 'xml', 'none']).props.reason, 'reason', 50, false) ?? 'Local'
    if (!declineReasons.includes(reason)) throw errors.parameter(`Unknown decline reason ${reason}.`)
    if (i.handlers) i.handlers.decline(reason)
    else ctx.world.calls.decline(app, i, reason)
    return reply.code(204).send()
  })

  server.post(`${inv}/cancel`, cfg('cancel'), (req, reply) => {
    const app = appOf(ctx, req)
    // a join still waiting (onlineMeetingInvitation_ref.md's cancel): leaving the lobby
    const join = ctx.world.joins.invitations.get((req.params as { invId: string }).invId)
    if (join && join.conversation.local.sip === app.user.sip) return (ctx.world.joins.cancel(app, join), reply.code(204).send())
    const i = invitation(app, req)
    if (i.onCancel) i.onCancel()
    else ctx.world.calls.cancel(app, i)
    return reply.code(204).send()
  })

  const conv = `${base}/conversations/:convId`
  server.get(conv, cfg('conversation'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, conversationRes(app, conversation(app, req)))
  })
  server.get(`${conv}/audioVideo`, cfg('audioVideo'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, audioVideoRes(app, conversation(app, req)))
  })
  server.get(`${conv}/audioVideo/audioVideoSession`, cfg('audioVideoSession'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    if (!c.session) throw errors.notFound('There is no audio/video session.')
    return sendRes(req, reply, audioVideoSessionRes(app, c))
  })
  server.post(`${conv}/audioVideo/stopAudioVideo`, cfg('stopAudioVideo'), async (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    input(req, ['json', 'xml', 'none'])
    if (ctx.world.joins.roomOf(app, c)) await ctx.world.meetingMedia.stop(app, c)
    else if (c.conference) await ctx.world.conferencing.leave(app, c)
    else ctx.world.calls.hangUp(app, c)
    return reply.code(204).send()
  })

  server.post(`${conv}/addParticipant`, cfg('addParticipant'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const { props } = input(req, ['json', 'xml'])
    const to = limited(props.to, 'to', 256, true)!
    if (!/^(sip:)?[^@\s]+@[^@\s]+$/i.test(to)) throw errors.parameter('to must be a SIP address.')
    const operationId = limited(props.operationid, 'operationId', 50, false)
    const pi = ctx.world.joins.roomOf(app, c) ? ctx.world.invites.invite(app, c, to, operationId) : ctx.world.conferencing.addParticipant(app, c, to, operationId)
    reply.header('Location', app.href(`/communication/invitations/${pi.id}`))
    return sendRes(req, reply, participantInvitationRes(app, pi), 201)
  })

  server.post(`${conv}/audioVideo/escalateAudioVideo`, cfg('escalateAudioVideo'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const q = req.query as Record<string, unknown>
    const operationId = limited(q.operationId, 'operationId', 50, true)!
    const sessionContext = limited(q.sessionContext, 'sessionContext', 50, true)!
    const { text } = input(req, ['sdp'])
    const kinds = mediaKinds(text)
    // escalateAudioVideo_ref.md: "The client must provide sdp for both modalities."
    if (!kinds.includes('audio') || !kinds.includes('video')) throw errors.parameter('The offer must have both an audio and a video section.')
    const inv = ctx.world.conferencing.escalate(app, c, text, operationId, sessionContext)
    reply.header('Location', app.href(`/communication/invitations/${inv.id}`))
    return sendRes(req, reply, invitationRes(app, inv), 201)
  })

  // participantMessaging_ref.md: the resource a participantMessaging event links to (GET only)
  server.get(`${conv}/participants/:sip/participantMessaging`, cfg('participantMessaging'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const sip = (req.params as { sip: string }).sip.toLowerCase()
    const u = sip === c.local.sip ? c.local : remoteUsers(c).find((x) => x.sip === sip)
    if (!u) throw errors.notFound('No such participant.')
    return sendRes(req, reply, participantMessagingRes(app, c, u))
  })

  for (const kind of ['audio', 'video'] as const) {
    server.get(`${conv}/participants/:sip/participant${kind === 'audio' ? 'Audio' : 'Video'}`, cfg(kind === 'audio' ? 'participantAudio' : 'participantVideo'), (req, reply) => {
      const app = appOf(ctx, req)
      const c = conversation(app, req)
      const sip = (req.params as { sip: string }).sip.toLowerCase()
      const u = sip === c.local.sip ? c.local : remoteUsers(c).find((x) => x.sip === sip)
      if (!u || !c.conference) throw errors.notFound('No such participant media.')
      return sendRes(req, reply, participantMediaRes(app, c, u, kind))
    })
    const Kind = kind === 'audio' ? 'Audio' : 'Video'
    for (const mute of [true, false]) {
      const op = `${mute ? 'mute' : 'unmute'}${Kind}`
      server.post(`${conv}/participants/:sip/participant${Kind}/${op}`, cfg(op), (req, reply) => {
        const app = appOf(ctx, req)
        const c = conversation(app, req)
        const sip = (req.params as { sip: string }).sip.toLowerCase()
        if (ctx.world.joins.roomOf(app, c)) ctx.world.meetingMedia.setMuted(app, c, sip, kind, mute)
        else ctx.world.conferencing.setMuted(app, c, sip, kind, mute)
        return reply.code(204).send()
      })
    }
  }
  const reneg = `${conv}/audioVideo/audioVideoSession/renegotiations`
  server.post(reneg, cfg('renegotiations'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const operationId = limited((req.query as Record<string, unknown>).operationId, 'operationId', 50, true)!
    const { text } = input(req, ['sdp'])
    const r = ctx.world.calls.renegotiate(app, c, text, operationId)
    const res = renegotiationRes(app, c, r, 'Outgoing')
    reply.header('Location', res.href)
    return sendRes(req, reply, res, 201)
  })
  const pending = (app: Application, req: FastifyRequest) => {
    const r = ctx.world.calls.renegotiations.get((req.params as { renegId: string }).renegId)
    if (!r || !r.views.some((v) => v.app === app)) throw errors.notFound('No such renegotiation.')
    return r
  }
  // audioVideoRenegotiation_ref.md: GET, each side its own view (direction)
  server.get(`${reneg}/:renegId`, cfg('audioVideoRenegotiation'), (req, reply) => {
    const app = appOf(ctx, req)
    const r = pending(app, req)
    const view = r.views.find((v) => v.app === app)!
    return sendRes(req, reply, renegotiationRes(app, view.conversation, r, view.direction))
  })
  // answer_ref.md lists no body, but an answer to an offer is SDP: it comes as application/sdp
  server.post(`${reneg}/:renegId/answer`, cfg('answer'), (req, reply) => {
    const app = appOf(ctx, req)
    const r = pending(app, req)
    ctx.world.calls.answerRenegotiation(app, r, input(req, ['sdp']).text)
    return reply.code(204).send()
  })
  server.post(`${reneg}/:renegId/dismiss`, cfg('dismiss'), (req, reply) => {
    const app = appOf(ctx, req)
    const r = pending(app, req)
    // dismiss_ref.md: reason is one of ReNegotiationDeclineReason's values
    const reason = limited(input(req, ['json', 'xml', 'none']).props.reason, 'reason', 50, false)
    if (reason && !dismissReasons.includes(reason)) throw errors.parameter(`Unknown dismiss reason ${reason}.`)
    if (reason) r.dismissReason = reason
    ctx.world.calls.answerRenegotiation(app, r, null)
    return reply.code(204).send()
  })

  server.get(`${conv}/participants`, cfg('participants'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, participantsRes(app, conversation(app, req)))
  })
  server.get(`${conv}/participants/:sip`, cfg('participant'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const sip = (req.params as { sip: string }).sip.toLowerCase()
    const u = sip === c.local.sip ? c.local : (remoteUsers(c).find((x) => x.sip === sip) ?? null)
    if (!u) throw errors.notFound('No such participant.')
    return sendRes(req, reply, participantRes(app, c, u))
  })
}
