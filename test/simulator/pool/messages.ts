// The messages each view of a chat holds (message_ref.md), and their delivery: the sender's message starts Pending and
// completes Succeeded or Failed (failedDeliveryParticipant naming who it missed); each recipient's starts and completes.
import type { IdSource } from '../ids'
import type { Reason } from '../http/errors'
import type { Application } from './application'
import type { Conversation } from './conversation'
import { messageRes, type Message, type MessageBody } from './messaging-render'

export interface MessageView {
  app: Application
  conversation: Conversation
}

/** message_ref.md names no reason for a failed delivery; this is the shape of the pool's other RemoteFailure reasons */
export const undelivered: Reason = { code: 'RemoteFailure', subcode: 'DeliveryFailed', message: 'The message could not be delivered.' }

export class Messages {
  readonly #messages = new Map<Conversation, Map<string, Message>>()
  /** recipients (sip) whose next n messages the pool fails to deliver (a test's fault scenario) */
  readonly undeliverable = new Map<string, number>()

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
  ) {}

  get(c: Conversation, id: string): Message | undefined {
    return this.#messages.get(c)?.get(id)
  }

  forget(c: Conversation): void {
    this.#messages.delete(c)
  }

  /** `from` sends `body` to each of `to`; `delivered` hears of each recipient that got it. */
  deliver(from: MessageView, to: MessageView[], input: { body: MessageBody; operationId?: string }, delivered: (v: MessageView) => void): Message {
    const { app, conversation: c } = from
    const out: Message = { id: this.ids.id(), direction: 'Outgoing', operationId: input.operationId, status: 'Pending', timeStamp: this.now(), body: input.body, from: app.user, failed: [] }
    this.#store(c, out)
    app.emitResource(sender(from), 'started', messageRes(app, c, out))
    for (const v of to) {
      const left = this.undeliverable.get(v.app.user.sip) ?? 0
      if (left > 0) {
        this.undeliverable.set(v.app.user.sip, left - 1)
        if (!out.failed.includes(v.app.user)) out.failed.push(v.app.user)
        continue
      }
      const inc: Message = { ...out, id: this.ids.id(), direction: 'Incoming', operationId: undefined, status: 'Succeeded', failed: [] }
      this.#store(v.conversation, inc)
      // message_ref.md: started for an incoming message; ReceiveAnIM.md step 16 then shows it completed with Success
      v.app.emitResource(sender(v), 'started', messageRes(v.app, v.conversation, inc))
      v.app.emitResource(sender(v), 'completed', messageRes(v.app, v.conversation, inc), { status: 'Success' })
      delivered(v)
    }
    out.status = out.failed.length ? 'Failed' : 'Succeeded'
    app.emitResource(sender(from), 'completed', messageRes(app, c, out), out.failed.length ? { status: 'Failure', reason: undelivered } : { status: 'Success' })
    return out
  }

  #store(c: Conversation, m: Message): void {
    const all = this.#messages.get(c) ?? new Map<string, Message>()
    all.set(m.id, m)
    this.#messages.set(c, all)
  }
}

function sender(v: MessageView): { rel: string; href: string } {
  return { rel: 'conversation', href: v.app.href(`/communication/conversations/${v.conversation.id}`) }
}
