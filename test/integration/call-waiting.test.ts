// Call waiting against the simulator with werift media (issue #22): answering a second call holds the first at the
// pool, switching holds one and resumes the other, hanging up either leaves the other.
import { describe, expect, it } from 'vitest'
import { activeCall } from '../../main/desktop/tray-state'
import { startSimulator, type Simulator } from '../simulator/index'
import { closeAfterEach } from '../support/close-after-each'
import { connectedCall, engineUser, ringing } from '../support/engine-user'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

const user = (name: string) => engineUser(sim, name, cleanup)
const poll = { timeout: 10_000 }

describe.each(['embedded', 'link-only'] as const)('%s events', (events) => {
  it('a second call answered during a call holds the first on both sides; switching and hanging up either leave the other', async () => {
    sim = await startSimulator({ events })
    const [alice, bob, carol] = [await user('alice'), await user('bob'), await user('carol')]
    const first = await connectedCall(alice, bob, 'bob@contoso.test')
    await expect.poll(() => bob.engine.get(first.calleeCallId)?.state, poll).toBe('connected')

    // Carol calls Bob while he talks to Alice; it rings, and nothing happens to Alice's call until Bob answers
    const second = await carol.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)?.remote.name, poll).toBe('Carol Castillo')
    const carolAtBob = ringing(bob)!.id
    expect(bob.engine.get(first.calleeCallId)).toMatchObject({ state: 'connected', held: false })
    expect(bob.media.changes).toEqual([])

    // Bob answers: the call with Alice goes on hold at the pool first (Alice hears of it), then Carol's connects
    await bob.engine.accept(carolAtBob)
    await expect.poll(() => alice.engine.get(first.callId)?.remoteHeld, poll).toBe(true)
    await expect.poll(() => bob.engine.get(first.calleeCallId)?.held, poll).toBe(true)
    await expect.poll(() => carol.engine.get(second.id)?.state, poll).toBe('connected')
    expect(bob.engine.get(carolAtBob)).toMatchObject({ state: 'connected', held: false })
    expect(bob.media.changes.filter((c) => c.startsWith(first.calleeCallId))).toEqual([`${first.calleeCallId}:hold`, `${first.calleeCallId}:reanswer`])
    // the tray follows the call in front
    expect(activeCall(bob.engine.list())?.id).toBe(carolAtBob)

    // back to Alice: Carol is held, Alice resumed
    await bob.engine.switchTo(first.calleeCallId)
    await expect.poll(() => carol.engine.get(second.id)?.remoteHeld, poll).toBe(true)
    await expect.poll(() => alice.engine.get(first.callId)?.remoteHeld, poll).toBe(false)
    await expect.poll(() => bob.engine.get(first.calleeCallId)?.held, poll).toBe(false)
    await expect.poll(() => bob.engine.get(carolAtBob)?.held, poll).toBe(true)
    expect(activeCall(bob.engine.list())?.id).toBe(first.calleeCallId)

    // Bob hangs up Alice's call: Carol's stays, on hold, until he brings it back
    await bob.engine.hangUp(first.calleeCallId)
    await expect.poll(() => alice.last((s) => s.id === first.callId)?.state, poll).toBe('ended')
    await new Promise((r) => setTimeout(r, 300))
    expect(carol.engine.get(second.id)).toMatchObject({ state: 'connected', remoteHeld: true })
    expect(bob.engine.get(carolAtBob)).toMatchObject({ state: 'connected', held: true })
    expect(activeCall(bob.engine.list())?.id).toBe(carolAtBob)
    await bob.engine.switchTo(carolAtBob)
    await expect.poll(() => carol.engine.get(second.id)?.remoteHeld, poll).toBe(false)
    await expect.poll(() => bob.engine.get(carolAtBob)?.held, poll).toBe(false)
  }, 40_000)

  it('the other way round: the caller of the waiting call hangs up, the held call is untouched; switching to a ringing or ended call is refused', async () => {
    sim = await startSimulator({ events })
    const [alice, bob, carol] = [await user('alice'), await user('bob'), await user('carol')]
    const first = await connectedCall(alice, bob, 'bob@contoso.test')
    const out = await carol.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)?.remote.name, poll).toBe('Carol Castillo')
    const second = { callId: out.id, calleeCallId: ringing(bob)!.id }
    await bob.engine.accept(second.calleeCallId)
    await expect.poll(() => carol.engine.get(second.callId)?.state, poll).toBe('connected')
    await expect.poll(() => bob.engine.get(first.calleeCallId)?.held, poll).toBe(true)
    await carol.engine.hangUp(second.callId)
    await expect.poll(() => bob.last((s) => s.id === second.calleeCallId)?.state, poll).toBe('ended')
    expect(bob.engine.get(first.calleeCallId)).toMatchObject({ state: 'connected', held: true })
    expect(alice.engine.get(first.callId)).toMatchObject({ state: 'connected', remoteHeld: true })
    await expect(bob.engine.switchTo(second.calleeCallId)).rejects.toMatchObject({ code: 'NotFound' })

    const third = await carol.engine.start('bob@contoso.test')
    const ringingNow = () => bob.engine.list().find((c) => c.state === 'ringing')
    await expect.poll(() => ringingNow()?.remote.name, poll).toBe('Carol Castillo')
    await expect(bob.engine.switchTo(ringingNow()!.id)).rejects.toMatchObject({ code: 'Conflict', subcode: 'NotAnswered' })
    await carol.engine.hangUp(third.id)
    await bob.engine.switchTo(first.calleeCallId)
    await expect.poll(() => alice.engine.get(first.callId)?.remoteHeld, poll).toBe(false)
  }, 40_000)

  it('a conference has no hold: answering a second call mutes me there (its members see it), and the conference goes on', async () => {
    sim = await startSimulator({ events })
    const [alice, bob, carol, dave] = [await user('alice'), await user('bob'), await user('carol'), await user('dave')]
    const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
    await alice.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    await expect.poll(() => ringing(carol), poll).toBeTruthy()
    const atCarol = ringing(carol)!.id
    await carol.engine.accept(atCarol)
    await expect.poll(() => bob.engine.get(calleeCallId)?.state, poll).toBe('conference')
    const bobAt = (u: typeof alice, id: string) => u.engine.get(id)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio
    await expect.poll(() => bobAt(alice, callId), poll).toBe('on')

    const out = await dave.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)?.remote.uri, poll).toBe('sip:dave@contoso.test')
    await bob.engine.accept(ringing(bob)!.id)
    await expect.poll(() => dave.engine.get(out.id)?.state, poll).toBe('connected')
    await expect.poll(() => bobAt(alice, callId), poll).toBe('muted')
    await expect.poll(() => bobAt(carol, atCarol), poll).toBe('muted')
    expect(bob.engine.get(calleeCallId)).toMatchObject({ state: 'conference', audioMuted: true })
    expect(alice.engine.get(callId)?.state).toBe('conference')
  }, 40_000)
})
