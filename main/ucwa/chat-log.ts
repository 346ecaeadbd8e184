// The messages of one conversation's messaging modality, in the order they were sent or came, each with its
// delivery status (message_ref.md: an outgoing message is tracked by its operationId through started → completed).
import type { UcwaEvent } from './events'
import { messageContent, decodeDataUrl, type MessageContent } from './message-body'
import { link, prop, type Resource } from './resource'

export type MessageStatus = 'sending' | 'delivered' | 'failed'

export interface ChatMessage {
  /** stable for the life of the chat (a retried message keeps it) */
  id: string
  direction: 'incoming' | 'outgoing'
  author: { name: string; uri: string }
  /** ms since the epoch: the pool's timeStamp for incoming messages, when it was sent for mine */
  time: number
  content: MessageContent
  status: MessageStatus
  /** why delivery failed (the message event's reason) */
  failure?: { code: string; subcode?: string; message?: string }
}

/** what a retry needs: the body as it was sent */
export interface OutgoingBody {
  type: 'plain' | 'html'
  body: string
}

export class ChatLog {
  readonly #messages: ChatMessage[] = []
  /** operationId → my message; message href → a message already logged (started, then completed) */
  readonly #byOperation = new Map<string, ChatMessage>()
  readonly #byHref = new Map<string, ChatMessage>()
  readonly #bodies = new Map<string, OutgoingBody>()
  #seq = 0

  constructor(private readonly changed: () => void) {}

  list(): ChatMessage[] {
    return this.#messages.map((m) => ({ ...m }))
  }

  body(id: string): OutgoingBody | undefined {
    return this.#bodies.get(id)
  }

  get(id: string): ChatMessage | undefined {
    return this.#messages.find((m) => m.id === id)
  }

  /** My message, sending under `operationId`. */
  outgoing(me: ChatMessage['author'], content: MessageContent, body: OutgoingBody, operationId: string, time: number): ChatMessage {
    const m: ChatMessage = { id: `m${++this.#seq}`, direction: 'outgoing', author: me, time, content, status: 'sending' }
    this.#messages.push(m)
    this.#bodies.set(m.id, body)
    this.#byOperation.set(operationId, m)
    this.changed()
    return m
  }

  /** Sending it again under a new operationId (retry after a failure). */
  resend(m: ChatMessage, operationId: string): void {
    m.status = 'sending'
    m.failure = undefined
    this.#byOperation.set(operationId, m)
    this.changed()
  }

  settle(m: ChatMessage, ok: boolean, failure?: ChatMessage['failure']): void {
    m.status = ok ? 'delivered' : 'failed'
    m.failure = ok ? undefined : (failure ?? { code: 'ServiceFailure' })
    this.changed()
  }

  /** A message event (started or completed, sent by the conversation), its resource read. */
  async onEvent(e: UcwaEvent, author: (participantHref: string | undefined) => Promise<ChatMessage['author']>): Promise<void> {
    const res = e.embedded
    const known = this.#byHref.get(e.link.href)
    if (!res && !known) return
    const mine = known ?? this.#byOperation.get(prop(res, 'operationId') ?? '')
    if (mine?.direction === 'outgoing' || prop(res, 'direction') === 'Outgoing') {
      if (!mine) return
      this.#byHref.set(e.link.href, mine)
      if (e.type === 'completed') this.settle(mine, e.status === 'Success', e.reason)
      return
    }
    if (known) return // an incoming message is logged once, at whichever of its events comes first
    const m = await incoming(res!, author)
    if (this.#byHref.has(e.link.href)) return // logged while its body was read
    m.id = `m${++this.#seq}`
    this.#byHref.set(e.link.href, m)
    this.#messages.push(m)
    this.changed()
  }

  /** The first message an incoming invitation carried (its `message` link). */
  async first(href: string, author: ChatMessage['author'], time: number): Promise<void> {
    const html = decodeDataUrl(href, 'text/html')
    const content = await messageContent(html !== null ? { html } : { plain: decodeDataUrl(href, 'text/plain') ?? '' })
    this.#messages.push({ id: `m${++this.#seq}`, direction: 'incoming', author, time, content, status: 'delivered' })
    this.changed()
  }
}

async function incoming(res: Resource, author: (participantHref: string | undefined) => Promise<ChatMessage['author']>): Promise<ChatMessage> {
  const plainHref = link(res, 'plainMessage')
  const htmlHref = link(res, 'htmlMessage')
  const plain = plainHref ? (decodeDataUrl(plainHref, 'text/plain') ?? undefined) : undefined
  const html = htmlHref ? (decodeDataUrl(htmlHref, 'text/html') ?? undefined) : undefined
  const stamp = prop<string>(res, 'timeStamp')
  const time = stamp ? ucwaTime(stamp) : Date.now()
  return { id: '', direction: 'incoming', author: await author(link(res, 'participant')), time, content: await messageContent({ plain, html }), status: 'delivered' }
}

/** PayloadFormat.md: JSON dates are /Date(ms)/, XML's ISO 8601. */
function ucwaTime(s: string): number {
  const m = /^\/Date\((-?\d+)\)\/$/.exec(s)
  const t = m ? Number(m[1]) : Date.parse(s)
  return Number.isFinite(t) ? t : Date.now()
}
