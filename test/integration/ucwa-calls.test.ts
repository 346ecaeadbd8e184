// The call engine end to end against the simulator with werift media: P2P calls, every ending, escalation.
import { describe, expect, it } from 'vitest'
import { ManualClock, startSimulator, type Simulator } from '../simulator/index'
import { MAX_RINGING } from '../../main/ucwa/call/events'
import { closeAfterEach } from '../support/close-after-each'
import { connectedCall, engineUser, ringing, ringingCall } from '../support/engine-user'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
closeAfterEach(cleanup, () => sim)

const user = (name: string) => engineUser(sim, name, cleanup)

// every suite twice: events with their resources embedded, and link-only as real pools mostly send them
describe.each(['embedded', 'link-only'] as const)('%s events', (events) => {
  describe('call engine', () => {
    it('outgoing and incoming P2P call with media both ways, then the callee hangs up', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const out = await alice.engine.start('bob@contoso.test', 'Weekly sync')
      expect(out.state).toBe('calling')
      await expect.poll(() => ringing(bob)).toBeTruthy()
      const incoming = ringing(bob)!
      expect(incoming).toMatchObject({ remote: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, subject: 'Weekly sync' })
      await bob.engine.accept(incoming.id)
      await expect.poll(() => alice.engine.get(out.id)?.state).toBe('connected')
      await expect.poll(() => bob.engine.get(incoming.id)?.state).toBe('connected')
      const [a, b] = [alice.media.current(out.id)!, bob.media.current(incoming.id)!]
      await Promise.all([a.connected(), b.connected()])
      a.startSending()
      b.startSending()
      await expect.poll(() => a.count('bob', 'video') > 10 && b.count('alice', 'audio') > 10, { timeout: 8000 }).toBe(true)
      expect(alice.engine.get(out.id)?.participants.map((p) => p.uri)).toEqual(['sip:bob@contoso.test'])
      await bob.engine.hangUp(incoming.id)
      await expect.poll(() => alice.last((s) => s.id === out.id)?.state).toBe('ended')
      expect(alice.last((s) => s.id === out.id)?.endReason).toMatchObject({ subcode: 'CallTerminated' })
      expect(alice.media.peers.has(out.id)).toBe(false) // media closed
    })

    it('the callee sends a provisional answer while ringing: the caller gets early media, then the final answer connects', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      // Bob's side answers early with its own SDP (what the renderer does: connectivity, no camera yet)
      const earlySdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\n'
      const asked: string[] = []
      bob.media.createProvisionalAnswer = async (_id, offer) => (asked.push(offer), earlySdp)
      const applied: Array<{ sdp: string; provisional: boolean }> = []
      const apply = alice.media.applyAnswer.bind(alice.media)
      alice.media.applyAnswer = (id, sdp, o) => (applied.push({ sdp, provisional: o.provisional }), apply(id, sdp, o))

      const out = await alice.engine.start('bob@contoso.test')
      await expect.poll(() => alice.engine.get(out.id)?.state).toBe('early-media')
      expect(applied).toEqual([{ sdp: earlySdp, provisional: true }])
      expect(asked[0]).toMatch(/^v=0/) // the provisional answer answered Alice's offer
      const incoming = ringing(bob)! // still ringing: nobody accepted anything
      await bob.engine.accept(incoming.id)
      await expect.poll(() => alice.engine.get(out.id)?.state).toBe('connected')
      expect(applied.map((a) => a.provisional)).toEqual([true, false])
      await Promise.all([alice.media.current(out.id)!.connected(), bob.media.current(incoming.id)!.connected()])
    })

    it('Accept twice (a double click, or the notification and the window both) answers once and the call connects', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const { callId, calleeCallId } = await ringingCall(alice, bob, 'bob@contoso.test')
      await Promise.all([bob.engine.accept(calleeCallId), bob.engine.accept(calleeCallId)])
      await bob.engine.accept(calleeCallId) // and once more after it connected
      await expect.poll(() => alice.engine.get(callId)?.state).toBe('connected')
      await expect.poll(() => bob.engine.get(calleeCallId)?.state).toBe('connected')
      await new Promise((r) => setTimeout(r, 300))
      expect(bob.engine.get(calleeCallId)?.state).toBe('connected')
      await bob.engine.hangUp(calleeCallId)
    })

    it('hanging up a call answered a moment ago (before the caller heard) ends it for the callee too', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const out = await alice.engine.start('bob@contoso.test')
      // Alice's client is slow to hear of Bob's answer: her next pages wait until the test lets them go
      let release = () => {}
      const held = new Promise<void>((r) => (release = r))
      alice.client.on('events', () => held)
      await expect.poll(() => ringing(bob)).toBeTruthy()
      const incoming = ringing(bob)!
      await bob.engine.accept(incoming.id)
      await expect.poll(() => bob.engine.get(incoming.id)?.state).toBe('connected')
      expect(alice.engine.get(out.id)?.state).toMatch(/^(calling|early-media)$/)
      await alice.engine.hangUp(out.id) // cancel is refused (Gone): the call is hung up instead
      release()
      await expect.poll(() => bob.last((s) => s.id === incoming.id)?.state).toBe('ended')
      expect(bob.last((s) => s.id === incoming.id)?.endReason).toMatchObject({ subcode: 'CallTerminated' })
    })

    it('declined, cancelled, not answered, and to someone offline: each ends with the pool’s reason', async () => {
      const clock = new ManualClock()
      sim = await startSimulator({ events, clock, config: { ringTimeoutMs: 20_000 } })
      const alice = await user('alice')
      const bob = await user('bob')

      const c1 = await alice.engine.start('bob@contoso.test')
      await expect.poll(() => ringing(bob)).toBeTruthy()
      await bob.engine.decline(ringing(bob)!.id)
      await expect.poll(() => alice.last((s) => s.id === c1.id)?.endReason?.subcode).toBe('Declined')

      const rang = () => [...new Set(bob.seen.filter((s) => s.state === 'ringing').map((s) => s.id))]
      const c2 = await alice.engine.start('bob@contoso.test')
      await expect.poll(() => rang().length).toBe(2)
      const second = { id: rang()[1]! }
      await alice.engine.hangUp(c2.id) // cancel before answer
      await expect.poll(() => bob.last((s) => s.id === second.id)?.endReason?.subcode).toBe('Canceled')

      const c3 = await alice.engine.start('bob@contoso.test')
      await expect.poll(() => rang().length).toBe(3)
      clock.advance(20_000)
      await expect.poll(() => alice.last((s) => s.id === c3.id)?.endReason?.subcode).toBe('Timeout')
      await expect.poll(() => bob.last((s) => s.state === 'ended')?.endReason?.subcode).toBe('Missed')

      const c4 = await alice.engine.start('dave@contoso.test')
      await expect.poll(() => alice.last((s) => s.id === c4.id)?.endReason).toMatchObject({ subcode: 'Unreachable', message: 'That person is not signed in.' })
    })

    it('decline is for a call that rings here: on my own outgoing call it is a typed error, the far end rings on until I cancel', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const { callId, calleeCallId } = await ringingCall(alice, bob, 'bob@contoso.test')
      const before = sim.control.requests().length
      await expect(alice.engine.decline(callId)).rejects.toMatchObject({ code: 'Conflict', subcode: 'NotIncoming' })
      // nothing went to the pool (no POST to a link the call does not have), and both sides still ring
      expect(sim.control.requests().slice(before).filter((r) => r.method === 'POST')).toEqual([])
      expect(alice.engine.get(callId)?.state).toBe('calling')
      expect(bob.engine.get(calleeCallId)?.state).toBe('ringing')
      // hanging up is how the caller gives up: the pool's cancel reaches Bob, who stops ringing
      await alice.engine.hangUp(callId)
      await expect.poll(() => bob.last((s) => s.id === calleeCallId)?.state).toBe('ended')
      expect(bob.last((s) => s.id === calleeCallId)?.endReason).toMatchObject({ subcode: 'Canceled' })
    })

    it('escalation: add a third person to a P2P call; all three get each other’s media through the conference', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const carol = await user('carol')
      const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
      alice.media.current(callId)!.startSending()

      await alice.engine.addParticipant(callId, 'carol@contoso.test')
      expect(alice.engine.get(callId)?.state).toBe('escalating')
      await expect.poll(() => alice.engine.get(callId)?.state, { timeout: 10_000 }).toBe('conference')
      await expect.poll(() => bob.engine.get(calleeCallId)?.state, { timeout: 10_000 }).toBe('conference')
      await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy()
      const carolCall = ringing(carol)!
      await carol.engine.accept(carolCall.id)
      await expect.poll(() => carol.engine.get(carolCall.id)?.state, { timeout: 10_000 }).toBe('conference')

      const peers = { alice: alice.media.current(callId)!, bob: bob.media.current(calleeCallId)!, carol: carol.media.current(carolCall.id)! }
      expect(alice.media.peers.get(callId)?.p2p).toBeUndefined() // the P2P connection was closed once the move completed
      for (const p of Object.values(peers)) p.startSending()
      const ok = () =>
        (['alice', 'bob', 'carol'] as const).every((me) => (['alice', 'bob', 'carol'] as const).filter((o) => o !== me).every((o) => peers[me].count(o, 'audio') > 10 && peers[me].count(o, 'video') > 10))
      await expect.poll(ok, { timeout: 10_000 }).toBe(true)
      await expect.poll(() => alice.engine.get(callId)?.participants.map((p) => p.uri).sort()).toEqual(['sip:bob@contoso.test', 'sip:carol@contoso.test'])

      await carol.engine.hangUp(carolCall.id)
      await bob.engine.hangUp(calleeCallId)
      await expect.poll(() => alice.last((s) => s.id === callId)?.state).toBe('ended')
      // the last one in is told why: the audioVideo event's reason (link-only: its resource is gone by then)
      expect(alice.last((s) => s.id === callId)?.endReason).toMatchObject({ subcode: 'Ended', message: 'The conference has finished.' })
    }, 40_000)

    it('conference roster: everyone sees who is in, who muted and whose camera is off; the unit stops forwarding a muted microphone', async () => {
      sim = await startSimulator({ events })
      const [alice, bob, carol] = [await user('alice'), await user('bob'), await user('carol')]
      const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
      // muted before the move: the conference's server hears of it once Alice is in
      await alice.engine.setMuted(callId, { video: true })
      expect(alice.engine.get(callId)).toMatchObject({ videoMuted: true, audioMuted: false })
      await alice.engine.addParticipant(callId, 'carol@contoso.test')
      await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy()
      const carolCall = ringing(carol)!
      await carol.engine.accept(carolCall.id)
      await expect.poll(() => carol.engine.get(carolCall.id)?.state, { timeout: 10_000 }).toBe('conference')

      // Carol joined after Alice and Bob were announced: her roster still lists both, Alice's camera off
      const roster = (who: typeof alice, id: string) => Object.fromEntries((who.engine.get(id)?.participants ?? []).map((p) => [p.uri, `${p.audio}/${p.video}`]))
      await expect.poll(() => roster(carol, carolCall.id)).toEqual({ 'sip:alice@contoso.test': 'on/muted', 'sip:bob@contoso.test': 'on/on' })
      await expect.poll(() => roster(bob, calleeCallId)).toEqual({ 'sip:alice@contoso.test': 'on/muted', 'sip:carol@contoso.test': 'on/on' })

      const peers = { alice: alice.media.current(callId)!, bob: bob.media.current(calleeCallId)!, carol: carol.media.current(carolCall.id)! }
      for (const p of Object.values(peers)) p.startSending()
      await expect.poll(() => peers.carol.count('bob', 'audio'), { timeout: 10_000 }).toBeGreaterThan(10)

      await bob.engine.setMuted(calleeCallId, { audio: true })
      await expect.poll(() => roster(alice, callId)['sip:bob@contoso.test']).toBe('muted/on')
      await expect.poll(() => roster(carol, carolCall.id)['sip:bob@contoso.test']).toBe('muted/on')
      expect(bob.engine.get(calleeCallId)?.audioMuted).toBe(true)
      // Bob's client still sends (a werift peer ignores mute): the unit drops it, so Carol hears nothing from him
      await new Promise((r) => setTimeout(r, 300))
      const heard = peers.carol.count('bob', 'audio')
      const fromAlice = peers.carol.count('alice', 'audio')
      await new Promise((r) => setTimeout(r, 500))
      expect(peers.carol.count('bob', 'audio')).toBe(heard)
      expect(peers.carol.count('alice', 'audio')).toBeGreaterThan(fromAlice + 5) // only Bob is dropped

      await bob.engine.setMuted(calleeCallId, { audio: false })
      await expect.poll(() => roster(carol, carolCall.id)['sip:bob@contoso.test']).toBe('on/on')
      await expect.poll(() => peers.carol.count('bob', 'audio'), { timeout: 5_000 }).toBeGreaterThan(heard + 10)
    }, 40_000)

    it('a failed escalation leaves the P2P call connected, with a notice', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const { callId } = await connectedCall(alice, bob, 'bob@contoso.test')
      sim.control.fault({ kind: 'fail', resource: 'escalateAudioVideo', status: 500, subcode: 'CallbackChannelError' })
      await alice.engine.addParticipant(callId, 'carol@contoso.test')
      // the POST to escalateAudioVideo failed: back on the P2P call, told why
      await expect.poll(() => alice.engine.get(callId)?.notice).toBe('The server could not reach the other side right now. Try again in a moment.')
      expect(alice.engine.get(callId)?.state).toBe('connected')
      expect(alice.media.peers.get(callId)?.p2p).toBeDefined()
      expect(alice.media.peers.get(callId)?.conference).toBeUndefined()
    })
  })

  describe('a flood of invitations', () => {
    it(`more calls ringing at once than ${MAX_RINGING} are declined before any media is made for them; the callers hear Declined`, async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const early: string[] = [] // a provisional answer is where a ringing call's peer connection begins
      bob.media.createProvisionalAnswer = async (callId) => {
        early.push(callId)
        throw new Error('not needed here')
      }
      const calls = await Promise.all(Array.from({ length: MAX_RINGING + 6 }, () => alice.engine.start('bob@contoso.test')))
      const ended = () => calls.filter((c) => alice.last((s) => s.id === c.id)?.state === 'ended')
      await expect.poll(() => ended().length, { timeout: 20_000 }).toBe(6)
      for (const c of ended()) expect(alice.last((s) => s.id === c.id)?.endReason).toMatchObject({ subcode: 'Declined' })
      expect(bob.engine.list().filter((c) => c.state === 'ringing')).toHaveLength(MAX_RINGING)
      expect(early).toHaveLength(MAX_RINGING)
      // the ones ringing are real calls: one is answered as usual
      await bob.engine.accept(bob.engine.list()[0]!.id)
      await expect.poll(() => calls.filter((c) => alice.engine.get(c.id)?.state === 'connected').length, { timeout: 10_000 }).toBe(1)
    }, 40_000)
  })

  describe('mid-call changes', () => {
    it('hold and resume go to the other side as renegotiations; not possible before the call is connected', async () => {
      sim = await startSimulator({ events })
      const alice = await user('alice')
      const bob = await user('bob')
      const call = await alice.engine.start('bob@contoso.test')
      await expect(alice.engine.change(call.id, 'hold')).rejects.toMatchObject({ code: 'Conflict' })
      await expect.poll(() => ringing(bob)).toBeTruthy()
      const bobCall = ringing(bob)!
      await bob.engine.accept(bobCall.id)
      await expect.poll(() => alice.engine.get(call.id)?.state).toBe('connected')
      await alice.engine.change(call.id, 'hold')
      await expect.poll(() => alice.engine.get(call.id)?.held).toBe(true)
      await expect.poll(() => bob.engine.get(bobCall.id)?.remoteHeld).toBe(true)
      expect(alice.media.changes).toEqual([`${call.id}:hold`, `${call.id}:reanswer`])
      expect(bob.media.changes).toEqual([`${bobCall.id}:answer:held`])
      await alice.engine.change(call.id, 'resume')
      await expect.poll(() => bob.engine.get(bobCall.id)?.remoteHeld).toBe(false)
      // Alice hears of it through her own event (read separately when link-only): wait for it, not for Bob
      await expect.poll(() => alice.engine.get(call.id)?.held).toBe(false)
      await alice.engine.change(call.id, 'video-off')
      await expect.poll(() => alice.engine.get(call.id)?.sendingVideo).toBe(false)

      // Bob's side cannot take the next change: it dismisses it, Alice hears why at once and keeps the call as it was
      bob.media.answerReoffer = async () => {
        throw new Error('no camera for that')
      }
      await alice.engine.change(call.id, 'video-on')
      await expect.poll(() => alice.engine.get(call.id)?.notice).toBe('Bob Brennan could not take that change. The call goes on as it was.')
      expect(alice.engine.get(call.id)).toMatchObject({ state: 'connected', sendingVideo: false })
      expect(bob.engine.get(bobCall.id)?.state).toBe('connected')
    })
  })
})
