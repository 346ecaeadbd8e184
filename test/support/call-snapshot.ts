// A CallSnapshot (preload/contract.ts) for renderer tests: a connected two-person call with Bob, changed by `over`.
import type { CallSnapshot } from '../../preload/contract'

export function callSnapshot(over: Partial<CallSnapshot> = {}): CallSnapshot {
  const now = Date.now()
  return {
    id: 'c1',
    state: 'connected',
    direction: 'outgoing',
    remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' },
    subject: '',
    participants: [],
    conference: false,
    startedAt: now,
    connectedAt: now,
    ...over,
  }
}
