// The client's meeting pieces against the simulator: Meet now and the organizer's meetings (meetings.ts), the join
// URL rule matching what the pool publishes (meeting-url.ts), and a guest's sign-in for one meeting (anonymous.ts).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { signInAsGuest } from '../../main/ucwa/anonymous'
import { UcwaClient } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import { meetingAddressFromUrl } from '../../main/ucwa/meeting-url'
import { createMeeting, deleteMeeting, listMeetings, updateMeeting } from '../../main/ucwa/meetings'
import { joinOnlineMeeting, MeetingJoin, type MeetingJoinState } from '../../main/ucwa/meeting-join'
import type { UcwaEvent } from '../../main/ucwa/events'
import type { GuestApplication } from '../../main/ucwa/anonymous'
import { embedded, link, prop } from '../../main/ucwa/resource'
import { startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

async function organizer(sip: string, password: string, format: 'json' | 'xml' = 'json'): Promise<UcwaClient> {
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 50 } } })
  clients.push(c)
  await c.signIn({ sipAddress: sip, password, remember: false, discoveryUrl: sim.url })
  return c
}

async function refusal(p: Promise<unknown>): Promise<UcwaError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(UcwaError)
  return e as UcwaError
}

describe.each(['json', 'xml'] as const)('Meet now and my meetings (%s)', (format) => {
  it('creates an ad hoc meeting whose join link maps, by the URL rule, to the conference URI the pool gave', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass', format)
    const m = await createMeeting(alice.http, alice.app!)
    expect(m.joinUrl).toMatch(/^https:\/\/meet\.contoso\.test\/alice\/[A-Z0-9]{8}$/)
    expect(m.onlineMeetingUri).toBe(`sip:alice@contoso.test;gruu;opaque=app:conf:focus:id:${m.onlineMeetingId}`)
    expect(meetingAddressFromUrl(m.joinUrl).onlineMeetingUri).toBe(m.onlineMeetingUri)
    expect(m.leaders).toEqual(['sip:alice@contoso.test'])
    expect(m.expiresAt! - Date.now()).toBeGreaterThan(7.9 * 3600_000)

    const scheduled = await createMeeting(alice.http, alice.app!, { subject: 'Plan', accessLevel: 'Invited', attendees: ['sip:bob@contoso.test'], expiresAt: Date.now() + 86_400_000 })
    expect(scheduled).toMatchObject({ subject: 'Plan', accessLevel: 'Invited', attendees: ['sip:bob@contoso.test'] })
    expect((await listMeetings(alice.http, alice.app!)).map((x) => x.onlineMeetingId).sort()).toEqual([m.onlineMeetingId, scheduled.onlineMeetingId].sort())

    const open = await updateMeeting(alice.http, scheduled, { accessLevel: 'Everyone' })
    expect(open).toMatchObject({ accessLevel: 'Everyone', subject: 'Plan', onlineMeetingUri: scheduled.onlineMeetingUri })
    await deleteMeeting(alice.http, m)
    expect((await listMeetings(alice.http, alice.app!)).map((x) => x.onlineMeetingId)).toEqual([scheduled.onlineMeetingId])
    const gone = await refusal(alice.http.get(m.href))
    expect(gone).toMatchObject({ status: 404, code: 'NotFound' })
  })
})

describe('a guest signs in for one meeting', () => {
  it('from the join link and a name: an anonymous application on the organizer’s pool, the name kept for the join; the token stays there', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const m = await createMeeting(alice.http, alice.app!)
    const guest = await signInAsGuest({ meetingUrl: `${m.joinUrl.toUpperCase().replace('HTTPS', 'https')}/?sl=1`, displayName: '  Gina Guest ', discoveryUrl: sim.url })
    expect(guest.meeting.onlineMeetingUri.toLowerCase()).toBe(m.onlineMeetingUri.toLowerCase())
    expect(guest.poolOrigin).toBe(sim.pools[0]!.origin)
    expect(guest.displayName).toBe('Gina Guest')
    const me = embedded(guest.application, 'me')
    expect(Object.keys(me!.props)).toEqual(['uri'])
    const guests = sim.control.applications().filter((a) => a.user.startsWith('guest-'))
    expect(guests).toHaveLength(1)
    // the guest's token went to the pool that issued it and nowhere else
    const sent = sim.control.secretsSeen().filter((s) => s.authorization === `Bearer ${guest.token.accessToken}`)
    expect(sent.length).toBeGreaterThan(0)
    expect(new Set(sent.map((s) => s.pool))).toEqual(new Set(['pool1']))

    // nothing of the directory, and no meetings of its own
    const people = await refusal(guest.http.get(`${guest.application.href}/people/search`, { query: { query: 'bob' } }))
    expect(people).toMatchObject({ status: 403, code: 'Forbidden', subcode: 'AnonymousNotAllowed' })
    expect(await refusal(createMeeting(guest.http, guest.application))).toMatchObject({ code: 'Forbidden', subcode: 'AnonymousNotAllowed' })
  })

  it('a meeting organized on the second pool: the guest follows the redirect and is granted there', async () => {
    sim = await startSimulator()
    const dave = await organizer('dave@contoso.test', 'dave-pass')
    const m = await createMeeting(dave.http, dave.app!)
    const guest = await signInAsGuest({ meetingUrl: m.joinUrl, displayName: 'Gus', discoveryUrl: sim.url })
    expect(guest.poolOrigin).toBe(sim.pools.find((p) => p.id === 'pool2')!.origin)
    expect(prop(embedded(guest.application, 'me'), 'uri')).toMatch(/^sip:guest-/)
  })

  it('when the URL rule’s guess names no meeting the pool knows, the pool refuses the grant: MeetingNotFound, no application', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const m = await createMeeting(alice.http, alice.app!)
    for (const url of [m.joinUrl.replace(/\/[A-Z0-9]+$/, '/ZZZZ9999'), m.joinUrl.replace('/alice/', '/bob/')]) {
      const e = await refusal(signInAsGuest({ meetingUrl: url, displayName: 'Gina', discoveryUrl: sim.url }))
      expect(e, url).toMatchObject({ status: 400, code: 'InvalidGrant', subcode: 'MeetingNotFound' })
      expect(e.message).toContain('does not know this meeting')
    }
    await deleteMeeting(alice.http, m)
    expect(await refusal(signInAsGuest({ meetingUrl: m.joinUrl, displayName: 'Gina', discoveryUrl: sim.url }))).toMatchObject({ subcode: 'MeetingNotFound' })
    expect(sim.control.applications().filter((a) => a.user.startsWith('guest-'))).toEqual([])
  })

  it('a bad link or an empty name is refused before anything is sent', async () => {
    sim = await startSimulator()
    expect(await refusal(signInAsGuest({ meetingUrl: 'https://dialin.contoso.test/', displayName: 'G', discoveryUrl: sim.url }))).toMatchObject({ subcode: 'InvalidMeetingUrl' })
    expect(await refusal(signInAsGuest({ meetingUrl: 'https://meet.contoso.test/alice/ABCD1234', displayName: 'x'.repeat(251), discoveryUrl: sim.url }))).toMatchObject({
      subcode: 'ParameterValidationFailure',
    })
    expect(sim.control.secretsSeen()).toEqual([])
  })
})

