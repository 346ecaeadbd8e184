// Instant messaging between applications (SendAnIM.md, ReceiveAnIM.md, startMessaging_ref.md, addMessaging_ref.md,
// messagingInvitation_ref.md, message_ref.md, setIsTyping_ref.md, typingParticipants_ref.md, stopMessaging_ref.md).
// A chat ties the views (one conversation per application) that take part in it; a conference's members are one chat.
import type { Timer } from '../clock'
import { errors, SimError, type Reason } from '../http/errors'
import type { Application } from './application'
import type { CallWorld, Calls } from './calls'
import { newConversation, type Conversation } from './conversation'
import type { User } from './directory'
import { messagingInvitationRes, messagingRes, participantMessagingRes, type Message, type MessageBody, type MessagingInvitation } from './messaging-render'
import { Messages } from './messages'
import { reasons } from './reasons'
import { conversationRes, participantHref, participantRes } from './render'
import { Typing } from './typing'

/** messagingInvitation_ref.md: "if the recipient does not respond in approximately thirty seconds, ... failure" */
export const INVITE_TIMEOUT_MS = 30_000

const imReasons = {
  ...reasons,
  declined: { code: 'RemoteFailure', subcode: 'Declined', message: 'The invitation was declined.' },
} satisfies Record<string, Reason>

interface View {
  app: Application
  conversation: Conversation
  invitation?: MessagingInvitation
}

interface Chat {
  views: View[]
  timer?: Timer
}

export interface StartMessagingInput {
  to: string
  operationId?: string
  subject?: string
  threadId?: string
  importance?: string
  message?: MessageBody
}

export class Messaging {
  readonly invitations = new Map<string, { app: Application; invitation: MessagingInvitation; chat: Chat }>()
  readonly #chats = new Map<Conversation, Chat>()
  readonly typing: Typing
  readonly messages: Messages

  constructor(
    private readonly world: CallWorld & { apps(): Application[] },
    private readonly calls: Calls,
  ) {
    this.typing = new Typing(world.clock)
    this.messages = new Messages(world.ids, () => world.clock.now())
  }

