// The escalation machine: every state it can be in, every way it is abandoned, one and the same rollback.
import { describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../../preload/contract'
import { CallEngine } from '../../../main/ucwa/calls'
import { Escalation, escalationTransitions, type AbandonCause, type EscalationState, type Rollback } from '../../../main/ucwa/call/escalation'
import { IllegalTransition } from '../../../main/ucwa/state-machine'
import { fakeSession, incomingStarted, sdp } from './fake-session'

const causes: AbandonCause[] = ['timeout', 'failed', 'post-error', 'canceled']

/** drives a fresh escalation into `state` */
function into(state: EscalationState, rollbacks: Rollback[]): Escalation {
  const e = new Escalation((r) => rollbacks.push(r))
  if (state === 'awaiting-link' || state === 'offering' || state === 'invited') e.request()
  if (state === 'offering' || state === 'invited') e.offer('op-1')
  if (state === 'invited') e.invited('/invitations/conf')
  if (state === 'joining') e.join('op-1', '/invitations/conf')
  expect(e.state).toBe(state)
  return e
}

describe('escalation machine', () => {
  it('moves only along its table: no offer before addParticipant asked, no second escalation while one runs', () => {
    const e = new Escalation(() => {})
    expect(() => e.offer('op')).toThrow(IllegalTransition)
    expect(() => e.invited('/x')).toThrow(IllegalTransition)
    e.request()
    expect(() => e.join('op', '/x')).toThrow(IllegalTransition)
    expect(e.state).toBe('awaiting-link')
    expect(Object.keys(escalationTransitions).sort()).toEqual(['awaiting-link', 'idle', 'invited', 'joining', 'offering'])
  })

  it('knows its own operationId and invitation only while it runs', () => {
    const e = into('invited', [])
    expect(e.owns('op-1')).toBe(true)
    expect(e.owns('/invitations/conf')).toBe(true)
    expect(e.owns('/invitations/other')).toBe(false)
    e.succeed()
    expect(e.state).toBe('idle')
    expect(e.owns('op-1')).toBe(false)
  })

  for (const state of ['awaiting-link', 'offering', 'invited', 'joining'] as const) {
    for (const cause of causes) {
      it(`abandoned while ${state} (${cause}): back to idle, one rollback saying what to undo`, () => {
        const rollbacks: Rollback[] = []
        const e = into(state, rollbacks)
        expect(e.abandon(cause)).toBe(true)
        expect(e.state).toBe('idle')
        expect(rollbacks).toEqual([
          {
            cause,
            from: state,
            operationId: state === 'awaiting-link' ? undefined : 'op-1',
            // a completed (failed) invitation has nothing left to cancel
            invitationHref: (state === 'invited' || state === 'joining') && cause !== 'failed' ? '/invitations/conf' : undefined,
            mediaStarted: state !== 'awaiting-link',
          },
        ])
        // abandoning again (a late timeout after the failure) does nothing
        expect(e.abandon('timeout')).toBe(false)
        expect(rollbacks).toHaveLength(1)
      })
    }
  }
})

describe('escalation rollback in the engine', () => {
  /** a ringing incoming call answered and connected, then moved into a conference by the other side (joining) */
  async function movedCall(cause: AbandonCause) {
    const s = fakeSession()
    const engine = new CallEngine(s.client, s.media, { log: () => {}, limits: { escalationMs: cause === 'timeout' ? 50 : 60_000 } })
    if (cause === 'post-error') s.media.createAnswer = async (_id, _offer, purpose) => (purpose === 'conference' ? Promise.reject(new Error('no camera')) : sdp)
    const seen: CallSnapshot[] = []
    engine.onChange((c) => seen.push(c))
    await s.events([incomingStarted()])
    const id = seen[0]!.id
    await engine.accept(id)
    await s.events([{ type: 'completed', status: 'Success', sender: { rel: 'communication', href: '/communication' }, link: { rel: 'audioVideoInvitation', href: '/invitations/1' } }])
    expect(engine.get(id)?.state).toBe('connected')
    const conf = incomingStarted(2)
    conf.embedded!.links.replacesAudioVideo = [{ rel: 'replacesAudioVideo', href: '/conversations/1/audioVideo' }]
    await s.events([conf])
    if (cause === 'post-error') return { engine, id, s } // already rolled back: its POST never went
    expect(engine.get(id)?.state).toBe('escalating')
    s.closed.length = 0
    const failure = { type: 'completed' as const, status: 'Failure' as const, sender: { rel: 'communication', href: '/communication' }, link: { rel: 'audioVideoInvitation', href: '/invitations/2' } }
    if (cause === 'failed') await s.events([{ ...failure, reason: { code: 'ServiceFailure', subcode: 'EscalationFailed' } }])
    if (cause === 'canceled') await s.events([{ ...failure, reason: { code: 'Informational', subcode: 'Canceled' } }])
    return { engine, id, s }
  }

  const notice: Record<AbandonCause, string> = {
    failed: 'The call could not be turned into a conference. Your call continues as it was.',
    canceled: 'The call could not be turned into a conference. Your call continues as it was.',
    'post-error': 'The call could not be turned into a conference. Your call continues as it was.',
    timeout: 'The conference did not start in time. Your call continues as it was.',
  }
  for (const cause of causes) {
    it(`being moved into a conference that fails (${cause}): the P2P call goes on, the conference connection is closed, the person is told`, async () => {
      const { engine, id, s } = await movedCall(cause)
      await expect.poll(() => engine.get(id)?.notice).toBe(notice[cause])
      expect(engine.get(id)).toMatchObject({ state: 'connected', conference: false })
      expect(s.closed.filter((w) => w === 'conference')).toHaveLength(1)
      expect(s.closed).not.toContain('p2p')
    })
  }
})
