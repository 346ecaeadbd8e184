// Operations whose completion never comes (lost, or the pool too slow): each has a deadline, after which the
// engine ends or rolls back what it concerned with a typed Timeout, and tells the pool (cancel) where it can.
import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../simulator/index'
import { connectedCall, engineUser, ringing } from '../support/engine-user'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

// every suite twice: events with their resources embedded, and link-only as real pools mostly send them
describe.each(['embedded', 'link-only'] as const)('%s events', (events) => {
  describe('operation deadlines', () => {
    it('an outgoing call the pool never completes ends with Timeout, and the callee stops ringing', async () => {
      sim = await startSimulator({ events, config: { ringTimeoutMs: 120_000 } })
      const alice = await engineUser(sim, 'alice', cleanup, { limits: { callMs: 600 } })
      const bob = await engineUser(sim, 'bob', cleanup)
      const call = await alice.engine.start('bob@contoso.test')
      await expect.poll(() => ringing(bob)).toBeTruthy()
      const bobCall = ringing(bob)!
      await expect.poll(() => alice.last((s) => s.id === call.id)?.state).toBe('ended')
      expect(alice.last((s) => s.id === call.id)?.endReason).toEqual({ code: 'Timeout', subcode: 'OperationTimedOut', message: 'Nobody answered, so Parley ended the call.' })
      // the engine cancelled the invitation: the pool tells Bob the caller hung up
      await expect.poll(() => bob.last((s) => s.id === bobCall.id)?.state).toBe('ended')
      expect(bob.last((s) => s.id === bobCall.id)?.endReason).toMatchObject({ subcode: 'Canceled' })
    })

    it('a call answered in time is not touched by its deadline', async () => {
      sim = await startSimulator({ events })
      const alice = await engineUser(sim, 'alice', cleanup, { limits: { callMs: 1500 } })
      const bob = await engineUser(sim, 'bob', cleanup)
      const call = { id: (await connectedCall(alice, bob, 'bob@contoso.test')).callId }
      await new Promise((r) => setTimeout(r, 1800))
      expect(alice.engine.get(call.id)?.state).toBe('connected')
    })

    it('a hold the other side answers late: the person is told, no second change meanwhile, and the late answer still applies', async () => {
      sim = await startSimulator({ events })
      const alice = await engineUser(sim, 'alice', cleanup, { limits: { changeMs: 400 } })
      const bob = await engineUser(sim, 'bob', cleanup)
      const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
      const call = { id: callId }
      const bobCall = { id: calleeCallId }
      sim.control.fault({ kind: 'delay', resource: 'answer', method: 'POST', ms: 1500 })
      await alice.engine.change(call.id, 'hold')
      await expect.poll(() => alice.engine.get(call.id)?.notice).toBe('That change to the call did not go through in time.')
      expect(alice.engine.get(call.id)).toMatchObject({ state: 'connected', held: false })
      await expect(alice.engine.change(call.id, 'video-off')).rejects.toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
      // both sides end up agreeing: Alice holds, Bob sees it
      await expect.poll(() => alice.engine.get(call.id)?.held, { timeout: 4000 }).toBe(true)
      expect(bob.engine.get(bobCall.id)?.remoteHeld).toBe(true)
      expect(alice.engine.get(call.id)?.notice).toBeUndefined()
      await expect(alice.engine.change(call.id, 'resume')).resolves.toBeUndefined()
    })

    it('an escalation stuck waiting for the other side is cancelled: both stay on the P2P call', async () => {
      sim = await startSimulator({ events })
      // the deadline and the delay are far apart, so a loaded machine cannot blur which comes first
      // (the deadline must outlast Alice's offer, the conference's creation and Bob's invitation on a machine under load)
      const deadlineMs = 8000
      const lateMs = 16_000
      const alice = await engineUser(sim, 'alice', cleanup, { limits: { escalationMs: deadlineMs } })
      const bob = await engineUser(sim, 'bob', cleanup)
      await engineUser(sim, 'carol', cleanup)
      const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
      const call = { id: callId }
      const bobCall = { id: calleeCallId }
      // Bob's answer to the conference invitation arrives far too late
      sim.control.fault({ kind: 'delay', resource: 'acceptWithAnswer', method: 'POST', ms: lateMs })
      await alice.engine.addParticipant(call.id, 'carol@contoso.test')
      // Bob is invited into the conference (what the deadline then waits on is his answer)
      await expect.poll(() => bob.engine.get(bobCall.id)?.state, { timeout: deadlineMs }).toBe('escalating')
      const invitedAt = Date.now()
      await expect.poll(() => alice.engine.get(call.id)?.notice, { timeout: deadlineMs + 5000 }).toBe('The conference did not start in time. Your call continues as it was.')
      expect(alice.engine.get(call.id)?.state).toBe('connected')
      expect(alice.media.peers.get(call.id)?.conference).toBeUndefined()
      // the pool dropped the escalation: Bob is told and stays on the P2P call too
      await expect.poll(() => bob.engine.get(bobCall.id)?.notice, { timeout: 10_000 }).toBe('The call could not be turned into a conference. Your call continues as it was.')
      expect(bob.engine.get(bobCall.id)?.state).toBe('connected')
      expect(sim.control.world.conferencing.conferences).toBe(0)
      // and it does not turn into a conference when Bob's late answer lands
      await new Promise((r) => setTimeout(r, Math.max(0, invitedAt + lateMs + 1000 - Date.now())))
      expect(alice.engine.get(call.id)?.state).toBe('connected')
      expect(bob.engine.get(bobCall.id)?.state).toBe('connected')
    }, 60_000)
  })
})