/** The guest's own event channel, P-GET by P-GET (no engine yet), until the join reaches one of `states`. */
async function follow(guest: GuestApplication, join: MeetingJoin, states: MeetingJoinState[], from: { next: string }): Promise<void> {
  while (!states.includes(join.state)) {
    const page = guest.http.parseEvents(guest.http.check(await guest.http.send(from.next)))
    for (const e of page.events) join.apply(e)
    from.next = page.next ?? page.resume ?? page.resync ?? from.next
  }
}

describe('joining a meeting and its lobby, with the client pieces', () => {
  it('the organizer is in; a guest waits in the lobby and is admitted; another is rejected and told Denied', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const seen: UcwaEvent[] = []
    alice.on('events', (events) => void seen.push(...events))
    const m = await createMeeting(alice.http, alice.app!, { subject: 'Review' })
    const aliceInv = await joinOnlineMeeting(alice.http, alice.app!, { onlineMeetingUri: m.onlineMeetingUri, operationId: 'join-a' })
    const aliceJoin = new MeetingJoin(aliceInv)
    await expect.poll(() => (seen.forEach((e) => aliceJoin.apply(e)), aliceJoin.state)).toBe('in')

    const gina = await signInAsGuest({ meetingUrl: m.joinUrl, displayName: 'Gina Guest', discoveryUrl: sim.url })
    const ginaJoin = new MeetingJoin(await joinOnlineMeeting(gina.http, gina.application, { onlineMeetingUri: gina.meeting.onlineMeetingUri, anonymousDisplayName: gina.displayName, operationId: 'join-g' }))
    const ginaChannel = { next: link(gina.application, 'events')! }
    await follow(gina, ginaJoin, ['lobby', 'in', 'denied', 'failed', 'removed'], ginaChannel)
    expect(ginaJoin.state).toBe('lobby')

    const waiting = () => seen.find((e) => e.link.rel === 'participant' && prop(e.embedded, 'name') === 'Gina Guest' && link(e.embedded, 'admit'))
    await expect.poll(() => waiting()).toBeTruthy()
    await alice.http.post(link(waiting()!.embedded, 'admit')!)
    await follow(gina, ginaJoin, ['in', 'denied', 'failed', 'removed'], ginaChannel)
    expect(ginaJoin.state).toBe('in')

    const rex = await signInAsGuest({ meetingUrl: m.joinUrl, displayName: 'Rex', discoveryUrl: sim.url })
    const rexJoin = new MeetingJoin(await joinOnlineMeeting(rex.http, rex.application, { onlineMeetingUri: rex.meeting.onlineMeetingUri, anonymousDisplayName: 'Rex', operationId: 'join-r' }))
    const rexChannel = { next: link(rex.application, 'events')! }
    await follow(rex, rexJoin, ['lobby'], rexChannel)
    const rexWaiting = () => seen.find((e) => e.link.rel === 'participant' && prop(e.embedded, 'name') === 'Rex' && link(e.embedded, 'reject'))
    await expect.poll(() => rexWaiting()).toBeTruthy()
    await alice.http.post(link(rexWaiting()!.embedded, 'reject')!)
    await follow(rex, rexJoin, ['in', 'denied', 'failed', 'removed'], rexChannel)
    expect(rexJoin.state).toBe('denied')
    expect(rexJoin.reason).toMatchObject({ subcode: 'Denied' })
  })

  it('a signed-in user joining what the URL rule guessed wrong: the pool answers 404 DestinationNotFound', async () => {
    sim = await startSimulator()
    const bob = await organizer('bob@contoso.test', 'bob-pass')
    const guessed = meetingAddressFromUrl('https://meet.contoso.test/alice/NOSUCH01')
    const e = await refusal(joinOnlineMeeting(bob.http, bob.app!, { onlineMeetingUri: guessed.onlineMeetingUri, operationId: 'j' }))
    expect(e).toMatchObject({ status: 404, code: 'NotFound', subcode: 'DestinationNotFound' })
  })
})
