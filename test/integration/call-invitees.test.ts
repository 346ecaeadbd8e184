// Adding someone to a call (issue #22): the invitee shows "calling…" until they join, a failed invitation names the
// person and why, and the call goes on as it was. The call engine against the simulator with werift media.
import { describe, expect, it } from 'vitest'
import { ManualClock, startSimulator, type Simulator } from '../simulator/index'
import { closeAfterEach } from '../support/close-after-each'
import { connectedCall, engineUser, ringing } from '../support/engine-user'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

const poll = { timeout: 10_000 }

describe.each(['embedded', 'link-only'] as const)('%s events', (events) => {
  it('the invitee is "calling…" until they join; declined, not signed in and no answer each name the person; the call goes on', async () => {
    const clock = new ManualClock()
    sim = await startSimulator({ events, clock, config: { ringTimeoutMs: 20_000 } })
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => engineUser(sim, n, cleanup)))
    const { callId, calleeCallId } = await connectedCall(alice!, bob!, 'bob@contoso.test')
    const invited = () => alice!.engine.get(callId)?.invited?.map((p) => p.name)

    // Carol declines
    await alice!.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    expect(invited()).toEqual(['Carol Castillo'])
    await expect.poll(() => ringing(carol!), poll).toBeTruthy()
    expect(invited()).toEqual(['Carol Castillo']) // still calling while it rings there
    await carol!.engine.decline(ringing(carol!)!.id)
    await expect.poll(() => alice!.engine.get(callId)?.notice, poll).toBe('Carol Castillo declined the invitation.')
    expect(invited()).toBeUndefined()
    expect(alice!.engine.get(callId)?.participants.map((p) => p.uri)).toEqual(['sip:bob@contoso.test'])
    expect(bob!.engine.get(calleeCallId)?.state).not.toBe('ended')

    // Dave is not signed in: not reachable
    await alice!.engine.addParticipant(callId, 'dave@contoso.test', 'Dave Dubois')
    await expect.poll(() => alice!.engine.get(callId)?.notice, poll).toBe('Dave Dubois could not be reached.')
    expect(invited()).toBeUndefined()

    // Carol lets it ring: no answer
    const rang = carol!.seen.filter((s) => s.state === 'ringing').length
    await alice!.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    await expect.poll(() => carol!.seen.filter((s) => s.state === 'ringing').length, poll).toBeGreaterThan(rang)
    expect(invited()).toEqual(['Carol Castillo'])
    clock.advance(20_000)
    await expect.poll(() => alice!.engine.get(callId)?.notice, poll).toBe('Carol Castillo did not answer.')
    expect(invited()).toBeUndefined()

    // and when she accepts, she is in the roster, no longer "calling…"
    await alice!.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    await expect.poll(() => carol!.engine.list().find((c) => c.state === 'ringing'), poll).toBeTruthy()
    await carol!.engine.accept(carol!.engine.list().find((c) => c.state === 'ringing')!.id)
    await expect.poll(() => alice!.engine.get(callId)?.participants.map((p) => p.uri).sort(), poll).toEqual(['sip:bob@contoso.test', 'sip:carol@contoso.test'])
    await expect.poll(invited, poll).toBeUndefined()
  }, 60_000)
})

describe('what an incoming call says before it is answered', () => {
  it('video or audio, from the caller’s offer; an invitation into a conference names who is in it', async () => {
    sim = await startSimulator()
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => engineUser(sim, n, cleanup)))
    // werift media offers audio and video: a video call
    const { callId, calleeCallId } = await connectedCall(alice!, bob!, 'bob@contoso.test')
    expect(alice!.engine.get(callId)?.video).toBe(true)
    expect(bob!.engine.get(calleeCallId)?.video).toBe(true)
    expect(bob!.seen.find((s) => s.id === calleeCallId && s.state === 'ringing')?.video).toBe(true)
    // a P2P invitation has nobody else in it
    expect(bob!.seen.find((s) => s.id === calleeCallId && s.state === 'ringing')?.participants).toEqual([])

    await alice!.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    await expect.poll(() => ringing(carol!), poll).toBeTruthy()
    const atCarol = ringing(carol!)!.id
    await expect.poll(() => carol!.engine.get(atCarol)?.participants.map((p) => p.name).sort(), poll).toEqual(['Alice Ahlberg', 'Bob Brennan'])
    expect(carol!.engine.get(atCarol)?.state).toBe('ringing')
    await carol!.engine.decline(atCarol)
  }, 40_000)
})
