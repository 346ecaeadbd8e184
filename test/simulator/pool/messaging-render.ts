// Messaging resources as messaging_ref.md, messagingInvitation_ref.md, message_ref.md and typingParticipants_ref.md
// name their properties and links.
import { UcwaDate, type Link, type Res } from '../http/resource'
import type { Application } from './application'
import type { Conversation } from './conversation'
import type { User } from './directory'
import { participantHref, participantRes } from './render'

const l = (href: string): Link => ({ href })
const convPath = (c: Conversation): string => `/communication/conversations/${c.id}`

export type MessageBody = { type: 'text/plain' | 'text/html'; text: string }

export interface MessagingInvitation {
  id: string
  direction: 'Incoming' | 'Outgoing'
  state: 'Connecting' | 'Connected' | 'Declined' | 'Cancelled' | 'Failed'
  operationId?: string
  to: string
  subject: string
  threadId: string
  importance: string
  /** the first message, carried by the invitation (startMessaging_ref.md's `message` link) */
  message?: MessageBody
  from: User
  conversation: Conversation
  /** who accepted it (acceptedByParticipant), on the caller's side */
  acceptedBy?: User
}

export interface Message {
  id: string
  direction: 'Incoming' | 'Outgoing'
  operationId?: string
  status: 'Pending' | 'Succeeded' | 'Failed'
  timeStamp: number
  body: MessageBody
  from: User
  /** the participants it did not reach (failedDeliveryParticipant) */
  failed: User[]
}

/** A body as a data URL, as ReceiveAnIM.md shows them ("data:text/plain;charset=utf-8,Hi+Tosh%0d%0a"). */
export function bodyDataUrl(b: MessageBody): string {
  return `data:${b.type};charset=utf-8,${encodeURIComponent(b.text)}`
}

export function messagingRes(app: Application, c: Conversation): Res {
  const base = `${convPath(c)}/messaging`
  const p = (path: string): Link => l(app.href(`${base}${path}`))
  const state = c.messaging?.state ?? 'Disconnected'
  const connected = state === 'Connected'
  return {
    rel: 'messaging',
    href: app.href(base),
    // MessageFormat_ref.md: Plain and Html; the simulator relays both as given
    props: { state, negotiatedMessageFormats: connected ? ['Plain', 'Html'] : undefined },
    links: {
      conversation: l(app.href(convPath(c))),
      addMessaging: state === 'Disconnected' ? p('/addMessaging') : undefined,
      // sendMessage_ref.md: "available only when the messaging modality is connected"
      sendMessage: connected ? p('/messages') : undefined,
      setIsTyping: connected ? p('/typing') : undefined,
      stopMessaging: state === 'Disconnected' ? undefined : p('/terminate'),
      typingParticipants: connected ? l(app.href(`${convPath(c)}/participants/typingParticipants`)) : undefined,
    },
  }
}

export function messagingInvitationRes(app: Application, i: MessagingInvitation): Res {
  const base = `/communication/messagingInvitations/${i.id}`
  const p = (path: string): Link => l(app.href(`${base}${path}`))
  const c = i.conversation
  const pending = i.state === 'Connecting'
  return {
    rel: 'messagingInvitation',
    href: app.href(base),
    props: { direction: i.direction, state: i.state, importance: i.importance, operationId: i.operationId, subject: i.subject, threadId: i.threadId, to: i.to },
    links: {
      conversation: l(app.href(convPath(c))),
      messaging: l(app.href(`${convPath(c)}/messaging`)),
      from: l(participantHref(app, c, i.from)),
      to: i.direction === 'Outgoing' ? l(app.href(`/people/${c.remote.key}`)) : l(app.href(`/people/${c.local.key}`)),
      accept: i.direction === 'Incoming' && pending ? p('/accept') : undefined,
      decline: i.direction === 'Incoming' && pending ? p('/decline') : undefined,
      cancel: i.direction === 'Outgoing' && pending ? p('/cancel') : undefined,
      message: i.message ? l(bodyDataUrl(i.message)) : undefined,
    },
    embedded: {
      from: { ...participantRes(app, c, i.from), rel: 'participant' },
      acceptedByParticipant: i.acceptedBy ? [{ ...participantRes(app, c, i.acceptedBy), rel: 'participant' }] : undefined,
    },
  }
}

export function messageRes(app: Application, c: Conversation, m: Message): Res {
  const remote = m.direction === 'Incoming'
  return {
    rel: 'message',
    href: app.href(`${convPath(c)}/messaging/messages/${m.id}`),
    props: { direction: m.direction, operationId: m.operationId, status: m.status, timeStamp: new UcwaDate(m.timeStamp) },
    links: {
      messaging: l(app.href(`${convPath(c)}/messaging`)),
      contact: remote ? l(app.href(`/people/${m.from.key}`)) : undefined,
      participant: remote ? l(participantHref(app, c, m.from)) : undefined,
      // message_ref.md: plainMessage and htmlMessage are data: links
      plainMessage: m.body.type === 'text/plain' ? l(bodyDataUrl(m.body)) : undefined,
      htmlMessage: m.body.type === 'text/html' ? l(bodyDataUrl(m.body)) : undefined,
      failedDeliveryParticipant: m.failed.length ? m.failed.map((u) => l(participantHref(app, c, u))) : undefined,
    },
  }
}

export function typingParticipantsRes(app: Application, c: Conversation, typing: User[]): Res {
  const list = typing.map((u) => ({ ...participantRes(app, c, u), rel: 'participant' }))
  return {
    rel: 'typingParticipants',
    href: app.href(`${convPath(c)}/participants/typingParticipants`),
    links: { participant: list.map((r) => l(r.href)) },
    embedded: { participant: list },
  }
}

/**
 * participantMessaging_ref.md: `u` uses the conversation's instant messaging (sender conversation, `in` the participant,
 * as the samples in SendAnIM.md and ReceiveAnIM.md show it).
 */
export function participantMessagingRes(app: Application, c: Conversation, u: User): Res {
  const participant = participantHref(app, c, u)
  return { rel: 'participantMessaging', href: `${participant}/participantMessaging`, links: { participant: l(participant) } } // the page's sample href
}
