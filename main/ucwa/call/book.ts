// The calls of a session, found through maps (by id, conversation href, invitation href, operationId, audioVideo
// href), and the one place a call is added, moves state (logged: call id, from → to) and ends.
import { randomUUID } from 'node:crypto'
import type { CallSnapshot, CallState, Person } from '../../../preload/contract'
import { callMachine } from '../call-machine'
import { UcwaError } from '../errors'
import type { UcwaHttp } from '../http'
import type { Operations } from '../operations'
import { snapshot, type Call, type EndReason } from './call'
import { Conversation } from './conversation'
import { Conversations } from './conversations'
import { Escalation, type Rollback } from './escalation'
import type { Invitation } from './invitation'
import { Invitees } from './invitees'
import type { MediaAgent } from './media-agent'

export const shortId = () => randomUUID().replace(/-/g, '').slice(0, 32)

type Key = 'conversation' | 'invitation' | 'operation' | 'audioVideo'

export interface CallBookDeps {
  http: Pick<UcwaHttp, 'get' | 'post'>
  media: Pick<MediaAgent, 'close' | 'videoSources'>
  ops: Pick<Operations, 'settleCall'>
  now: () => number
  log: (message: string) => void
  /** the escalation rollback (escalation-flow.ts), bound to its call */
  rollback: (call: Call, r: Rollback) => void
}

export class CallBook {
  readonly #calls = new Map<string, Call>()
  readonly #index: Record<Key, Map<string, Call>> = { conversation: new Map(), invitation: new Map(), operation: new Map(), audioVideo: new Map() }
  readonly #keysOf = new Map<Call, Array<[Key, string]>>()
  readonly #listeners = new Set<(s: CallSnapshot) => void>()
  /** one Conversation per conversation href, shared with the chats (chats.ts) */
  readonly conversations = new Conversations()

  constructor(private readonly deps: CallBookDeps) {}

  onChange(listener: (s: CallSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  all(): Call[] {
    return [...this.#calls.values()]
  }

  get(id: string): Call | undefined {
    return this.#calls.get(id)
  }

  /** A live call, or NotFound. */
  need(id: string): Call {
    const call = this.#calls.get(id)
    if (!call || call.machine.state === 'ended') throw new UcwaError({ status: 0, code: 'NotFound', message: 'That call has ended.' })
    return call
  }

  /** `init` fills the call in before anyone hears of it (a listener may answer it at once). */
  add(o: { invitation: Invitation; remote: Person; subject: string; state: CallState; video?: boolean }, init?: (call: Call) => void): Call {
    let markEnded = () => {}
    const ended = new Promise<null>((resolve) => (markEnded = () => resolve(null)))
    const id = randomUUID()
    const call: Call = {
      id,
      ended,
      markEnded,
      machine: callMachine(o.state),
      invitation: o.invitation,
      conversation: new Conversation(this.deps.http, () => this.changed(call)),
      escalation: new Escalation((r) => this.deps.rollback(call, r)),
      invitees: new Invitees(),
      remote: o.remote,
      subject: o.subject,
      operationId: shortId(),
      sessionContext: shortId(),
      startedAt: this.deps.now(),
      links: {},
      answeredBy: new Set(),
      video: o.video ?? false,
      held: false,
      remoteHeld: false,
      sendingVideo: true,
    }
    call.conversation.audioVideo = call
    call.machine.onChange((to, from) => this.deps.log(`call ${id}: ${from} → ${to}`))
    call.escalation.machine.onChange((to, from) => this.deps.log(`call ${id} escalation: ${from} → ${to}`))
    this.#calls.set(id, call)
    this.index(call, 'operation', call.operationId)
    init?.(call)
    this.changed(call)
    return call
  }

  /** Makes the call findable by one more href or operationId. */
  index(call: Call, key: Key, value: string | undefined): void {
    if (!value || this.#index[key].get(value) === call) return
    this.#index[key].set(value, call)
    this.#keysOf.set(call, [...(this.#keysOf.get(call) ?? []), [key, value]])
    if (key === 'conversation') this.#join(call, value)
    if (key === 'audioVideo') call.audioVideoHref = value
  }

  /** The call takes the conversation at `href` (a chat's, when audio/video was added to it), keeping what it learnt. */
  #join(call: Call, href: string): void {
    const own = call.conversation
    const shared = this.conversations.adopt(own, href)
    if (shared === own) return
    shared.conferenced ||= own.conferenced
    shared.roster.newAudioVideo(own.roster.muted)
    shared.audioVideo = call
    shared.onChanged = () => this.changed(call)
    own.audioVideo = undefined
    call.conversation = shared
  }

  byInvitation(href: string | undefined): Call | undefined {
    return href === undefined ? undefined : this.#index.invitation.get(href)
  }

  byOperation(operationId: string | undefined): Call | undefined {
    return operationId === undefined ? undefined : this.#index.operation.get(operationId)
  }

  byAudioVideo(href: string | undefined): Call | undefined {
    return href === undefined ? undefined : this.#index.audioVideo.get(href)
  }

  /** The conversation (conversation_ref.md) an event's sender names: its href, or that of one of its resources. */
  conversation(href: string | undefined): Conversation | undefined {
    return this.byConversation(href)?.conversation
  }

  /** The call of a conversation, by its href or the href of one of its resources (…/conversations/{id}/…). */
  byConversation(href: string | undefined): Call | undefined {
    for (let h = href; h; h = h.slice(0, Math.max(0, h.lastIndexOf('/')))) {
      const call = this.#index.conversation.get(h)
      if (call) return h === href || call.audioVideoHref ? call : undefined
    }
    return undefined
  }

  go(call: Call, to: CallState): void {
    call.machine.go(to)
    // connected: P2P media, or a meeting's conference media straight away (call/meeting-call.ts)
    if ((to === 'connected' || to === 'conference') && !call.connectedAt) call.connectedAt = this.deps.now()
    this.changed(call)
  }

  changed(call: Call): void {
    const s = snapshot(call)
    // a media agent that must ask for each member's video (an SfB unit, [MS-RTP] VSR) hears whose video is there
    if (s.conference && s.state !== 'ended') this.deps.media.videoSources?.(call.id, s.participants.flatMap((p) => (p.video && p.video !== 'off' && p.videoSource ? [p.videoSource] : [])))
    for (const l of this.#listeners) l(s)
  }

  /** Ends the call here (the pool is told by the caller): its reason, its media, its pending operations. */
  end(call: Call, why: unknown): void {
    if (call.machine.state === 'ended') return
    call.endReason = why instanceof UcwaError ? { code: why.code, subcode: why.subcode, message: why.message } : ((why as EndReason | undefined) ?? { code: 'Informational', message: 'The call ended.' })
    call.machine.go('ended')
    call.markEnded()
    this.deps.ops.settleCall(call.id)
    this.deps.media.close(call.id, 'all')
    this.changed(call)
    this.#calls.delete(call.id)
    for (const [key, value] of this.#keysOf.get(call) ?? []) if (this.#index[key].get(value) === call) this.#index[key].delete(value)
    this.#keysOf.delete(call)
    // the conversation goes on without audio/video while its chat does (SendAnIM.md)
    if (call.conversation.audioVideo === call) {
      call.conversation.audioVideo = undefined
      if (call.conversation.messaging) call.conversation.onChanged = () => {}
    }
    this.conversations.release(call.conversation)
  }
}
