// The media side's own re-offer (MediaAgent.onReoffer: the bridge's after ICE, [MS-ICE2]) through the call engine and the
// simulator: sent as an audioVideoRenegotiation once the call is connected and no other change is under way, answered by
// the other side, and nothing of it reaching the renderer (call/media-reoffer.ts).
import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine, type CallSnapshot } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import { startSimulator, type Simulator } from '../simulator/index'
import { closeAfterEach } from '../support/close-after-each'
import { engineUser, ringing } from '../support/engine-user'
import { WeriftMedia } from '../support/werift-media'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

/** A renderer stand-in whose media side re-offers on its own when the test says so. */
class ReofferingMedia extends WeriftMedia {
  reofferNow: (callId: string, reoffer: () => Promise<string>) => void = () => {
    throw new Error('the engine did not register onReoffer')
  }

  onReoffer(listener: (callId: string, reoffer: () => Promise<string>) => void): void {
    this.reofferNow = listener
  }
}

async function alice(logs: string[] = []) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new ReofferingMedia('alice')
  const engine = new CallEngine(client, media, { limits: { changeMs: 1_000 }, log: (m) => logs.push(m) })
  const seen: CallSnapshot[] = []
  engine.onChange((s) => seen.push(s))
  await client.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  return { media, engine, seen }
}

const AFTER_ICE = 'v=0\r\no=- 0 1 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 50000 RTP/SAVP 0\r\na=remote-candidates:1 127.0.0.1 40000 2 127.0.0.1 40001\r\n'
const renegotiations = () => [...sim.control.world.calls.renegotiations.values()]

describe('the media side\'s own re-offer', () => {
  it('made while the call still rings: it goes to the pool once the call is connected, the other side answers it, and the renderer hears nothing of it', { timeout: 30_000 }, async () => {
    sim = await startSimulator()
    const a = await alice()
    const bob = await engineUser(sim, 'bob', cleanup)
    const call = await a.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)).toBeTruthy()
    a.media.reofferNow(call.id, async () => AFTER_ICE)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(renegotiations()).toEqual([]) // not while it rings: the pool has no session to renegotiate yet
    await bob.engine.accept(ringing(bob)!.id)
    await expect.poll(() => renegotiations()[0]?.state, { timeout: 10_000 }).toBe('Answered')
    expect(renegotiations()).toHaveLength(1)
    expect(renegotiations()[0]!.offer).toBe(AFTER_ICE)
    expect(bob.media.changes).toEqual([expect.stringMatching(/:answer:live$/)])
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(a.media.changes).toEqual([])
    expect(a.engine.get(call.id)).toMatchObject({ state: 'connected', held: false, sendingVideo: true })
    expect(a.engine.get(call.id)?.notice).toBeUndefined()
  })

  it('made while a hold is under way: it waits for the hold\'s answer (one renegotiation at a time), then goes out; the call stays held', { timeout: 30_000 }, async () => {
    sim = await startSimulator()
    const a = await alice()
    const bob = await engineUser(sim, 'bob', cleanup)
    const call = await a.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)).toBeTruthy()
    await bob.engine.accept(ringing(bob)!.id)
    await expect.poll(() => a.engine.get(call.id)?.state).toBe('connected')
    await a.engine.change(call.id, 'hold')
    a.media.reofferNow(call.id, async () => AFTER_ICE)
    await expect.poll(() => renegotiations().map((r) => [r.state, r.offer === AFTER_ICE]), { timeout: 10_000 }).toEqual([
      ['Answered', false],
      ['Answered', true],
    ])
    expect(a.engine.get(call.id)).toMatchObject({ state: 'connected', held: true })
    expect(a.media.changes).toEqual([`${call.id}:hold`, `${call.id}:reanswer`])
    // and a change after it goes through as before
    await a.engine.change(call.id, 'resume')
    await expect.poll(() => a.engine.get(call.id)?.held).toBe(false)
  })

  it('left unanswered past the change deadline: logged only, no notice for a change the person never made', { timeout: 30_000 }, async () => {
    sim = await startSimulator()
    const logs: string[] = []
    const a = await alice(logs)
    const bob = await engineUser(sim, 'bob', cleanup)
    bob.media.answerReoffer = () => new Promise(() => {}) // Bob's side never answers
    const call = await a.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)).toBeTruthy()
    await bob.engine.accept(ringing(bob)!.id)
    await expect.poll(() => a.engine.get(call.id)?.state).toBe('connected')
    a.media.reofferNow(call.id, async () => AFTER_ICE)
    await expect.poll(() => logs.filter((l) => l.endsWith('no answer yet to the re-offer after ICE')), { timeout: 10_000 }).toHaveLength(1)
    expect(a.engine.get(call.id)).toMatchObject({ state: 'connected', held: false })
    expect(a.engine.get(call.id)?.notice).toBeUndefined()
  })

  it('hold pressed while the re-offer is still unanswered: the hold waits for its answer (no "another change" error for a change the person never made), then goes through', { timeout: 30_000 }, async () => {
    sim = await startSimulator()
    const a = await alice()
    const bob = await engineUser(sim, 'bob', cleanup)
    let release = () => {}
    const answer = bob.media.answerReoffer.bind(bob.media)
    bob.media.answerReoffer = (id, offer) => (offer === AFTER_ICE ? new Promise<void>((r) => (release = r)).then(() => answer(id, offer)) : answer(id, offer))
    const call = await a.engine.start('bob@contoso.test')
    await expect.poll(() => ringing(bob)).toBeTruthy()
    await bob.engine.accept(ringing(bob)!.id)
    await expect.poll(() => a.engine.get(call.id)?.state).toBe('connected')
    a.media.reofferNow(call.id, async () => AFTER_ICE)
    await expect.poll(() => renegotiations().length, { timeout: 10_000 }).toBe(1)
    const holding = a.engine.change(call.id, 'hold')
    await new Promise((resolve) => setTimeout(resolve, 200))
    release()
    await holding
    await expect.poll(() => a.engine.get(call.id)?.held, { timeout: 10_000 }).toBe(true)
    expect(renegotiations().map((r) => [r.state, r.offer === AFTER_ICE])).toEqual([
      ['Answered', true],
      ['Answered', false],
    ])
    expect(a.engine.get(call.id)?.notice).toBeUndefined()
  })
})
