// Instant messaging routes (startMessaging_ref.md, addMessaging_ref.md, messagingInvitation_ref.md, accept_ref.md,
// decline_ref.md, cancel_ref.md, messaging_ref.md, sendMessage_ref.md, message_ref.md, setIsTyping_ref.md,
// typingParticipants_ref.md, stopMessaging_ref.md). Paths as SendAnIM.md and ReceiveAnIM.md show a pool's.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errors, SimError } from '../http/errors'
import { mediaType, str } from '../http/input'
import { decodeDataUrl } from '../http/resource'
import { appOf, input, sendRes, type Ctx, type RouteConfig } from '../http/server'
import { APPS_ROOT, type Application } from '../pool/application'
import type { Conversation } from '../pool/conversation'
import { messageRes, messagingInvitationRes, messagingRes, typingParticipantsRes, type MessageBody } from '../pool/messaging-render'
import { limited } from './communication'

const cfg = (resource: string): { config: RouteConfig } => ({ config: { resource, auth: true } })
const importances = ['Normal', 'Urgent', 'Emergency']
/** a message longer than this is refused (Lync's IM limit is 8,000 characters; SIP MESSAGE bodies are kept small) */
const MAX_MESSAGE = 8_000

/** The `message` link of startMessaging/addMessaging: a data: URL of text/plain or text/html. */
function firstMessage(href: string | undefined): MessageBody | undefined {
  if (!href) return undefined
  for (const type of ['text/plain', 'text/html'] as const) {
    const text = decodeDataUrl(href, type)
    if (text !== null) {
      if (text.length > MAX_MESSAGE) throw errors.parameter(`message is longer than ${MAX_MESSAGE} characters.`)
      return { type, text }
    }
  }
  throw errors.parameter('message must be a data: URL of text/plain or text/html.')
}

export function registerMessaging(server: FastifyInstance, ctx: Ctx): void {
  const base = `${APPS_ROOT}/:appId/communication`
  const im = ctx.world.messaging
  const conversation = (app: Application, req: FastifyRequest): Conversation => {
    const c = app.conversations.get((req.params as { convId: string }).convId)
    if (!c) throw new SimError(404, 'ConversationNotFound', 'The conversation does not exist.')
    return c
  }
  const invitation = (app: Application, req: FastifyRequest) => {
    const entry = im.invitations.get((req.params as { invId: string }).invId)
    if (!entry || entry.app !== app) throw errors.notFound('No such invitation.')
    return entry.invitation
  }

  server.post(`${base}/messagingInvitations`, cfg('startMessaging'), (req, reply) => {
    const app = appOf(ctx, req)
    const { props, links } = input(req, ['json', 'xml'])
    // startMessaging_ref.md: `to` in the body (required), or as a query parameter
    const to = limited(props.to ?? (req.query as Record<string, unknown>).to, 'to', 256, true)!
    if (!/^(sip:)?[^@\s]+@[^@\s]+$/i.test(to.replace(/\s/g, ''))) throw errors.parameter('to must be a SIP address.')
    const importance = limited(props.importance, 'importance', 20, false)
    if (importance && !importances.includes(importance)) throw errors.parameter(`Unknown importance ${importance}.`)
    const inv = im.start(app, {
      to: to.replace(/\s/g, ''),
      operationId: limited(props.operationid, 'operationId', 50, false),
      subject: limited(props.subject, 'subject', 250, false),
      threadId: limited(props.threadid, 'threadId', 100, false),
      importance,
      message: firstMessage(links.message ?? str(props.message)),
    })
    const res = messagingInvitationRes(app, inv)
    reply.header('Location', res.href)
    return sendRes(req, reply, res, 201)
  })

  const inv = `${base}/messagingInvitations/:invId`
  server.get(inv, cfg('messagingInvitation'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, messagingInvitationRes(app, invitation(app, req)))
  })
  // ReceiveAnIM.md step 13: accept with ?sessionContext=…, no body
  server.post(`${inv}/accept`, cfg('accept'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    im.accept(app, invitation(app, req))
    return reply.code(204).send()
  })
  server.post(`${inv}/decline`, cfg('decline'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    im.decline(app, invitation(app, req))
    return reply.code(204).send()
  })
  server.post(`${inv}/cancel`, cfg('cancel'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    im.cancel(app, invitation(app, req))
    return reply.code(204).send()
  })

  const conv = `${base}/conversations/:convId`
  server.get(`${conv}/messaging`, cfg('messaging'), (req, reply) => {
    const app = appOf(ctx, req)
    return sendRes(req, reply, messagingRes(app, conversation(app, req)))
  })
  server.post(`${conv}/messaging/addMessaging`, cfg('addMessaging'), (req, reply) => {
    const app = appOf(ctx, req)
    const { props, links } = input(req, ['json', 'xml', 'none'])
    const i = im.add(app, conversation(app, req), {
      operationId: limited(props.operationid, 'operationId', 50, false),
      message: firstMessage(links.message ?? str(props.message)),
    })
    const res = messagingInvitationRes(app, i)
    reply.header('Location', res.href)
    return sendRes(req, reply, res, 201)
  })
  // sendMessage_ref.md: the body is the message itself (text/plain; text/html for an HTML message), ?operationId=
  server.post(`${conv}/messaging/messages`, cfg('sendMessage'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const q = req.query as Record<string, unknown>
    // SendAnIM.md's request names it OperationContext; sendMessage_ref.md operationId: either is taken
    const operationId = limited(q.operationId ?? q.OperationContext, 'operationId', 50, false)
    const type = mediaType(req.headers['content-type'])
    if (type !== 'text/plain' && type !== 'text/html') throw errors.unsupportedMediaType(type)
    const text = typeof req.body === 'string' ? req.body : ''
    if (!text) throw errors.deserialization('The message is empty.')
    if (text.length > MAX_MESSAGE) throw errors.parameter(`The message is longer than ${MAX_MESSAGE} characters.`)
    const m = im.send(app, c, { body: { type, text }, operationId })
    const res = messageRes(app, c, m)
    reply.header('Location', res.href)
    return reply.code(201).send()
  })
  server.get(`${conv}/messaging/messages/:msgId`, cfg('message'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    const m = im.message(c, (req.params as { msgId: string }).msgId)
    if (!m) throw errors.notFound('No such message.')
    return sendRes(req, reply, messageRes(app, c, m))
  })
  server.post(`${conv}/messaging/typing`, cfg('setIsTyping'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    im.setIsTyping(app, conversation(app, req))
    return reply.code(204).send()
  })
  server.get(`${conv}/participants/typingParticipants`, cfg('typingParticipants'), (req, reply) => {
    const app = appOf(ctx, req)
    const c = conversation(app, req)
    return sendRes(req, reply, typingParticipantsRes(app, c, im.typing.of(c)))
  })
  server.post(`${conv}/messaging/terminate`, cfg('stopMessaging'), (req, reply) => {
    const app = appOf(ctx, req)
    input(req, ['json', 'xml', 'none'])
    im.stop(app, conversation(app, req))
    return reply.code(204).send()
  })
}
