// The protocol layer logs every call state transition and every event it drops or fails on.
import { describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../../preload/contract'
import { CallEngine } from '../../../main/ucwa/calls'
import { fakeSession, incomingStarted } from './fake-session'

const completed = (href: string) => ({ type: 'completed' as const, status: 'Success' as const, sender: { rel: 'communication', href: '/communication' }, link: { rel: 'audioVideoInvitation', href } })

describe('call engine log', () => {
  function engine() {
    const s = fakeSession()
    const log: string[] = []
    const e = new CallEngine(s.client, s.media, { log: (m) => log.push(m) })
    const seen: CallSnapshot[] = []
    e.onChange((c) => seen.push(c))
    return { s, log, e, seen }
  }

  it('every transition, with the call id, from → to', async () => {
    const { s, log, e, seen } = engine()
    await s.events([incomingStarted()])
    const id = seen[0]!.id
    await e.accept(id)
    await s.events([completed('/invitations/1')])
    await e.hangUp(id)
    expect(log.filter((m) => m.startsWith(`call ${id}: `) && m.includes('→'))).toEqual([`call ${id}: ringing → answering`, `call ${id}: answering → connected`, `call ${id}: connected → ending`, `call ${id}: ending → ended`])
  })

  it('an event for no call of ours is logged as dropped, and the others are still handled', async () => {
    const { s, log, seen } = engine()
    await s.events([completed('/invitations/unknown'), incomingStarted()])
    expect(log).toContain('call event completed audioVideoInvitation dropped: no invitation of ours (/invitations/unknown)')
    expect(seen).toHaveLength(1)
  })

  it('an illegal transition inside an event handler is logged, the call stays as it was, and the next event is handled', async () => {
    const { s, log, e, seen } = engine()
    await s.events([incomingStarted(1)])
    const id = seen[0]!.id
    // "connected" while it still rings here (nobody accepted): not a move the call machine allows
    await s.events([completed('/invitations/1'), incomingStarted(2)])
    expect(log).toContain('call event completed audioVideoInvitation failed (/invitations/1): Error: call: cannot go from ringing to connected')
    expect(e.get(id)?.state).toBe('ringing')
    expect(e.list()).toHaveLength(2)
  })
})
