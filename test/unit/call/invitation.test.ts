// Incoming and outgoing invitations are distinct types: what makes sense for one cannot be done to the other.
import { describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../../preload/contract'
import { CallEngine } from '../../../main/ucwa/calls'
import { incomingInvitation, outgoingInvitation } from '../../../main/ucwa/call/invitation'
import { fakeSession, incomingStarted, resource, sdp } from './fake-session'

describe('typed invitations', () => {
  it('an incoming invitation carries the offer and the links to answer it; one without an offer is none', () => {
    const inv = incomingInvitation(incomingStarted().embedded!)
    expect(inv).toEqual({ direction: 'incoming', href: '/invitations/1', offer: sdp, accept: '/invitations/1/acceptWithAnswer', decline: '/invitations/1/decline', sendProvisionalAnswer: undefined })
    expect(incomingInvitation(resource('/invitations/9', { direction: 'Incoming' }, { acceptWithAnswer: '/a' }))).toBeNull()
    const out = outgoingInvitation()
    // @ts-expect-error an outgoing invitation has no decline link: it is cancelled
    expect(out.decline).toBeUndefined()
    // @ts-expect-error nor an offer to answer
    expect(out.offer).toBeUndefined()
  })

  it('decline and accept on a call I made are typed errors: nothing is posted, the call goes on ringing', async () => {
    const s = fakeSession()
    const engine = new CallEngine(s.client, s.media)
    const call = await engine.start('bob@contoso.test')
    expect(call.state).toBe('calling')
    await expect(engine.decline(call.id)).rejects.toMatchObject({ code: 'Conflict', subcode: 'NotIncoming' })
    await expect(engine.accept(call.id)).rejects.toMatchObject({ code: 'Conflict', subcode: 'NotIncoming' })
    expect(s.posts).toEqual(['/communication/startAudioVideo'])
    expect(engine.get(call.id)?.state).toBe('calling')
  })

  it('an incoming call is declined through its own decline link', async () => {
    const s = fakeSession()
    const engine = new CallEngine(s.client, s.media)
    const seen: CallSnapshot[] = []
    engine.onChange((c) => seen.push(c))
    await s.events([incomingStarted()])
    await engine.decline(seen[0]!.id)
    expect(s.posts).toEqual(['/invitations/1/decline'])
    expect(seen.at(-1)).toMatchObject({ state: 'ended', endReason: { subcode: 'Declined' } })
  })
})