  start(app: Application, input: StartMessagingInput): MessagingInvitation {
    const target = this.world.directory.find(input.to)
    const remote: User = target ?? { ...app.user, sip: input.to.replace(/^sip:/i, ''), uri: input.to, name: input.to, key: 'unknown' }
    const threadId = input.threadId ?? this.world.ids.id()
    const conversation = this.#conversation(app, remote, threadId, input, 'Connecting')
    const chat: Chat = { views: [] }
    const mine = this.#invite(app, chat, conversation, 'Outgoing', app.user, input, true)
    if (!target) return this.#fail(chat, mine, imReasons.notFound), mine.invitation!
    const apps = this.world.appsOf(target).filter((a) => a.available && a.modalities.some((m) => /^messaging$/i.test(m)))
    if (apps.length === 0) return this.#fail(chat, mine, imReasons.unreachable), mine.invitation!
    if (apps.every((a) => a.availability === 'DoNotDisturb')) return this.#fail(chat, mine, imReasons.doNotDisturb), mine.invitation!
    for (const other of apps.filter((a) => a.availability !== 'DoNotDisturb')) {
      const c = this.#conversation(other, app.user, threadId, input, 'Incoming')
      c.remoteJoined = true
      this.#invite(other, chat, c, 'Incoming', app.user, input, true)
    }
    chat.timer = this.world.clock.setTimeout(() => this.#noAnswer(chat), INVITE_TIMEOUT_MS)
    return mine.invitation!
  }

  /** addMessaging: to a P2P call the other side is invited; a conference's messaging connects at once. */
  add(app: Application, c: Conversation, input: { operationId?: string; message?: MessageBody }): MessagingInvitation {
    if (c.messaging && c.messaging.state !== 'Disconnected') throw errors.conflict('AlreadyExists', 'Messaging is already in this conversation.')
    const details = { to: c.remote.uri, subject: c.subject, threadId: c.threadId, importance: c.importance, ...input }
    if (c.conference) {
      const chat = this.#conferenceChat(c)
      const mine = this.#invite(app, chat, c, 'Outgoing', app.user, details, false)
      this.#connect(mine)
      mine.invitation!.state = 'Connected'
      app.emitResource(app.communicationSender(), 'completed', messagingInvitationRes(app, mine.invitation!), { status: 'Success' })
      // every member sees who uses the conference's IM (participantMessaging_ref.md, Added); who uses it already each
      // member was told as they started it, or as it joined the conference (announceTo)
      this.#usesMessaging(app, c, app.user)
      for (const member of this.#conferenceViews(c)) this.#usesMessaging(member.app, member.conversation, app.user)
      if (input.message) this.send(app, c, { body: input.message })
      return mine.invitation!
    }
    const peer = this.calls.connectedPeer(c)?.peer
    if (!peer) throw new SimError(409, undefined, 'There is no one in this conversation to message.', 'Conflict')
    const chat: Chat = { views: [] }
    const mine = this.#invite(app, chat, c, 'Outgoing', app.user, details, false)
    this.#invite(peer.app, chat, peer.conversation, 'Incoming', app.user, details, false)
    chat.timer = this.world.clock.setTimeout(() => this.#noAnswer(chat), INVITE_TIMEOUT_MS)
    return mine.invitation!
  }

  accept(app: Application, inv: MessagingInvitation): void {
    const { chat } = this.#pending(app, inv, 'Incoming')
    chat.timer?.cancel()
    const caller = chat.views.find((v) => v.invitation?.direction === 'Outgoing')!
    const me = chat.views.find((v) => v.invitation === inv)!
    for (const other of chat.views.filter((v) => v !== caller && v !== me)) this.#end(chat, other, 'Cancelled', imReasons.answeredElsewhere)
    chat.views = [caller, me]
    caller.invitation!.acceptedBy = app.user
    if (!caller.conversation.remoteJoined) {
      caller.conversation.remoteJoined = true
      caller.app.emitResource(this.#sender(caller), 'added', participantRes(caller.app, caller.conversation, caller.conversation.remote))
    }
    for (const v of chat.views) {
      this.#connect(v)
      v.invitation!.state = 'Connected'
      v.app.emitResource(v.app.communicationSender(), 'completed', messagingInvitationRes(v.app, v.invitation!), { status: 'Success' })
    }
  }

  decline(app: Application, inv: MessagingInvitation): void {
    const { chat } = this.#pending(app, inv, 'Incoming')
    const me = chat.views.find((v) => v.invitation === inv)!
    this.#end(chat, me, 'Declined', imReasons.declined)
    if (chat.views.some((v) => v.invitation?.direction === 'Incoming')) return // still ringing elsewhere
    chat.timer?.cancel()
    this.#fail(chat, chat.views[0]!, imReasons.declined, 'Declined')
  }

  cancel(app: Application, inv: MessagingInvitation): void {
    const { chat } = this.#pending(app, inv, 'Outgoing')
    chat.timer?.cancel()
    for (const v of chat.views.filter((x) => x.invitation?.direction === 'Incoming')) this.#end(chat, v, 'Cancelled', imReasons.canceledByCaller)
    this.#fail(chat, chat.views[0]!, imReasons.canceledLocally, 'Cancelled')
  }

  /** sendMessage: the sender's message starts Pending and completes; each other view gets it (or it fails). */
  send(app: Application, c: Conversation, input: { body: MessageBody; operationId?: string }): Message {
    const chat = this.#chats.get(c)
    if (!chat || c.messaging?.state !== 'Connected') throw new SimError(409, undefined, 'Messaging is not connected in this conversation.', 'Conflict')
    // a view whose conversation went (its member left the conference) hears nothing more
    const to = chat.views.filter((x) => x.conversation !== c && x.conversation.messaging?.state === 'Connected' && x.app.conversations.get(x.conversation.id) === x.conversation)
    return this.messages.deliver({ app, conversation: c }, to, input, (v) => this.typing.stopped(app.user, v))
  }

  message(c: Conversation, id: string): Message | undefined {
    return this.messages.get(c, id)
  }

  /** setIsTyping: the others see me in typingParticipants until TYPING_MS pass without another. */
  setIsTyping(app: Application, c: Conversation): void {
    const chat = this.#chats.get(c)
    if (!chat || c.messaging?.state !== 'Connected') throw new SimError(409, undefined, 'Messaging is not connected in this conversation.', 'Conflict')
    this.typing.typed(app.user, chat.views.filter((x) => x.conversation !== c && x.conversation.messaging?.state === 'Connected'))
  }

  /** stopMessaging: my messaging ends; a two-party chat ends for the other side too. */
  stop(app: Application, c: Conversation): void {
    const chat = this.#chats.get(c)
    const me = chat?.views.find((v) => v.conversation === c)
    if (!chat || !me || !c.messaging || c.messaging.state === 'Disconnected') throw new SimError(409, undefined, 'Messaging is not in this conversation.', 'Conflict')
    if (me.invitation?.state === 'Connecting') return me.invitation.direction === 'Outgoing' ? this.cancel(app, me.invitation) : this.decline(app, me.invitation)
    const ends = c.conference ? [me] : [...chat.views]
    for (const v of ends) this.#end(chat, v, 'Connected', v === me ? imReasons.localHungUp : imReasons.remoteHungUp)
  }

  /** The other side's view of a two-party chat in `c`, while it is connected (addAudioVideo rings there). */
  peerOf(c: Conversation): { app: Application; conversation: Conversation } | undefined {
    const chat = this.#chats.get(c)
    if (!chat || c.conference || c.messaging?.state !== 'Connected') return undefined
    return chat.views.find((v) => v.conversation !== c && v.conversation.messaging?.state === 'Connected')
  }

  /** An application went away: its chats end as if it stopped them. */
  dropApplication(app: Application): void {
    for (const c of [...app.conversations.values()]) {
      if (!c.messaging || c.messaging.state === 'Disconnected') continue
      try {
        this.stop(app, c)
      } catch {
        // already ended: nothing to tell anyone
      }
    }
  }

  #conversation(app: Application, remote: User, threadId: string, input: StartMessagingInput, state: Conversation['state']): Conversation {
    // a chat has no audio/video invitation
    const c = newConversation(app, remote, { id: this.world.ids.id(), threadId, subject: input.subject ?? '', importance: input.importance ?? 'Normal', state, created: this.world.clock.now(), audioVideo: 'Disconnected' })
    app.conversations.set(c.id, c)
    app.emitResource(app.communicationSender(), 'added', conversationRes(app, c))
    return c
  }

  #invite(app: Application, chat: Chat, c: Conversation, direction: 'Incoming' | 'Outgoing', from: User, input: StartMessagingInput, fresh: boolean): View {
    const invitation: MessagingInvitation = {
      id: this.world.ids.id(),
      direction,
      state: 'Connecting',
      operationId: direction === 'Outgoing' ? input.operationId : undefined,
      to: direction === 'Outgoing' ? `sip:${input.to.replace(/^sip:/i, '')}` : app.user.uri,
      subject: input.subject ?? '',
      threadId: c.threadId,
      importance: input.importance ?? 'Normal',
      message: input.message,
      from,
      conversation: c,
    }
    const view: View = { app, conversation: c, invitation }
    chat.views.push(view)
    this.#chats.set(c, chat)
    this.invitations.set(invitation.id, { app, invitation, chat })
    c.messaging = { state: 'Connecting' }
    app.emitResource(app.communicationSender(), 'started', messagingInvitationRes(app, invitation))
    if (fresh) {
      app.emitResource(this.#sender(view), 'added', participantRes(app, c, c.local))
      if (direction === 'Incoming') app.emitResource(this.#sender(view), 'added', participantRes(app, c, c.remote))
    }
    app.emitResource(this.#sender(view), 'updated', messagingRes(app, c))
    return view
  }

  /** A member joined the conference: it learns who uses its IM already (participantMessaging_ref.md, Added). */
  announceTo(app: Application, c: Conversation): void {
    if (!c.conference) return
    const chat = this.#conferenceChat(c)
    for (const v of chat.views) if (v.conversation.messaging?.state === 'Connected') this.#usesMessaging(app, c, v.app.user)
  }

  /** the other members' views of c's conference (their own conversations of it) */
  #conferenceViews(c: Conversation): Array<{ app: Application; conversation: Conversation }> {
    const focus = c.conference!.focusUri
    return this.world.apps().flatMap((app) => [...app.conversations.values()].filter((o) => o !== c && o.conference?.focusUri === focus).map((conversation) => ({ app, conversation })))
  }

  #usesMessaging(app: Application, c: Conversation, u: User): void {
    app.emitResource(this.#sender({ app, conversation: c }), 'added', participantMessagingRes(app, c, u), { in: { rel: u.sip === c.local.sip ? 'localParticipant' : 'participant', href: participantHref(app, c, u), title: u.name } })
  }

  #conferenceChat(c: Conversation): Chat {
    const focus = c.conference!.focusUri
    for (const app of this.world.apps()) {
      for (const other of app.conversations.values()) {
        const chat = other !== c && other.conference?.focusUri === focus ? this.#chats.get(other) : undefined
        if (chat) return chat
      }
    }
    return { views: [] }
  }

  #connect(v: View): void {
    const { app, conversation: c } = v
    c.messaging = { state: 'Connected' }
    if (c.state === 'Connecting' || c.state === 'Incoming') c.state = 'Connected'
    app.emitResource(this.#sender(v), 'updated', messagingRes(app, c))
    app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
  }

  #pending(app: Application, inv: MessagingInvitation, direction: 'Incoming' | 'Outgoing'): { chat: Chat } {
    const entry = this.invitations.get(inv.id)
    if (!entry || entry.app !== app || inv.direction !== direction || inv.state !== 'Connecting') {
      throw new SimError(410, undefined, 'The invitation is no longer pending.', 'Gone')
    }
    return { chat: entry.chat }
  }

  #fail(chat: Chat, caller: View, reason: Reason, state: MessagingInvitation['state'] = 'Failed'): void {
    this.#end(chat, caller, state, reason)
  }

  #noAnswer(chat: Chat): void {
    for (const v of chat.views.filter((x) => x.invitation?.direction === 'Incoming')) this.#end(chat, v, 'Failed', imReasons.missed)
    const caller = chat.views.find((v) => v.invitation?.direction === 'Outgoing')
    if (caller) this.#fail(chat, caller, imReasons.noAnswer)
  }

