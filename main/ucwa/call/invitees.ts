// People I invited into a call (addParticipant_ref.md) until they join or the invitation fails: the roster shows
// them "calling…", and a failure names the person and why (participantInvitation_ref.md: it completes with a reason,
// after about thirty seconds without an answer).
import type { Person } from '../../../preload/contract'
import { subcodeMessage } from '../errors'
import type { UcwaEvent } from '../events'

export interface Invitee extends Person {
  /** the addParticipant operationId: the participantInvitation carries it back */
  readonly operationId: string
}

/** What the person reads when `name` did not join, by the reason's subcode (reason_ref.md; the simulator's reasons.ts). */
export function inviteeFailure(name: string, reason: UcwaEvent['reason']): string {
  switch (reason?.subcode) {
    case 'Declined':
      return `${name} declined the invitation.`
    case 'Timeout':
    case 'NoAnswer':
      return `${name} did not answer.`
    case 'DoNotDisturb':
      return `${name} does not want to be disturbed.`
    case 'Unreachable':
    case 'DestinationNotFound':
    case 'Offline':
      return `${name} could not be reached.`
    default: {
      // a reason the person can act on (the conference refused our media, say) is said after the name
      const why = reason?.subcode && reason.subcode !== 'None' ? subcodeMessage(reason.subcode) : undefined
      return why ? `${name} could not be added to the call. ${why}` : `${name} could not be added to the call.`
    }
  }
}

/** The invitations of one call still under way. */
export class Invitees {
  readonly #list: Invitee[] = []

  /** who is being invited now, oldest first */
  list(): Person[] {
    return this.#list.map(({ name, uri }) => ({ name, uri }))
  }

  add(invitee: Invitee): void {
    this.#list.push(invitee)
  }

  /** The invitation of `operationId` is over (joined, failed, given up); returns who it was. */
  remove(operationId: string | undefined): Invitee | undefined {
    const i = this.#list.findIndex((x) => x.operationId === operationId)
    return i < 0 ? undefined : this.#list.splice(i, 1)[0]
  }
}
