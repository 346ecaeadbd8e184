// Invitations into an online meeting that ring here (onlineMeetingInvitation_ref.md, direction Incoming): someone in a
// meeting added me (addParticipant_ref.md). Each rings until I accept (the meeting is then joined through it:
// online-meetings.ts), decline (the inviter is told: their participantInvitation fails Declined) or the pool withdraws it.
import type { MeetingInvitationSnapshot } from '../../preload/contract'
import type { UcwaEvent } from './events'
import { link, prop, type Resource } from './resource'
import { StateMachine } from './state-machine'

export type MeetingInvitationState = MeetingInvitationSnapshot['state']

const table: Record<MeetingInvitationState, MeetingInvitationState[]> = {
  ringing: ['accepted', 'declined', 'withdrawn'],
  accepted: [],
  declined: [],
  withdrawn: [],
}

export interface IncomingMeetingInvitation {
  readonly id: string
  readonly href: string
  readonly machine: StateMachine<MeetingInvitationState>
  readonly subject: string
  readonly onlineMeetingUri: string
  readonly from: { name: string; uri: string }
  /** the pool's accept and decline links, while it rings */
  accept?: string
  decline?: string
}

/** Whether an onlineMeetingInvitation resource rings here (Incoming) rather than being one of my own joins. */
function isIncoming(r: Resource | undefined): boolean {
  return prop(r, 'direction') === 'Incoming'
}

/** The ringing invitations of a session, fed by the event channel's onlineMeetingInvitation events. */
export class MeetingInvitations {
  readonly #byHref = new Map<string, IncomingMeetingInvitation>()
  #next = 0

  constructor(private readonly changed: (i: IncomingMeetingInvitation) => void) {}

  /**
   * One onlineMeetingInvitation event with its resource: a new Incoming one starts ringing; a completed one that I did
   * not answer is withdrawn. Returns false when the event is not about an invitation ringing here.
   */
  apply(e: UcwaEvent): boolean {
    const known = this.#byHref.get(e.link.href)
    if (!known) {
      if (e.type !== 'started' || !isIncoming(e.embedded) || !e.embedded) return false
      const r = e.embedded
      const from = r.links.from?.[0]
      const uri = from?.href.match(/\/people\/([^/?#]+)$/)?.[1]
      const inv: IncomingMeetingInvitation = {
        id: `mi${++this.#next}`,
        href: e.link.href,
        machine: new StateMachine<MeetingInvitationState>('meeting invitation', 'ringing', table),
        subject: prop(r, 'subject') ?? '',
        onlineMeetingUri: prop(r, 'onlineMeetingUri') ?? '',
        from: { name: from?.title ?? uri ?? 'Someone', uri: uri ? `sip:${decodeURIComponent(uri).replace(/^sip:/, '')}` : '' },
        accept: link(r, 'accept'),
        decline: link(r, 'decline'),
      }
      this.#byHref.set(inv.href, inv)
      this.changed(inv)
      return true
    }
    if (e.type === 'completed' && known.machine.state === 'ringing') {
      known.machine.go('withdrawn')
      this.#byHref.delete(known.href)
      this.changed(known)
    }
    return true
  }

  get(id: string): IncomingMeetingInvitation | undefined {
    return [...this.#byHref.values()].find((i) => i.id === id)
  }

  /** I answered: it stops ringing here (accepted or declined), and its later events are the join's. */
  answered(inv: IncomingMeetingInvitation, to: 'accepted' | 'declined'): void {
    if (!inv.machine.can(to)) return
    inv.machine.go(to)
    this.#byHref.delete(inv.href)
    this.changed(inv)
  }
}

export function invitationSnapshot(i: IncomingMeetingInvitation): MeetingInvitationSnapshot {
  return { id: i.id, state: i.machine.state, subject: i.subject, onlineMeetingUri: i.onlineMeetingUri, from: i.from }
}
