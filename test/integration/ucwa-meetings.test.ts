// The client's meeting pieces against the simulator: Meet now (meetings.ts), the join URL rule matching what the pool
// publishes (meeting-url.ts), and a guest's way in as the product takes it: the core's meetings.joinAsGuest (the session
// signed in with the anonmeeting grant, main/core/meeting-requests.ts), then the join with the name the others see.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import { meetingAddressFromUrl } from '../../main/ucwa/meeting-url'
import { createMeeting } from '../../main/ucwa/meetings'
import { joinOnlineMeeting, MeetingJoin } from '../../main/ucwa/meeting-join'
import type { UcwaEvent } from '../../main/ucwa/events'
import { embedded, link, prop } from '../../main/ucwa/resource'
import type { MeetingSnapshot } from '../../preload/contract'
import type { ApiErrorShape } from '../../preload/errors'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'

let sim: Simulator
const clients: UcwaClient[] = []
const cores: Core[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await Promise.all(cores.splice(0).map((c) => c.close().catch(() => {})))
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

/** a memory store that tells what it was asked to keep */
class RecordingStore extends MemoryTokenStore {
  readonly kept: string[] = []
  override async set(account: string, token: Parameters<MemoryTokenStore['set']>[1]): Promise<void> {
    this.kept.push(account)
    await super.set(account, token)
  }
}

interface Guest {
  core: Core
  tokens: RecordingStore
  /** every snapshot of each meeting the core announced (meetings.changed), oldest first */
  meetings: Map<string, MeetingSnapshot[]>
  /** meetings.joinAsGuest as the page sends it: the answer, or the error the page shows */
  join: (url: string, name: string) => Promise<{ ok: true; value: MeetingSnapshot } | { ok: false; error: ApiErrorShape }>
}

/** Someone without an account, in the product's core (as the sign-in page's guest form drives it). */
async function guest(): Promise<Guest> {
  const tokens = new RecordingStore()
  const core = await testCore({ discoveryUrl: sim.url, tokenStore: tokens, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  cores.push(core)
  const meetings = new Map<string, MeetingSnapshot[]>()
  core.events.subscribe((name, payload) => {
    const m = payload as MeetingSnapshot
    if (name === 'meetings.changed') meetings.set(m.id, [...(meetings.get(m.id) ?? []), m])
  })
  const join = (url: string, name: string) => core.dispatch('meetings.joinAsGuest', { url, name }) as ReturnType<Guest['join']>
  return { core, tokens, meetings, join }
}

const guestApps = () => sim.control.applications().filter((a) => a.user.startsWith('guest-'))
const bearers = () => new Set(sim.control.secretsSeen().flatMap((s) => (s.authorization ? [s.authorization] : [])))

describe.each(['json', 'xml'] as const)('Meet now (%s)', (format) => {
  it('creates an ad hoc meeting whose join link maps, by the URL rule, to the conference URI the pool gave', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass', format)
    const m = await createMeeting(alice.http, alice.app!)
    expect(m.joinUrl).toMatch(/^https:\/\/meet\.contoso\.test\/alice\/[A-Z0-9]{8}$/)
    expect(m.onlineMeetingUri).toBe(`sip:alice@contoso.test;gruu;opaque=app:conf:focus:id:${m.onlineMeetingId}`)
    expect(meetingAddressFromUrl(m.joinUrl).onlineMeetingUri).toBe(m.onlineMeetingUri)
    expect(m.subject).toBe('')
    expect(await createMeeting(alice.http, alice.app!, { subject: 'Plan' })).toMatchObject({ subject: 'Plan' })
  })
})

describe('a guest signs in for one meeting (meetings.joinAsGuest)', () => {
  it('from the join link and a name: an anonymous application on the organizer’s pool, joined with the name; the token stays there and is kept nowhere', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const m = await createMeeting(alice.http, alice.app!)
    const seen: UcwaEvent[] = []
    alice.on('events', (events) => void seen.push(...events))
    const aliceJoin = new MeetingJoin(await joinOnlineMeeting(alice.http, alice.app!, { onlineMeetingUri: m.onlineMeetingUri, operationId: 'join-a' }))
    await expect.poll(() => (seen.forEach((e) => aliceJoin.apply(e)), aliceJoin.state)).toBe('in')
    const before = bearers()

    const g = await guest()
    const joined = await g.join(`${m.joinUrl.toUpperCase().replace('HTTPS', 'https')}/?sl=1`, '  Gina Guest ')
    expect(joined.ok).toBe(true)
    const meeting = (joined as { value: MeetingSnapshot }).value
    expect(meeting).toMatchObject({ guest: true })
    expect(meeting.onlineMeetingUri.toLowerCase()).toBe(m.onlineMeetingUri.toLowerCase())
    expect(g.core.client.poolOrigin).toBe(sim.pools[0]!.origin)
    expect(Object.keys(embedded(g.core.client.app ?? undefined, 'me')!.props)).toEqual(['uri'])
    expect(guestApps()).toHaveLength(1)
    // the others see the name as typed, trimmed (joinOnlineMeeting's anonymousDisplayName)
    await expect.poll(() => prop(seen.find((e) => e.link.rel === 'participant' && link(e.embedded, 'admit'))?.embedded, 'name')).toBe('Gina Guest')
    // the guest's token went to the pool that issued it and nowhere else, and no store kept it
    const sent = sim.control.secretsSeen().filter((s) => s.authorization?.startsWith('Bearer ') && !before.has(s.authorization))
    expect(sent.length).toBeGreaterThan(0)
    expect(new Set(sent.map((s) => s.pool))).toEqual(new Set(['pool1']))
    expect(g.tokens.kept).toEqual([])

    // nothing of the directory, and no meetings of its own
    const app = g.core.client.app!
    expect(await refusal(g.core.client.http.get(`${app.href}/people/search`, { query: { query: 'bob' } }))).toMatchObject({ status: 403, code: 'Forbidden', subcode: 'AnonymousNotAllowed' })
    expect(await g.core.dispatch('meetings.meetNow', undefined)).toMatchObject({ ok: false, error: { code: 'Forbidden', subcode: 'AnonymousNotAllowed' } })
  })

  it('a meeting organized on the second pool: the guest follows the redirect and is granted there', async () => {
    sim = await startSimulator()
    const dave = await organizer('dave@contoso.test', 'dave-pass')
    const m = await createMeeting(dave.http, dave.app!)
    const g = await guest()
    expect(await g.join(m.joinUrl, 'Gus')).toMatchObject({ ok: true, value: { guest: true } })
    expect(g.core.client.poolOrigin).toBe(sim.pools.find((p) => p.id === 'pool2')!.origin)
    expect(prop(embedded(g.core.client.app ?? undefined, 'me'), 'uri')).toMatch(/^sip:guest-/)
  })

  it('when the URL rule’s guess names no meeting the pool knows, the pool refuses the grant: MeetingNotFound, no application, signed out', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const m = await createMeeting(alice.http, alice.app!)
    const g = await guest()
    for (const url of [m.joinUrl.replace(/\/[A-Z0-9]+$/, '/ZZZZ9999'), m.joinUrl.replace('/alice/', '/bob/')]) {
      const e = await g.join(url, 'Gina')
      expect(e, url).toMatchObject({ ok: false, error: { status: 400, code: 'InvalidGrant', subcode: 'MeetingNotFound' } })
      expect(!e.ok && e.error.message).toContain('does not know this meeting')
      expect(g.core.client.state).toBe('signed-out')
    }
    await alice.http.delete(m.href) // the organizer deleted it (myOnlineMeeting_ref.md DELETE)
    expect(await g.join(m.joinUrl, 'Gina')).toMatchObject({ ok: false, error: { subcode: 'MeetingNotFound' } })
    expect(guestApps()).toEqual([])
  })

  it('a bad link, an empty name or one too long is refused before anything is sent', async () => {
    sim = await startSimulator()
    const g = await guest()
    expect(await g.join('https://dialin.contoso.test/', 'G')).toMatchObject({ ok: false, error: { subcode: 'InvalidMeetingUrl' } })
    for (const name of ['x'.repeat(251), '   ']) expect(await g.join('https://meet.contoso.test/alice/ABCD1234', name), name).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect(sim.control.secretsSeen()).toEqual([])
  })
})

