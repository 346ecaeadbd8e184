// The session's chats (issue #21): a messaging modality hosted in a Conversation — one of its own (startMessaging, a
// messagingInvitation) or a call's (addMessaging_ref.md) — found by id and by conversation href, with unread counts.
// A chat outlives its call: hanging up ends audio/video, not the conversation's messaging (SendAnIM.md).
import type { CallSnapshot, ChatMessage, ChatSnapshot, Person } from '../../preload/contract'
import { conferenceChatToJoin } from './conference-chat'
import { chatSnapshot, incomingCount, type Chat } from './chat'
import { ChatRegistry } from './chat-registry'
import type { CallEngine } from './calls'
import { Conversation } from './call/conversation'
import type { UcwaClient } from './client'
import { UcwaError } from './errors'
import type { UcwaEvent } from './events'
import { describe } from './log'
import { Messaging, type MessagingOptions } from './messaging'
import { link, prop, type Resource } from './resource'
import { onSessionLoss } from './session-loss'
import { sipUri } from './sip-uri'

export interface ChatEngineOptions {
  now?: () => number
  /** the protocol log: transitions and dropped events, never a message's text */
  log?: (message: string) => void
}

type Calls = Pick<CallEngine, 'conversationOf' | 'conversations' | 'callIn' | 'get' | 'start' | 'onChange'>

export class ChatEngine {
  readonly #chats: ChatRegistry
  readonly #listeners = new Set<(s: ChatSnapshot) => void>()
  readonly #log: (message: string) => void
  readonly #now: () => number

