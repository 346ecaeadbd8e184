// Call history through the core against the simulator: written as calls end, read again by a new core (a restart).
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CallHistory, CallSnapshot } from '../../preload/contract'
import { startSimulator } from '../simulator/index'
import { ok } from '../support/dispatch-result'
import { coresUnderTest, signedInCore } from '../support/signed-in-core'

const t = coresUnderTest()

const client = (name: string, historyDir: string) => signedInCore(t, name, { historyDir })

describe('call history', () => {
  it('a cancelled call is missed for the callee, an answered one has its duration; both are there after a restart', async () => {
    t.sim = await startSimulator()
    const dirs = { alice: await mkdtemp(join(tmpdir(), 'parley-a-')), bob: await mkdtemp(join(tmpdir(), 'parley-b-')) }
    const alice = await client('alice', dirs.alice)
    const bob = await client('bob', dirs.bob)
    const ringing = () => bob.calls.filter((c) => c.state === 'ringing').at(-1)

    // Alice calls and gives up before Bob answers
    const first = await ok<CallSnapshot>(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))
    await expect.poll(ringing, { timeout: 10_000 }).toBeTruthy()
    const missedId = ringing()!.id
    await ok(alice.core.dispatch('calls.hangUp', { callId: first.id }))
    await expect.poll(async () => (await ok<CallHistory>(bob.core.dispatch('history.get', undefined))).entries.length, { timeout: 10_000 }).toBe(1)

    // then a call Bob answers, hung up by Alice after a moment
    const second = await ok<CallSnapshot>(alice.core.dispatch('calls.start', { to: 'bob@contoso.test' }))
    await expect.poll(() => ringing()?.id !== missedId, { timeout: 10_000 }).toBe(true)
    await ok(bob.core.dispatch('calls.accept', { callId: ringing()!.id }))
    await expect.poll(async () => (await ok<CallSnapshot[]>(alice.core.dispatch('calls.list', undefined)))[0]?.state, { timeout: 10_000 }).toBe('connected')
    await new Promise((r) => setTimeout(r, 1_200))
    await ok(alice.core.dispatch('calls.hangUp', { callId: second.id }))
    await expect.poll(async () => (await ok<CallHistory>(bob.core.dispatch('history.get', undefined))).entries.length, { timeout: 10_000 }).toBe(2)

    const bobHistory = await ok<CallHistory>(bob.core.dispatch('history.get', undefined))
    expect(bobHistory.unseenMissed).toBe(1)
    expect(bobHistory.entries.map((e) => [e.direction, e.outcome, e.ended, e.people.map((p) => p.name)])).toEqual([
      ['incoming', 'answered', expect.any(String), ['Alice Ahlberg']],
      ['incoming', 'missed', 'Missed call', ['Alice Ahlberg']],
    ])
    expect(bobHistory.entries[0]!.durationS).toBeGreaterThanOrEqual(1)
    const aliceHistory = await ok<CallHistory>(alice.core.dispatch('history.get', undefined))
    expect(aliceHistory.entries.map((e) => [e.direction, e.outcome])).toEqual([
      ['outgoing', 'answered'],
      ['outgoing', 'not-answered'],
    ])
    expect(aliceHistory.unseenMissed).toBe(0)

    // Bob's app restarts: a new core on the same data folder has his history once he is signed in, and the badge
    await bob.core.close()
    const again = await client('bob', dirs.bob)
    const changed: CallHistory[] = []
    again.core.events.subscribe((n, p) => n === 'history.changed' && changed.push(p as CallHistory))
    expect(await ok<CallHistory>(again.core.dispatch('history.get', undefined))).toEqual(bobHistory)
    expect(await ok<CallHistory>(again.core.dispatch('history.markSeen', undefined))).toMatchObject({ unseenMissed: 0 })
    expect(changed.at(-1)?.unseenMissed).toBe(0)
    // signed out: no one's history shows
    await ok(again.core.dispatch('session.signOut', undefined))
    await expect.poll(async () => (await ok<CallHistory>(again.core.dispatch('history.get', undefined))).entries).toEqual([])
  }, 60_000)
})
