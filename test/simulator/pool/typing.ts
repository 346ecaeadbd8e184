// Who is typing in each view of a chat (setIsTyping_ref.md, typingParticipants_ref.md): a participant is added to
// the view's typingParticipants when someone types, and deleted when their timer runs out or their message is sent.
import type { Clock, Timer } from '../clock'
import type { UcwaEvent } from '../http/resource'
import type { Application } from './application'
import type { Conversation } from './conversation'
import type { User } from './directory'
import { participantHref, participantRes } from './render'

/** setIsTyping_ref.md: "a short timer on the server"; the page gives no figure. 6 s: Lync shows typing for a few
 *  seconds after the last keystroke (RFC 3994's isComposing refresh, 120 s, is far too long to show typing). */
export const TYPING_MS = 6_000

export interface TypingView {
  app: Application
  conversation: Conversation
}

export class Typing {
  readonly #typing = new Map<Conversation, Map<string, { user: User; timer: Timer }>>()

  constructor(private readonly clock: Clock) {}

  /** who types in this view now */
  of(c: Conversation): User[] {
    return [...(this.#typing.get(c)?.values() ?? [])].map((t) => t.user)
  }

  /** `user` types: each view hears it once, until TYPING_MS pass without another call. */
  typed(user: User, views: TypingView[]): void {
    for (const v of views) {
      const typing = this.#typing.get(v.conversation) ?? new Map<string, { user: User; timer: Timer }>()
      this.#typing.set(v.conversation, typing)
      const had = typing.get(user.sip)
      had?.timer.cancel()
      typing.set(user.sip, { user, timer: this.clock.setTimeout(() => this.stopped(user, v), TYPING_MS) })
      if (!had) v.app.emit(sender(v), event(v, user, 'added'))
    }
  }

  /** `user` stopped typing (sent, timed out) in this view. */
  stopped(user: User, v: TypingView): void {
    const t = this.#typing.get(v.conversation)?.get(user.sip)
    if (!t) return
    t.timer.cancel()
    this.#typing.get(v.conversation)!.delete(user.sip)
    v.app.emit(sender(v), event(v, user, 'deleted'))
  }

  /** the view's messaging ended: its timers go, without events */
  clear(c: Conversation): void {
    for (const t of this.#typing.get(c)?.values() ?? []) t.timer.cancel()
    this.#typing.delete(c)
  }
}

function sender(v: TypingView): { rel: string; href: string } {
  return { rel: 'conversation', href: v.app.href(`/communication/conversations/${v.conversation.id}`) }
}

/** typingParticipants_ref.md's events: a participant added to (deleted from) the collection, `in` naming it. */
function event(v: TypingView, u: User, type: 'added' | 'deleted'): UcwaEvent {
  return {
    type,
    link: { rel: 'participant', href: participantHref(v.app, v.conversation, u) },
    in: { rel: 'typingParticipants', href: v.app.href(`/communication/conversations/${v.conversation.id}/participants/typingParticipants`) },
    embedded: type === 'added' ? { ...participantRes(v.app, v.conversation, u), rel: 'participant' } : undefined,
  }
}