  /** One view leaves: a pending invitation completes, messaging disconnects, a chat-only conversation goes. */
  #end(chat: Chat, v: View, invitationState: MessagingInvitation['state'], reason: Reason): void {
    const { app, conversation: c, invitation } = v
    chat.views = chat.views.filter((x) => x !== v)
    this.#chats.delete(c)
    const pending = invitation?.state === 'Connecting'
    if (invitation && pending) {
      invitation.state = invitationState
      app.emitResource(app.communicationSender(), 'completed', messagingInvitationRes(app, invitation), { status: 'Failure', reason })
    }
    this.typing.clear(c)
    c.messaging = { state: 'Disconnected' }
    app.emitResource(this.#sender(v), 'updated', messagingRes(app, c), pending ? {} : { reason })
    for (const other of chat.views) {
      // the others in a conference see no change of membership: only the modality left
      if (!other.conversation.conference && other.conversation.remoteJoined && other.conversation.audioVideo.state !== 'Connected') {
        other.conversation.remoteJoined = false
        other.app.emitResource(this.#sender(other), 'deleted', participantRes(other.app, other.conversation, other.conversation.remote))
      }
    }
    if (c.audioVideo.state !== 'Disconnected' || c.conference) {
      app.emitResource(app.communicationSender(), 'updated', conversationRes(app, c))
      return
    }
    c.state = 'Disconnected'
    app.emit(app.communicationSender(), { type: 'deleted', link: { rel: 'conversation', href: app.href(`/communication/conversations/${c.id}`) } })
    app.conversations.delete(c.id)
    this.messages.forget(c)
  }

  #sender(v: { app: Application; conversation: Conversation }): { rel: string; href: string } {
    return { rel: 'conversation', href: v.app.href(`/communication/conversations/${v.conversation.id}`) }
  }
}