describe('joining a meeting and its lobby', () => {
  it('the organizer is in; a guest (meetings.joinAsGuest) waits in the lobby and is admitted; another is rejected, told Denied and signed out', async () => {
    sim = await startSimulator()
    const alice = await organizer('alice@contoso.test', 'alice-pass')
    const seen: UcwaEvent[] = []
    alice.on('events', (events) => void seen.push(...events))
    const m = await createMeeting(alice.http, alice.app!, { subject: 'Review' })
    const aliceInv = await joinOnlineMeeting(alice.http, alice.app!, { onlineMeetingUri: m.onlineMeetingUri, operationId: 'join-a' })
    const aliceJoin = new MeetingJoin(aliceInv)
    await expect.poll(() => (seen.forEach((e) => aliceJoin.apply(e)), aliceJoin.state)).toBe('in')

    const gina = await guest()
    const ginaJoin = await gina.join(m.joinUrl, 'Gina Guest')
    if (!ginaJoin.ok) throw new Error(ginaJoin.error.message)
    const gm = () => gina.meetings.get(ginaJoin.value.id)?.at(-1)
    await expect.poll(() => gm()?.state, { timeout: 10_000 }).toBe('lobby')

    const waiting = () => seen.find((e) => e.link.rel === 'participant' && prop(e.embedded, 'name') === 'Gina Guest' && link(e.embedded, 'admit'))
    await expect.poll(() => waiting()).toBeTruthy()
    await alice.http.post(link(waiting()!.embedded, 'admit')!)
    await expect.poll(() => gm()?.state, { timeout: 10_000 }).toBe('in')

    const rex = await guest()
    const rexJoin = await rex.join(m.joinUrl, 'Rex')
    if (!rexJoin.ok) throw new Error(rexJoin.error.message)
    const rm = () => rex.meetings.get(rexJoin.value.id)?.at(-1)
    await expect.poll(() => rm()?.state, { timeout: 10_000 }).toBe('lobby')
    const rexWaiting = () => seen.find((e) => e.link.rel === 'participant' && prop(e.embedded, 'name') === 'Rex' && link(e.embedded, 'reject'))
    await expect.poll(() => rexWaiting()).toBeTruthy()
    await alice.http.post(link(rexWaiting()!.embedded, 'reject')!)
    const denied = () => rex.meetings.get(rexJoin.value.id)?.find((x) => x.state === 'denied')
    await expect.poll(() => denied(), { timeout: 10_000 }).toBeTruthy()
    expect(denied()?.endReason).toMatchObject({ subcode: 'Denied', message: 'A leader of the meeting did not let you in.' })
    // a guest's session is for one meeting: it ends with it
    await expect.poll(() => rex.core.client.state, { timeout: 10_000 }).toBe('signed-out')
    expect(rm()?.state).toBe('left')
    expect(gina.core.client.state).not.toBe('signed-out')
  })

  it('a signed-in user joining what the URL rule guessed wrong: the pool answers 404 DestinationNotFound', async () => {
    sim = await startSimulator()
    const bob = await organizer('bob@contoso.test', 'bob-pass')
    const guessed = meetingAddressFromUrl('https://meet.contoso.test/alice/NOSUCH01')
    const e = await refusal(joinOnlineMeeting(bob.http, bob.app!, { onlineMeetingUri: guessed.onlineMeetingUri, operationId: 'j' }))
    expect(e).toMatchObject({ status: 404, code: 'NotFound', subcode: 'DestinationNotFound' })
  })
})
