// Call waiting in the calls store: which call is in front (the one shown, the one the shortcuts act on).
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../preload/contract'
import { useCallsStore } from '../../renderer/src/stores/calls'

const snap = (id: string, o: Partial<CallSnapshot> = {}): CallSnapshot => ({
  id,
  state: 'connected',
  direction: 'incoming',
  remote: { name: id, uri: `sip:${id}@contoso.test` },
  subject: '',
  participants: [],
  conference: false,
  startedAt: 0,
  ...o,
})

beforeEach(() => setActivePinia(createPinia()))

describe('the call in front', () => {
  it('is the one chosen last while it lasts, else one not on hold, else any; a ringing call is never in front', () => {
    const calls = useCallsStore()
    calls.calls = { a: snap('a'), b: snap('b', { state: 'ringing' }) }
    expect(calls.active?.id).toBe('a')
    expect(calls.answered.map((c) => c.id)).toEqual(['a'])
    // b answered (here or from the notification): a is put on hold by main
    calls.calls = { a: snap('a', { held: true }), b: snap('b') }
    expect(calls.active?.id).toBe('b')
    // the person switches back to a: it is in front even before main says it is resumed
    calls.front = 'a'
    expect(calls.active?.id).toBe('a')
    // a ends: b, on hold now, is the call shown
    calls.calls = { b: snap('b', { held: true }) }
    expect(calls.active?.id).toBe('b')
    calls.calls = {}
    expect(calls.active).toBeNull()
  })
})
