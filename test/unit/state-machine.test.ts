import { describe, expect, it } from 'vitest'
import { IllegalTransition, StateMachine } from '../../main/ucwa/state-machine'
import { UcwaClient } from '../../main/ucwa/client'
import { MemoryTokenStore } from '../../main/credentials/token-store'

describe('state machines', () => {
  it('an illegal move throws a typed error and leaves the state as it was', () => {
    const m = new StateMachine<'a' | 'b' | 'c'>('thing', 'a', { a: ['b'], b: ['c'], c: [] })
    m.go('b')
    expect(() => m.go('a')).toThrow(IllegalTransition)
    expect(m.state).toBe('b')
    try {
      m.go('a')
    } catch (e) {
      expect((e as IllegalTransition).toApiError()).toMatchObject({ kind: 'validation', code: 'IllegalTransition' })
    }
  })

  it('the session cannot be signed in twice or be "signed in" from nowhere', () => {
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: 'e' })
    expect(() => c.machine.go('signed-in')).toThrow(IllegalTransition)
    expect(c.state).toBe('signed-out')
    c.machine.go('discovering')
    expect(() => c.machine.go('discovering')).not.toThrow() // same state is a no-op
    expect(() => c.machine.go('replaced')).toThrow(IllegalTransition)
    expect(c.state).toBe('discovering')
  })
})
