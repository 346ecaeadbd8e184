// Escalation of a P2P call to a conference (escalateAudioVideo_ref.md, addParticipant_ref.md): one machine per call,
// and one abandon path that every failure (timeout, EscalationFailed, a failed POST, a cancel) goes through.
import { StateMachine } from '../state-machine'

export type EscalationState =
  | 'idle' // none under way (or the last one done)
  | 'awaiting-link' // addParticipant sent: waiting for audioVideo to offer escalateAudioVideo
  | 'offering' // our conference offer on its way (escalateAudioVideo POST)
  | 'invited' // the pool took it: waiting for the invitation's completed event
  | 'joining' // the other side escalated: we answer its invitation (replacesAudioVideo)

export const escalationTransitions: Record<EscalationState, EscalationState[]> = {
  idle: ['awaiting-link', 'joining'],
  'awaiting-link': ['offering', 'idle'],
  offering: ['invited', 'idle'],
  invited: ['idle'],
  joining: ['idle'],
}

export type AbandonCause = 'timeout' | 'failed' | 'post-error' | 'canceled'

/** What abandoning left to undo: the caller's one rollback reads this, whatever the cause. */
export interface Rollback {
  cause: AbandonCause
  from: EscalationState
  operationId?: string
  /** the conference invitation still open (ours or the one we answer): cancel it, unless it already completed */
  invitationHref?: string
  /** a conference connection was asked of the media agent: close it */
  mediaStarted: boolean
}

export class Escalation {
  readonly machine: StateMachine<EscalationState>
  operationId?: string
  invitationHref?: string

  constructor(private readonly rollback: (r: Rollback) => void) {
    this.machine = new StateMachine<EscalationState>('escalation', 'idle', escalationTransitions)
  }

  get state(): EscalationState {
    return this.machine.state
  }

  /** addParticipant on a P2P call: the conversation will offer escalateAudioVideo */
  request(): void {
    this.machine.go('awaiting-link')
  }

  /** escalateAudioVideo offered: our offer goes out under operationId */
  offer(operationId: string): void {
    this.machine.go('offering')
    this.operationId = operationId
  }

  invited(href: string): void {
    this.machine.go('invited')
    this.invitationHref = href
  }

  /** the other side's conference invitation (replacesAudioVideo) that we answer */
  join(operationId: string, invitationHref: string): void {
    this.machine.go('joining')
    this.operationId = operationId
    this.invitationHref = invitationHref
  }

  /** whether an operationId or invitation href is this escalation's */
  owns(key: string | undefined): boolean {
    return key !== undefined && this.state !== 'idle' && (key === this.operationId || key === this.invitationHref)
  }

  /** The invitation completed with Success: both sides are in the conference. */
  succeed(): void {
    this.#reset()
  }

  /** The one abandon path: back to idle, and the rollback told what to undo. False when none was under way. */
  abandon(cause: AbandonCause): boolean {
    const from = this.state
    if (from === 'idle') return false
    const r: Rollback = {
      cause,
      from,
      operationId: this.operationId,
      invitationHref: cause === 'failed' ? undefined : this.invitationHref,
      mediaStarted: from !== 'awaiting-link',
    }
    this.#reset()
    this.rollback(r)
    return true
  }

  #reset(): void {
    this.machine.go('idle')
    this.operationId = undefined
    this.invitationHref = undefined
  }
}
