// A conversation (conversation_ref.md), one per href once the pool names it (conversations.ts): it owns its modalities, each
// declaring the event rels it handles: the roster, audio/video (the call) and messaging (chats.ts hosts it, with or
// without a call: a conversation outlives its audio/video while its chat goes on).
import type { UcwaEvent } from '../events'
import type { UcwaHttp } from '../http'
import type { Messaging } from '../messaging'
import { Roster } from '../roster'
import type { Call } from './call'

/** A modality of a conversation: the rels of the events the conversation sends about it, and its handler. */
export interface Modality {
  readonly rels: ReadonlySet<string>
  /** the rels whose resource it reads (event-resources.ts fetches them when an event only links them) */
  readonly reads: readonly string[]
  onEvent(e: UcwaEvent): Promise<void> | void
}

export class Conversation {
  href?: string
  /** conversation state Conferenced seen (conversation_ref.md) */
  conferenced = false
  readonly roster: Roster
  /** the audio/video modality; its events go through the call engine's handlers (they need the media agent) */
  audioVideo?: Call
  /** the messaging modality, once a chat is started, invited or added here; its events are routed by chats.ts */
  messaging?: Messaging
  /** the modalities whose events this conversation routes itself (the roster; messaging's go through chats.ts) */
  readonly modalities: Modality[]

  /** told when the roster changes: the call's snapshot shows it (a chat's conversation has no call until one joins) */
  onChanged: () => void

  constructor(http: Pick<UcwaHttp, 'get' | 'post'>, changed: () => void = () => {}) {
    this.onChanged = changed
    this.roster = new Roster(http, () => this.onChanged())
    this.modalities = [{ rels: Roster.rels, reads: Roster.reads, onEvent: (e) => this.roster.onEvent(e) }]
  }

  /** The modality that handles an event of this rel, if one of this conversation's does. */
  modalityFor(rel: string): Modality | undefined {
    return this.modalities.find((m) => m.rels.has(rel))
  }
}
