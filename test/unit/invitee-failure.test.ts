// What the person reads when someone they invited did not join (main/ucwa/call/invitees.ts).
import { describe, expect, it } from 'vitest'
import { inviteeFailure } from '../../main/ucwa/call/invitees'

describe('inviteeFailure', () => {
  it('names the person and why: declined, no answer, unreachable, or a reason the pool gave', () => {
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'Declined' })).toBe('Carol Castillo declined the invitation.')
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'Timeout' })).toBe('Carol Castillo did not answer.')
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'Offline' })).toBe('Carol Castillo could not be reached.')
    // the conference refused our media: the person learns that, not only that Carol is missing
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'MediaEncryptionRequired' })).toBe('Carol Castillo could not be added to the call. The media could not be connected: the server requires encryption keys (SDES) that were not offered.')
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'SomethingNew' })).toBe('Carol Castillo could not be added to the call.')
    expect(inviteeFailure('Carol Castillo', { code: 'RemoteFailure', subcode: 'toString' })).toBe('Carol Castillo could not be added to the call.')
    expect(inviteeFailure('Carol Castillo', undefined)).toBe('Carol Castillo could not be added to the call.')
  })
})
