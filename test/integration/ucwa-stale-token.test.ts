// A refused token mid-session (AuthenticationInUCWA.md, RootURL.md): 401 gets a new token, 403 InvalidToken runs
// autodiscovery again, nothing to renew with ends the session typed, and a renewed token refused again ends it too:
// never a request loop. Counted on the pool's own record of what it answered.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine, type CallSnapshot } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import type { Simulator } from '../simulator/index'
import { latestApp, useSessionTest } from '../support/session-test'
import { WeriftMedia } from '../support/werift-media'

const { cleanup, start } = useSessionTest()
let sim: Simulator

async function signedIn(name: string, remember: boolean) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 40 } } })
  const media = new WeriftMedia(name)
  const engine = new CallEngine(client, media)
  const calls: CallSnapshot[] = []
  engine.onChange((s) => calls.push(s))
  const seen: string[] = []
  client.on('events', (events) => void seen.push(...events.map((e) => e.link.href)))
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  const sip = `${name}@contoso.test`
  const app = () => latestApp(sim, sip)
  await expect.poll(() => app().channel.parked).toBe(true)
  return { client, engine, calls, seen, app, sip }
}

type User = Awaited<ReturnType<typeof signedIn>>

/** events only the test makes: a note on me, as in ucwa-event-channel.test.ts */
function note(u: User, n: number): string {
  const href = `${u.app().href('/me/note')}?n=${n}`
  u.app().emit({ rel: 'me', href: u.app().href('/me') }, { type: 'updated', link: { rel: 'note', href } })
  return href
}

/** requests the pools answered so far, by resource and status */
const count = (resource: string, status?: number) => sim.control.requests().filter((r) => r.resource === resource && (status === undefined || r.status === status)).length
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a stale token is a stale session', () => {
  it('403 InvalidToken mid-session: autodiscovery again, a new token, the channel resumes and a call still works', async () => {
    sim = await start()
    const alice = await signedIn('alice', true)
    const bob = await signedIn('bob', false)
    const [roots, grants] = [count('root'), count('oauthtoken')]
    sim.control.expireTokens(alice.sip, { as: 403 })
    const first = note(alice, 1) // answers the parked P-GET; the next one carries the taken-back token
    await expect.poll(() => count('events', 403), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => count('root'), { timeout: 10_000 }).toBe(roots + 1)
    await expect.poll(() => count('oauthtoken'), { timeout: 10_000 }).toBe(grants + 1) // discovery goes on after the root
    await expect.poll(() => alice.app().channel.parked, { timeout: 10_000 }).toBe(true)
    const second = note(alice, 2)
    await expect.poll(() => alice.seen.filter((h) => h === first || h === second).length, { timeout: 10_000 }).toBe(2)
    expect(alice.client.state).toBe('signed-in')
    // a call still works after
    const out = await alice.engine.start(bob.sip)
    await expect.poll(() => bob.calls.find((c) => c.state === 'ringing')).toBeTruthy()
    await bob.engine.accept(bob.calls.find((c) => c.state === 'ringing')!.id)
    await expect.poll(() => alice.engine.get(out.id)?.state, { timeout: 10_000 }).toBe('connected')
    expect(count('events', 403)).toBe(1)
  })

  it('403 InvalidToken on a command: renewed once through autodiscovery and the command answered', async () => {
    sim = await start()
    const alice = await signedIn('alice', true)
    const roots = count('root')
    sim.control.expireTokens(alice.sip, { as: 403 })
    expect((await alice.client.search('bob')).map((c) => c.name)).toEqual(['Bob Brennan'])
    expect(count('search', 403)).toBe(1)
    expect(count('search', 200)).toBe(1)
    expect(count('root')).toBe(roots + 1)
  })

  it('401 with a remembered password: a new token from the challenge (no autodiscovery), the channel resumes', async () => {
    sim = await start()
    const alice = await signedIn('alice', true)
    const [roots, grants] = [count('root'), count('oauthtoken')]
    sim.control.expireTokens(alice.sip)
    const first = note(alice, 1)
    await expect.poll(() => count('events', 401), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => count('oauthtoken'), { timeout: 10_000 }).toBe(grants + 1)
    await expect.poll(() => alice.app().channel.parked, { timeout: 10_000 }).toBe(true)
    const second = note(alice, 2)
    await expect.poll(() => alice.seen.filter((h) => h === first || h === second).length, { timeout: 10_000 }).toBe(2)
    expect(count('root')).toBe(roots)
    expect(alice.client.state).toBe('signed-in')
  })

  it.each([401, 403] as const)('%i with no remembered password: the session ends with a typed error and asks nothing more', async (as) => {
    sim = await start()
    const alice = await signedIn('alice', false)
    sim.control.expireTokens(alice.sip, { as })
    note(alice, 1)
    await expect.poll(() => alice.client.state, { timeout: 10_000 }).toBe('signed-out')
    expect(alice.client.lastError).toMatchObject({ status: as, code: 'Unauthorized', subcode: 'SignInRequired' })
    const asked = sim.control.requests().length
    await settle(300)
    expect(sim.control.requests().length).toBe(asked)
    expect(count('events', as)).toBe(1)
  })

  it('a command refused with no remembered password ends the session too, typed', async () => {
    sim = await start()
    const alice = await signedIn('alice', false)
    sim.control.expireTokens(alice.sip, { as: 403 })
    await expect(alice.client.search('bob')).rejects.toMatchObject({ status: 403 })
    expect(alice.client.state).toBe('signed-out')
    expect(alice.client.lastError).toMatchObject({ code: 'Unauthorized', subcode: 'SignInRequired' })
    expect(count('search')).toBe(1)
  })

  it('the channel: a renewed token refused again ends the session (TokenRefused), no loop', async () => {
    sim = await start()
    const alice = await signedIn('alice', true)
    const roots = count('root')
    sim.control.refuseTokens(alice.sip, { as: 403 })
    note(alice, 1)
    await expect.poll(() => alice.client.state, { timeout: 10_000 }).toBe('signed-out')
    expect(alice.client.lastError).toMatchObject({ status: 403, code: 'Unauthorized', subcode: 'TokenRefused' })
    expect(count('events', 403)).toBe(2) // the first refusal, and the renewed token's
    expect(count('root')).toBe(roots + 1) // one renewal
    const asked = sim.control.requests().length
    await settle(300)
    expect(sim.control.requests().length).toBe(asked)
  })

  it('a command: a renewed token refused again fails it and ends the session, one renewal', async () => {
    sim = await start()
    const alice = await signedIn('alice', true)
    const grants = count('oauthtoken')
    sim.control.refuseTokens(alice.sip, { as: 401 })
    await expect(alice.client.search('bob')).rejects.toMatchObject({ status: 401, code: 'Unauthorized' })
    expect(alice.client.state).toBe('signed-out')
    expect(alice.client.lastError).toMatchObject({ status: 401, code: 'Unauthorized', subcode: 'TokenRefused' })
    expect(count('search', 401)).toBe(2)
    expect(count('oauthtoken')).toBe(grants + 1)
  })
})
