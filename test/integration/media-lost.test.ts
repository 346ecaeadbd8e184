// A reload (or crash) of the page that owns the media, mid-call (issue #22): the core ends the calls it carried, at the
// pool, with a reason; the other side is not left "Connected" with nothing. A call still ringing keeps ringing.
import { describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../preload/contract'
import { startSimulator } from '../simulator/index'
import { ok } from '../support/dispatch-result'
import { coresUnderTest, signedInCore } from '../support/signed-in-core'

const t = coresUnderTest()
const poll = { timeout: 10_000 }

const client = (name: string) => signedInCore(t, name)

describe('the media owner starts again mid-call', () => {
  it('ends each connected call on both sides with the reason; a ringing call rings on and can still be answered', async () => {
    t.sim = await startSimulator()
    const [alice, bob, carol] = [await client('alice'), await client('bob'), await client('carol')]
    const out = await ok<CallSnapshot>(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))
    const ringingAt = (u: typeof bob) => u.calls.filter((c) => c.state === 'ringing').at(-1)
    await expect.poll(() => ringingAt(bob), poll).toBeTruthy()
    const atBob = ringingAt(bob)!.id
    await ok(bob.core.dispatch('calls.accept', { callId: atBob }))
    await expect.poll(() => alice.last(out.id)?.state, poll).toBe('connected')
    // Carol calls Alice; it rings while Alice's page reloads
    await ok<CallSnapshot>(carol.core.dispatch('calls.start', { to: 'alice@contoso.test' }))
    await expect.poll(() => ringingAt(alice), poll).toBeTruthy()
    const carolAtAlice = ringingAt(alice)!.id

    // nothing happens to a call before its page starts again
    expect(alice.last(out.id)?.state).toBe('connected')
    await ok(alice.core.dispatch('media.started', undefined))
    expect(alice.last(out.id)).toMatchObject({ state: 'ended', endReason: { code: 'LocalFailure', subcode: 'MediaLost', message: 'The call ended because Parley’s window was reloaded.' } })
    await expect.poll(() => bob.last(atBob)?.state, poll).toBe('ended')
    expect(bob.last(atBob)?.endReason?.subcode).toBe('CallTerminated')

    expect(alice.last(carolAtAlice)?.state).toBe('ringing')
    await ok(alice.core.dispatch('calls.accept', { callId: carolAtAlice }))
    await expect.poll(() => alice.last(carolAtAlice)?.state, poll).toBe('connected')
    // a start with no live call (Bob's) changes nothing
    const before = bob.calls.length
    await ok(bob.core.dispatch('media.started', undefined))
    expect(bob.calls.length).toBe(before)
    expect(carol.calls.at(-1)?.state).toBe('connected')
  }, 40_000)
})
