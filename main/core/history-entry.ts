// What a call leaves in the history: everyone who was in it, how long it lasted, how it ended, in the person's words.
import type { CallSnapshot, HistoryEntry, Person } from '../../preload/contract'

/** how an ended call reads: a call to me that never connected is missed (even when the caller cancelled it) */
export function outcomeOf(c: CallSnapshot): Pick<HistoryEntry, 'outcome' | 'ended'> {
  const declinedByMe = c.endReason?.subcode === 'Declined' && c.direction === 'incoming'
  if (c.connectedAt !== undefined) return { outcome: 'answered', ended: c.endReason?.message ?? 'The call ended.' }
  if (declinedByMe) return { outcome: 'declined', ended: 'You declined the call.' }
  // the caller's "The call was cancelled" (Canceled), no answer, answered nowhere: to the callee it is a missed call
  // one this side could not take (its media: main/media-bridge/refusal.ts) is missed, and says why
  if (c.direction === 'incoming') return { outcome: 'missed', ended: c.endReason?.code === 'LocalFailure' ? c.endReason.message : 'Missed call' }
  return { outcome: 'not-answered', ended: c.endReason?.message ?? 'The call did not connect.' }
}

const isAddress = (p: Person) => !p.name || p.name.toLowerCase() === p.uri.replace(/^sip:/i, '').toLowerCase()

/** Follows calls as they change; when one ends, gives its history entry. Keeps everyone seen while it lasted. */
export class HistoryRecorder {
  readonly #people = new Map<string, Map<string, Person>>()

  /** a call changed; returns its entry when it ended (`now`: ms since the epoch) */
  observe(c: CallSnapshot, now: number): HistoryEntry | null {
    const seen = this.#people.get(c.id) ?? new Map<string, Person>()
    this.#people.set(c.id, seen)
    for (const p of [c.remote, ...c.participants]) {
      // a call starts under the address typed; the name the pool gives later replaces it
      const known = seen.get(p.uri)
      if (p.uri && (!known || (isAddress(known) && !isAddress(p)))) seen.set(p.uri, { name: p.name, uri: p.uri })
    }
    if (c.state !== 'ended') return null
    this.#people.delete(c.id)
    const durationS = c.connectedAt !== undefined ? Math.max(0, Math.round((now - c.connectedAt) / 1000)) : 0
    return { id: c.id, direction: c.direction, people: [...seen.values()], conference: c.conference, startedAt: c.startedAt, durationS, ...outcomeOf(c), ...(c.video !== undefined && { video: c.video }) }
  }
}
