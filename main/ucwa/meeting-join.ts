// Joining an online meeting (joinOnlineMeeting_ref.md, onlineMeetingInvitation_ref.md) and following the lobby
// (participant_ref.md's inLobby, admit_ref.md, reject_ref.md): a state machine fed by the event channel's events.
import { UcwaError, userMessage } from './errors'
import type { UcwaEvent } from './events'
import type { UcwaHttp } from './http'
import { embedded, link, prop, type Resource } from './resource'
import { StateMachine } from './state-machine'

/**
 * joining: asked, nothing heard; lobby: waiting for a leader ("waiting for the organizer to let you in");
 * in: admitted, the invitation completed; denied: a leader rejected (Denied); failed: the pool refused the join;
 * removed: the meeting's conversation went away (ejected, or the meeting ended).
 */
export type MeetingJoinState = 'joining' | 'lobby' | 'in' | 'denied' | 'failed' | 'removed'

const table: Record<MeetingJoinState, MeetingJoinState[]> = {
  joining: ['lobby', 'in', 'denied', 'failed', 'removed'],
  lobby: ['in', 'denied', 'failed', 'removed'],
  in: ['removed'],
  denied: [],
  failed: [],
  removed: [],
}

export interface JoinRequest {
  /** the conference URI (meeting-url.ts, or a myOnlineMeeting's onlineMeetingUri) */
  onlineMeetingUri: string
  /** a guest's name: "required for anonymous users and should not be set for authenticated users" (≤ 250) */
  anonymousDisplayName?: string
  /** ≤ 50 characters: correlates the onlineMeetingInvitation events */
  operationId: string
}

/**
 * POST joinOnlineMeeting on the application's communication (joinOnlineMeeting_ref.md); resolves to the
 * onlineMeetingInvitation's href (201 Location). Errors are the pool's: NotFound/DestinationNotFound when the meeting
 * does not exist (a URL rule guessed wrong), Forbidden for a guest's other meeting.
 */
export async function joinOnlineMeeting(http: UcwaHttp, app: Resource, request: JoinRequest): Promise<string> {
  const href = link(embedded(app, 'communication'), 'joinOnlineMeeting')
  if (!href) throw new UcwaError({ status: 0, code: 'Forbidden', message: 'This account cannot join online meetings.' })
  const res = http.check(await http.send(href, { method: 'POST', body: { ...request } }))
  const location = res.headers.location
  const invitation = typeof location === 'string' ? location : res.body.trim() ? http.parse(res).href : undefined
  if (!invitation) throw new UcwaError({ status: res.status, code: 'BadResponse', message: userMessage('BadResponse') })
  return invitation
}

/** onlineMeetingInvitation_ref.md's cancel, as the invitation offers it now (none: nothing to cancel any more). */
export async function cancelJoin(http: Pick<UcwaHttp, 'get' | 'post'>, invitationHref: string): Promise<void> {
  const cancel = link(await http.get(invitationHref), 'cancel')
  if (cancel) await http.post(cancel)
}

/** One join followed through its events: the invitation by its href, the conversation it names, our participant. */
export class MeetingJoin {
  /** the event rels whose resource apply() reads: a host registers them (EventResources.read) so link-only pools work too */
  static readonly reads = ['onlineMeetingInvitation', 'localParticipant'] as const
  readonly machine = new StateMachine<MeetingJoinState>('meeting join', 'joining', table)
  conversationHref: string | null = null
  /** why it ended (denied, failed, removed), as the pool said */
  reason: UcwaEvent['reason'] | null = null

  constructor(readonly invitationHref: string) {}

  get state(): MeetingJoinState {
    return this.machine.state
  }

  /** Applies one event; events of other resources are ignored. Never throws on what a pool sends. */
  apply(e: UcwaEvent): void {
    if (e.link.rel === 'onlineMeetingInvitation' && e.link.href === this.invitationHref) return this.#invitation(e)
    if (e.link.rel === 'localParticipant' && this.#mine(e.sender.href) && e.embedded) {
      const inLobby = prop<boolean | string>(e.embedded, 'inLobby')
      if ((inLobby === true || inLobby === 'true' || inLobby === 'True') && this.machine.can('lobby')) this.machine.go('lobby')
      return
    }
    if (e.link.rel === 'conversation' && e.type === 'deleted' && this.#mine(e.link.href) && this.machine.can('removed')) {
      this.reason = e.reason ?? null
      this.machine.go('removed')
    }
  }

  #invitation(e: UcwaEvent): void {
    const conv = e.embedded && link(e.embedded, 'conversation')
    if (conv) this.conversationHref ??= conv
    if (e.type !== 'completed') return
    if (e.status === 'Success') {
      if (this.machine.can('in')) this.machine.go('in')
      return
    }
    this.reason = e.reason ?? null
    const to = e.reason?.subcode === 'Denied' ? 'denied' : 'failed'
    if (this.machine.can(to)) this.machine.go(to)
  }

  #mine(href: string): boolean {
    return !!this.conversationHref && (href === this.conversationHref || href.startsWith(`${this.conversationHref}/`))
  }
}