  constructor(
    private readonly client: UcwaClient,
    private readonly calls: Calls,
    options: ChatEngineOptions = {},
  ) {
    this.#log = options.log ?? (() => {})
    this.#now = options.now ?? Date.now
    this.#chats = new ChatRegistry(() => calls.conversations, this.#now)
    client.eventResources.read(Messaging.reads)
    client.on('events', (list) => this.#onEvents(list))
    // a call starting or ending in a chat's conversation, or making it a conference, changes the chat's snapshot
    calls.onChange(() => {
      for (const chat of this.#chats.values()) if (this.#callOf(chat) !== chat.shownCall || chat.conversation.conferenced !== chat.shownConference) this.#changed(chat)
    })
    onSessionLoss(client, (reason) => {
      for (const chat of this.#chats.values()) chat.messaging.lost({ code: reason.code, subcode: reason.subcode, message: reason.message })
    })
  }

  onChange(listener: (s: ChatSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  list(): ChatSnapshot[] {
    return [...this.#chats.values()].map((c) => this.#snapshot(c))
  }

  get(id: string): ChatSnapshot | undefined {
    const c = this.#chats.get(id)
    return c && this.#snapshot(c)
  }

  /** startMessaging_ref.md with `text` as its first message. Throws the pool's UcwaError (the chat shows it ended). */
  async start(to: string, text: string): Promise<ChatSnapshot> {
    const uri = sipUri(to)
    const chat = this.#add(new Conversation(this.client.http), 'outgoing', { name: uri.slice(4), uri }, (o) => new Messaging(this.#host(), o))
    await chat.messaging.start(uri, text)
    this.#chats.index(chat)
    return this.#snapshot(chat)
  }

  /** addMessaging_ref.md to a live call's conversation; its chat if it has one going (then `text` is sent in it). */
  async addToCall(callId: string, text?: string): Promise<ChatSnapshot> {
    const conversation = this.calls.conversationOf(callId)
    const going = this.#chats.inConversation(conversation.href)
    if (going && going.messaging.machine.state !== 'ended') {
      if (text !== undefined) await going.messaging.send(text)
      return this.#snapshot(going)
    }
    if (!conversation.href) throw new UcwaError({ status: 0, code: 'Conflict', message: 'The call is not set up yet: chat once it connects.' })
    const remote = this.calls.get(callId)?.remote ?? { name: '', uri: '' }
    const chat = this.#add(conversation, 'outgoing', remote, (o) => new Messaging(this.#host(), o))
    this.#chats.place(conversation.href, chat)
    await chat.messaging.add(conversation.href, text)
    return this.#snapshot(chat)
  }

  async accept(id: string): Promise<void> {
    await this.#chats.need(id).messaging.accept()
  }

  async decline(id: string): Promise<void> {
    await this.#chats.need(id).messaging.decline()
  }

  /** sendMessage_ref.md; the message's status follows its events (a failure carries the pool's code/subcode). */
  async send(id: string, text: string): Promise<ChatMessage> {
    return this.#chats.need(id).messaging.send(text)
  }

  async retry(id: string, messageId: string): Promise<void> {
    await this.#chats.need(id).messaging.retry(messageId)
  }

  /** setIsTyping_ref.md, throttled by the modality (TYPING_REFRESH_MS); not connected: nothing to tell. */
  async typing(id: string): Promise<void> {
    await this.#chats.need(id).messaging.typing()
  }

  /** The person saw the chat: no unread messages left in it. */
  markRead(id: string): void {
    const chat = this.#chats.need(id)
    chat.seen = incomingCount(chat.messaging.snapshot().messages)
    this.#changed(chat)
  }

  /** stopMessaging_ref.md: the person closed the chat; it stays in the list, ended. */
  async close(id: string): Promise<void> {
    const chat = this.#chats.need(id)
    if (chat.messaging.machine.state === 'ended') return
    await chat.messaging.stop()
  }

  /**
   * Audio/video with the chat's person: added to the chat's conversation (addAudioVideo_ref.md) while its pool offers
   * that, else a call of its own (startAudioVideo_ref.md); either way the chat goes on beside the call and after it.
   */
  async call(id: string): Promise<CallSnapshot> {
    const chat = this.#chats.need(id)
    const live = this.#callOf(chat)
    if (live) throw new UcwaError({ status: 0, code: 'Conflict', subcode: 'AlreadyExists', message: 'This conversation is already in a call.' })
    const call = await this.calls.start(chat.remote.uri, '', await this.#addAudioVideo(chat))
    chat.callId = call.id
    this.#changed(chat)
    return call
  }

  /** the conversation's addAudioVideo link, for a two-party chat going on; none when the pool offers none */
  async #addAudioVideo(chat: Chat): Promise<string | undefined> {
    const href = chat.messaging.conversationHref
    if (!href || chat.conversation.conferenced || chat.messaging.machine.state !== 'connected') return undefined
    const audioVideo = link(await this.client.http.get(href), 'audioVideo')
    return audioVideo ? link(await this.client.http.get(audioVideo), 'addAudioVideo') : undefined
  }

  /** Signed out: the chats were this person's; the next one to sign in starts with none. */
  clear(): void {
    for (const chat of this.#chats.values()) chat.messaging.lost(undefined)
    this.#chats.clear()
  }

  async #onEvents(events: UcwaEvent[]): Promise<void> {
    for (const e of events) {
      try {
        await this.#onEvent(e)
      } catch (error) {
        this.#log(`chat event ${e.type} ${e.link.rel} failed (${e.link.href}): ${describe(error)}`)
      }
    }
  }

  async #onEvent(e: UcwaEvent): Promise<void> {
    if (Messaging.isInvitation(e)) {
      if (!e.embedded) return this.#log(`chat event ${e.type} ${e.link.rel} dropped: its resource could not be read (${e.link.href})`)
      return this.#invited(e.embedded)
    }
    const conference = conferenceChatToJoin(e, this.calls, (href) => !!this.#chats.inConversation(href))
    // not awaited: addMessaging's completion comes on the event channel this handler is part of
    if (conference) return void this.addToCall(conference).catch((error: unknown) => this.#log(`chat: the conference's IM could not be joined: ${describe(error)}`))
    if (!Messaging.rels.has(e.link.rel)) return
    // an invitation's events come from communication: the live chats (its completion may follow the messaging's
    // Connected update); the rest name their conversation
    const candidates =
      e.link.rel === 'messagingInvitation'
        ? [...this.#chats.values()].filter((c) => c.messaging.machine.state !== 'ended')
        : [this.#chats.inConversation(e.sender.href), this.#chats.inConversation(e.link.href)]
    for (const chat of candidates) {
      if (!chat?.messaging.owns(e)) continue
      await chat.messaging.onEvent(e)
      this.#chats.index(chat)
      return
    }
  }

  /** messagingInvitation_ref.md, direction Incoming: into the call's conversation when it is one of ours (addMessaging). */
  async #invited(inv: Resource): Promise<void> {
    const callId = this.calls.callIn(link(inv, 'conversation'))
    const conversation = callId ? this.calls.conversationOf(callId) : (this.calls.conversations.at(link(inv, 'conversation')) ?? new Conversation(this.client.http))
    const from = inv.embedded.from?.[0]
    const made: { chat?: Chat } = {} // the modality reports changes while it is being made: none is shown before it is listed
    const messaging = await Messaging.invited(this.#host(), inv, this.#options(() => made.chat))
    const chat = (made.chat = this.#chats.register(conversation, 'incoming', { name: prop(from, 'name') ?? '', uri: prop(from, 'uri') ?? '' }, messaging))
    this.#chats.index(chat)
    this.#changed(chat)
  }

  #add(conversation: Conversation, direction: Chat['direction'], remote: Person, make: (o: MessagingOptions) => Messaging): Chat {
    const made: { chat?: Chat } = {}
    const messaging = make(this.#options(() => made.chat))
    return (made.chat = this.#chats.register(conversation, direction, remote, messaging))
  }

  #options(chat: () => Chat | undefined): MessagingOptions {
    const me = this.client.me
    return {
      me: { name: me?.name ?? '', uri: me?.uri ?? '' },
      now: this.#now,
      log: this.#log,
      changed: () => {
        const c = chat()
        if (c && this.#chats.has(c.id)) this.#changed(c)
      },
    }
  }

  #host() {
    return { http: this.client.http, communicationLink: (rel: string) => this.client.communicationLink(rel) }
  }

  /** the live call in the chat's conversation, or the one started from it (an ending call is still listed while it ends) */
  #callOf(chat: Chat): string | undefined {
    const live = (id: string | undefined) => {
      const state = id ? this.calls.get(id)?.state : undefined
      return state && state !== 'ended' ? id : undefined
    }
    return live(this.calls.callIn(chat.messaging.conversationHref)) ?? live(chat.callId)
  }

  #snapshot(chat: Chat): ChatSnapshot {
    const callId = this.#callOf(chat)
    chat.shownCall = callId
    chat.shownConference = chat.conversation.conferenced
    return chatSnapshot(chat, callId)
  }

  #changed(chat: Chat): void {
    const s = this.#snapshot(chat)
    for (const l of this.#listeners) l(s)
  }
}
