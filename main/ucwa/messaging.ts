// The instant messaging modality of one conversation (SendAnIM.md, ReceiveAnIM.md, startMessaging_ref.md,
// addMessaging_ref.md, messagingInvitation_ref.md, messaging_ref.md, sendMessage_ref.md, message_ref.md,
// setIsTyping_ref.md, typingParticipants_ref.md, stopMessaging_ref.md). Not tied to the call engine: a Conversation
// hosts it, routing it the events `Messaging.rels` names (see `owns`), as it does a Roster.
import { randomUUID } from 'node:crypto'
import { ChatLog, type ChatMessage } from './chat-log'
import { reasonError, UcwaError } from './errors'
import type { UcwaEvent } from './events'
import type { UcwaHttp } from './http'
import { textDataUrl, type MessageContent } from './message-body'
import { link, prop, type Resource } from './resource'
import { IllegalTransition, StateMachine } from './state-machine'

export type MessagingState = 'idle' | 'inviting' | 'invited' | 'connected' | 'ended'

const table: Record<MessagingState, readonly MessagingState[]> = {
  idle: ['inviting', 'invited'],
  inviting: ['connected', 'ended'],
  invited: ['connected', 'ended'],
  connected: ['ended'],
  ended: ['inviting'], // addMessaging again in a conversation that lives on (a call)
}

/** setIsTyping_ref.md: being typing lasts "a short timer on the server" and must be renewed; no figure is given. Once
 *  per 3 s keeps the indicator up under the simulator's 6 s timer and any longer pool's, at a request per 3 s at most. */
export const TYPING_REFRESH_MS = 3_000

export interface MessagingHost {
  http: Pick<UcwaHttp, 'get' | 'post'>
  /** a link of the application's communication resource (startMessaging) */
  communicationLink(rel: string): string
}

export interface Person {
  name: string
  uri: string
}

export interface MessagingSnapshot {
  state: MessagingState
  conversation?: string
  /** who invited me (an incoming invitation) */
  from?: Person
  messages: ChatMessage[]
  typing: Person[]
  /** why it ended (declined, not answered, stopped by the other side) */
  ended?: { code: string; subcode?: string; message?: string }
}

export interface MessagingOptions {
  changed: () => void
  me: Person
  now?: () => number
  /** each state transition is logged here (no message text: it may be private) */
  log?: (line: string) => void
}

export class Messaging {
  readonly machine = new StateMachine<MessagingState>('messaging', 'idle', table)
  readonly #log: ChatLog
  readonly #typing = new Map<string, Person>()
  /** participant href → who: from the invitation, its acceptedByParticipant, typing events, or read once */
  readonly #people = new Map<string, Person | Promise<Person>>()
  conversationHref?: string
  #invitation?: Resource
  #messaging?: Resource
  #from?: Person
  #ended?: MessagingSnapshot['ended']
  /** my first message, carried by my invitation: delivered when it is accepted */
  #first?: ChatMessage
  #typedAt = -Infinity
  /** my invitation's operationId: its events may come before the POST that started it returns */
  #operationId?: string

  /** the events a messaging modality follows: its invitation and its conversation's deletion (from communication),
   *  the rest from its conversation */
  static readonly rels: ReadonlySet<string> = new Set(['messagingInvitation', 'conversation', 'messaging', 'message', 'participant'])
  /** the rels whose resource it reads when an event only links it */
  static readonly reads: readonly string[] = ['messagingInvitation', 'messaging', 'message', 'participant']

  constructor(
    private readonly host: MessagingHost,
    private readonly options: MessagingOptions,
  ) {
    this.#log = new ChatLog(options.changed)
    this.machine.onChange((to, from) => {
      options.log?.(`messaging ${this.conversationHref ?? '(new)'}: ${from} → ${to}`)
      options.changed()
    })
  }

