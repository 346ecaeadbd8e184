// A reload (or crash) of the page that owns the media, mid-call (issue #22): the core ends the calls it carried, at the
// pool, with a reason; the other side is not left "Connected" with nothing. A call still ringing keeps ringing.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import type { CallSnapshot } from '../../preload/contract'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { weriftRenderer } from '../support/werift-renderer'

let sim: Simulator | undefined
const cores: Core[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()))
  await sim?.close()
})

const ok = async <T>(p: Promise<unknown>): Promise<T> => {
  const r = (await p) as { ok: boolean; value?: unknown; error?: unknown }
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as T
}
const poll = { timeout: 10_000 }

async function client(name: string) {
  const core = await testCore({ ucwa: { mediaTimeoutMs: 5_000 } })
  cores.push(core)
  weriftRenderer(core, name)
  const calls: CallSnapshot[] = []
  core.events.subscribe((n, p) => n === 'calls.changed' && calls.push(p as CallSnapshot))
  await ok(core.dispatch('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim!.url }))
  const last = (id: string) => calls.filter((c) => c.id === id).at(-1)
  return { core, calls, last }
}

describe('the media owner starts again mid-call', () => {
  it('ends each connected call on both sides with the reason; a ringing call rings on and can still be answered', async () => {
    sim = await startSimulator()
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