  /** An incoming messagingInvitation (started, direction Incoming) becomes a messaging modality that can be accepted. */
  static async invited(host: MessagingHost, invitation: Resource, options: MessagingOptions): Promise<Messaging> {
    const m = new Messaging(host, options)
    m.#invitation = invitation
    m.conversationHref = link(invitation, 'conversation')
    const from = invitation.embedded.from?.[0]
    m.#from = { name: prop(from, 'name') ?? '', uri: prop(from, 'uri') ?? '' }
    if (from) m.#people.set(from.href, m.#from)
    m.machine.go('invited')
    const first = link(invitation, 'message')
    if (first) await m.#log.first(first, m.#from, m.#now())
    return m
  }

  /** Is this an incoming messagingInvitation a host should make a Messaging for? */
  static isInvitation(e: UcwaEvent): boolean {
    return e.link.rel === 'messagingInvitation' && e.type === 'started' && prop(e.embedded, 'direction') === 'Incoming'
  }

  /** Is this event one of mine (my invitation, or sent by my conversation about messaging or typing)? */
  owns(e: UcwaEvent): boolean {
    if (e.link.rel === 'messagingInvitation') {
      const mine = e.link.href === this.#invitation?.href || (!!this.#operationId && prop(e.embedded, 'operationId') === this.#operationId)
      if (mine) this.conversationHref ??= link(e.embedded, 'conversation')
      return mine
    }
    // the conversation went (a link-only messaging update may then be unreadable: this says it ended)
    if (e.link.rel === 'conversation') return e.type === 'deleted' && e.link.href === this.conversationHref
    if (!Messaging.rels.has(e.link.rel) || e.sender.href !== this.conversationHref) return false
    // a participant event is mine only when it is about typingParticipants (the roster has the rest)
    return e.link.rel !== 'participant' || isTyping(e, link(this.#messaging, 'typingParticipants'))
  }

  /**
   * startMessaging (startMessaging_ref.md): invites `to` (a SIP URI) to a new conversation, `first` as the
   * invitation's message. Resolves once the pool created the invitation; the answer comes as events.
   * Throws UcwaError (the pool's: 404 NotFound, 409 Conflict…); IllegalTransition when already started.
   */
  async start(to: string, first?: string, o: { subject?: string; importance?: 'Normal' | 'Urgent' | 'Emergency' } = {}): Promise<void> {
    await this.#invite(first, (body) => this.host.http.post(this.host.communicationLink('startMessaging'), { to, ...o, ...body }))
  }

  /** addMessaging (addMessaging_ref.md) to a conversation that has another modality (a call, a conference). */
  async add(conversationHref: string, first?: string): Promise<void> {
    await this.#invite(first, async (body) => {
      this.conversationHref = conversationHref
      this.#messaging = await this.host.http.get(need(link(await this.host.http.get(conversationHref), 'messaging'), 'messaging'))
      return this.host.http.post(need(link(this.#messaging, 'addMessaging'), 'addMessaging'), body)
    })
  }

  /** Both ways of inviting: my first message logged, the invitation posted with an operationId its events carry. */
  async #invite(first: string | undefined, post: (body: Record<string, unknown>) => Promise<Resource | null>): Promise<void> {
    this.machine.go('inviting')
    const operationId = randomUUID()
    this.#operationId = operationId
    if (first !== undefined) this.#first = this.#log.outgoing(this.options.me, textContent(first), { type: 'plain', body: first }, operationId, this.#now())
    try {
      const inv = await post({ operationId, ...(first !== undefined && { _links: { message: { href: textDataUrl(first) } } }) })
      if (inv) this.#invitation = inv
      this.conversationHref ??= link(inv ?? undefined, 'conversation')
    } catch (e) {
      this.#end(e instanceof UcwaError ? e : reasonError(undefined))
      throw e
    }
  }

  /** accept_ref.md (ReceiveAnIM.md step 13); messaging connects by event. */
  async accept(): Promise<void> {
    this.#mustBe('invited', 'connected')
    await this.host.http.post(need(link(this.#invitation, 'accept'), 'accept'), undefined, { query: { sessionContext: randomUUID() } })
  }

  async decline(): Promise<void> {
    this.#mustBe('invited', 'ended')
    await this.host.http.post(need(link(this.#invitation, 'decline'), 'decline'))
    this.#end(undefined)
  }

  /**
   * sendMessage (sendMessage_ref.md): `text` as text/plain, or as text/html with its web addresses made links when
   * the modality negotiated Html (MessageFormat_ref.md). Returns my message; its status follows the message events.
   */
  async send(text: string): Promise<ChatMessage> {
    const html = negotiated(this.#messaging).includes('Html') && /\bhttps?:\/\//i.test(text)
    const body = html ? { type: 'html' as const, body: linkify(text) } : { type: 'plain' as const, body: text }
    const content: MessageContent = html ? { format: 'html', html: body.body, text } : textContent(text)
    const operationId = randomUUID()
    const m = this.#log.outgoing(this.options.me, content, body, operationId, this.#now())
    await this.#post(m, operationId)
    return { ...m }
  }

  /** Sends a failed message again (a new operation; the same message in the snapshot). */
  async retry(id: string): Promise<void> {
    const m = this.#log.get(id)
    if (!m || m.direction !== 'outgoing' || m.status !== 'failed') throw new UcwaError({ status: 0, code: 'NotFound', message: 'There is no failed message to send again.' })
    const operationId = randomUUID()
    this.#log.resend(m, operationId)
    await this.#post(m, operationId)
  }

  /** setIsTyping (setIsTyping_ref.md), at most once per TYPING_REFRESH_MS; true when it was sent. */
  async typing(): Promise<boolean> {
    const href = link(this.#messaging, 'setIsTyping')
    if (this.machine.state !== 'connected' || !href || this.#now() - this.#typedAt < TYPING_REFRESH_MS) return false
    this.#typedAt = this.#now()
    await this.host.http.post(href)
    return true
  }

  /** stopMessaging (stopMessaging_ref.md): the chat ends for me (a two-party chat for both). */
  async stop(): Promise<void> {
    const href = link(this.#messaging, 'stopMessaging')
    if (href) await this.host.http.post(href)
    if (this.machine.state !== 'ended') this.#end(undefined)
  }

  /** The session was lost (or the person signed out): the chat ends here; the pool already dropped it. */
  lost(reason: MessagingSnapshot['ended']): void {
    if (this.machine.state !== 'ended') this.#end(reason)
  }

  /** One of my events (`owns`); a resource the event only linked was read by the client (event-resources.ts). */
  async onEvent(e: UcwaEvent): Promise<void> {
    if (e.link.rel === 'messagingInvitation') return this.#onInvitation(e)
    if (e.link.rel === 'conversation') return void (this.machine.state !== 'ended' && this.#end(e.reason ?? this.#ended))
    if (e.link.rel === 'messaging') return e.embedded ? this.#onMessaging(e) : void (this.#ended = e.reason ?? this.#ended) // unreadable: its reason ends it with the conversation
    if (e.link.rel === 'message') return this.#log.onEvent(e, (p) => this.#author(p))
    if (e.link.rel === 'participant') {
      if (e.type === 'deleted') this.#typing.delete(e.link.href)
      else this.#typing.set(e.link.href, await this.#author(e.link.href, e.embedded))
      this.options.changed()
    }
  }

  snapshot(): MessagingSnapshot {
    return {
      state: this.machine.state,
      conversation: this.conversationHref,
      ...(this.#from && { from: { ...this.#from } }),
      messages: this.#log.list(),
      typing: [...this.#typing.values()],
      ...(this.#ended && { ended: { ...this.#ended } }),
    }
  }

  #onInvitation(e: UcwaEvent): void {
    if (e.embedded) this.#invitation = e.embedded
    for (const p of e.embedded?.embedded.acceptedByParticipant ?? []) this.#people.set(p.href, { name: prop(p, 'name') ?? '', uri: prop(p, 'uri') ?? '' })
    if (e.type !== 'completed') return
    if (e.status === 'Success') {
      if (this.#first) this.#log.settle(this.#first, true)
      if (this.machine.state !== 'connected') this.machine.go('connected')
    } else this.#end(e.reason ?? { code: 'ServiceFailure' })
  }

  #onMessaging(e: UcwaEvent): void {
    this.#messaging = e.embedded
    const state = prop(e.embedded, 'state')
    if (state === 'Connected' && this.machine.state !== 'connected' && this.machine.can('connected')) this.machine.go('connected')
    else if (state === 'Disconnected' && this.machine.state === 'connected') this.#end(e.reason)
    this.options.changed()
  }

  async #post(m: ChatMessage, operationId: string): Promise<void> {
    const href = link(this.#messaging, 'sendMessage')
    if (this.machine.state !== 'connected' || !href) {
      this.#log.settle(m, false, { code: 'Conflict', message: 'Messaging is not connected.' })
      throw new UcwaError({ status: 409, code: 'Conflict', message: 'Messaging is not connected in this conversation.' })
    }
    const body = this.#log.body(m.id)!
    try {
      await this.host.http.post(href, body.body, { type: body.type, query: { operationId } })
    } catch (e) {
      const err = e instanceof UcwaError ? e : reasonError(undefined)
      this.#log.settle(m, false, { code: err.code, subcode: err.subcode, message: err.message })
      throw err
    }
  }

  #end(reason: MessagingSnapshot['ended'] | UcwaError | undefined): void {
    if (reason) this.#ended = { code: reason.code, subcode: reason.subcode, message: reason.message }
    if (this.#first?.status === 'sending') this.#log.settle(this.#first, false, this.#ended)
    this.#typing.clear()
    if (this.machine.state !== 'ended') this.machine.go('ended')
    this.options.changed()
  }

  #mustBe(state: MessagingState, to: MessagingState): void {
    if (this.machine.state !== state) throw new IllegalTransition('messaging', this.machine.state, to)
  }

  /** Who a participant is: known already, embedded in the event, or read once (participant_ref.md: name, uri). */
  async #author(participant: string | undefined, res?: Resource): Promise<Person> {
    if (!participant) return { name: '', uri: '' }
    if (res && prop(res, 'uri')) this.#people.set(participant, { name: prop(res, 'name') ?? '', uri: prop(res, 'uri') ?? '' })
    let who = this.#people.get(participant)
    if (!who) {
      who = this.host.http.get(participant).then(
        (r) => ({ name: prop(r, 'name') ?? '', uri: prop(r, 'uri') ?? '' }),
        () => ({ name: '', uri: '' }), // gone already: the message still shows, without a name
      )
      this.#people.set(participant, who)
    }
    return who
  }

  #now(): number {
    return (this.options.now ?? Date.now)()
  }
}

/** a typing participant event: `in` names the modality's typingParticipants (or, in XML, carries only its href) */
export function isTyping(e: UcwaEvent, typingParticipants: string | undefined): boolean {
  return !!e.in && (e.in.rel === 'typingParticipants' || (!!typingParticipants && e.in.href === typingParticipants) || /\/typingParticipants$/.test(e.in.href))
}

function negotiated(messaging: Resource | undefined): string[] {
  const f = prop<string[] | string>(messaging, 'negotiatedMessageFormats')
  return Array.isArray(f) ? f : f ? [f] : []
}

function textContent(text: string): MessageContent {
  return { format: 'text', text }
}

const escapeHtml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!)

/** My text as HTML: everything escaped, web addresses made links (built from escaped text, never parsed). */
export function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"']+)/i)
    .map((part, i) => (i % 2 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('')
}

function need(href: string | undefined, rel: string): string {
  if (!href) throw new UcwaError({ status: 0, code: 'Conflict', message: `The pool offers no ${rel} link for this chat now.` })
  return href
}
