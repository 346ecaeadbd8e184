// The core as the renderer drives it (contract requests and events) against the simulator.
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import type { CallSnapshot } from '../../preload/contract'
import { ManualClock, startSimulator, type Simulator } from '../simulator/index'
import { weriftRenderer } from '../support/werift-renderer'

let sim: Simulator
const cores: Core[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()))
  await sim?.close()
})

async function core(logs: string[] = []) {
  const c = await createCore({ host: 'browser', version: '1.2.3', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000, log: (m, e) => logs.push(`${m} ${String(e)}`), ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  cores.push(c)
  const seen: Array<[string, unknown]> = []
  c.events.subscribe((name, payload) => seen.push([name, payload]))
  return { c, seen }
}

const ok = async (p: Promise<unknown>) => {
  const r = (await p) as { ok: boolean; value?: unknown; error?: unknown }
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value
}

// every suite twice: events with their resources embedded, and link-only as real pools mostly send them
describe.each(['embedded', 'link-only'] as const)('%s events', (events) => {
  describe('core over the contract', () => {
    it('sign-in, a call answered on the other side with media, hang-up — and no token anywhere the renderer or logs can see', async () => {
      sim = await startSimulator({ events })
      const logs: string[] = []
      const alice = await core(logs)
      const bob = await core(logs)
      const aliceMedia = weriftRenderer(alice.c, 'alice')
      const bobMedia = weriftRenderer(bob.c, 'bob')
      const signedIn = await ok(alice.c.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }))
      expect(signedIn).toMatchObject({ state: 'signed-in', user: { name: 'Alice Ahlberg' }, error: null })
      await ok(bob.c.dispatch('session.signIn', { sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url }))
      expect(alice.seen.filter(([n]) => n === 'session.changed').map(([, p]) => (p as { state: string }).state)).toEqual(['discovering', 'authenticating', 'creating-application', 'signed-in'])

      const contacts = (await ok(alice.c.dispatch('people.contacts', undefined))) as Array<{ name: string; availability: string }>
      expect(contacts.find((c) => c.name === 'Bob Brennan')?.availability).toBe('Online')
      // photos reach the page as data: URLs fetched by the core (mine, a contact's); someone never shown: none
      const photo = (uri: string) => ok(alice.c.dispatch('people.photo', { uri })) as Promise<string | null>
      const bobPhoto = await photo('sip:bob@contoso.test')
      expect(bobPhoto).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
      expect(await photo('sip:alice@contoso.test')).toMatch(/^data:image\/png;base64,/)
      expect(await photo('sip:alice@contoso.test')).not.toBe(bobPhoto)
      expect(await photo('sip:nobody@elsewhere.test')).toBeNull()

      const call = (await ok(alice.c.dispatch('calls.start', { to: 'bob@contoso.test', subject: 'Hi' }))) as CallSnapshot
      const ringing = () => bob.seen.map(([, p]) => p as CallSnapshot).find((p) => p?.state === 'ringing')
      await expect.poll(ringing).toBeTruthy()
      await ok(bob.c.dispatch('calls.accept', { callId: ringing()!.id }))
      await expect.poll(async () => ((await ok(alice.c.dispatch('calls.list', undefined))) as CallSnapshot[])[0]?.state).toBe('connected')
      const a = aliceMedia.current(call.id)!
      const b = bobMedia.current(ringing()!.id)!
      await Promise.all([a.connected(), b.connected()])
      b.startSending()
      await expect.poll(() => a.count('bob', 'audio')).toBeGreaterThan(5)
      await ok(alice.c.dispatch('calls.hangUp', { callId: call.id }))
      await expect.poll(() => bob.seen.some(([, p]) => (p as CallSnapshot)?.state === 'ended')).toBe(true)

      const tokens = [...sim.control.world.tokens.issuedTo('alice@contoso.test'), ...sim.control.world.tokens.issuedTo('bob@contoso.test')].map((t) => t.slice(4))
      expect(tokens.length).toBeGreaterThanOrEqual(2)
      const visible = JSON.stringify([alice.seen, bob.seen, logs, await alice.c.dispatch('session.get', undefined), await alice.c.dispatch('app.getInfo', undefined)])
      for (const t of tokens) expect(visible).not.toContain(t)
    }, 30_000)

    it('rejects bad call requests with typed errors and an illegal move with IllegalTransition', async () => {
      sim = await startSimulator({ events })
      const { c } = await core()
      expect(await c.dispatch('calls.start', { to: 'not an address' })).toMatchObject({ ok: false, error: { kind: 'validation', issues: [{ path: 'to' }] } })
      expect(await c.dispatch('session.signIn', { sipAddress: 'a@b.c', password: '', remember: false })).toMatchObject({ ok: false, error: { kind: 'validation', issues: [{ path: 'password', message: 'Enter your password' }] } })
      expect(await c.dispatch('calls.hangUp', { callId: 'nope' })).toMatchObject({ ok: false, error: { kind: 'ucwa', code: 'NotFound', message: 'That call has ended.' } })
      await ok(c.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }))
      expect(await c.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })).toMatchObject({ ok: false, error: { code: 'IllegalTransition' } })
      expect(await c.dispatch('session.signIn', { sipAddress: 'carol@contoso.test', password: 'wrong', remember: false, discoveryUrl: sim.url })).toMatchObject({ ok: false })
      expect(await c.dispatch('media.respond', { requestId: 'x', sdp: 'v=0\r\n' })).toMatchObject({ ok: false, error: { kind: 'ucwa', code: 'NotFound' } })
      expect(await c.dispatch('media.respond', { requestId: 'x', sdp: 'hello' })).toMatchObject({ ok: false, error: { kind: 'validation' } })
    })

    it('a wrong password comes back as the pool’s typed error with its message', async () => {
      sim = await startSimulator({ events })
      const { c } = await core()
      expect(await c.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'nope', remember: false, discoveryUrl: sim.url })).toEqual({
        ok: false,
        error: { kind: 'ucwa', code: 'InvalidGrant', status: 400, message: 'The sign-in address or password is not right.' },
      })
    })

    it('contacts’ presence arrives by subscription, not polling, and again after the application was recreated', async () => {
      const clock = new ManualClock()
      sim = await startSimulator({ events, clock })
      const alice = await core()
      const bob = await core()
      const signIn = (c: Core, who: string) => ok(c.dispatch('session.signIn', { sipAddress: `${who}@contoso.test`, password: `${who}-pass`, remember: false, discoveryUrl: sim.url }))
      await signIn(alice.c, 'alice')
      const contacts = (await ok(alice.c.dispatch('people.contacts', undefined))) as Array<{ uri: string; availability: string }>
      expect(contacts.find((c) => c.uri === 'sip:bob@contoso.test')?.availability).toBe('Offline')
      const heard = () => alice.seen.filter(([n, p]) => n === 'people.presence' && (p as { uri: string }).uri === 'sip:bob@contoso.test').map(([, p]) => (p as { availability: string }).availability)
      // contactPresence is a medium-priority event: the pool aggregates it up to 5 s (the simulator's clock moves it on)
      const waitFor = async (availability: string) => {
        await expect
          .poll(() => {
            clock.advance(5_000)
            return heard().at(-1)
          })
          .toBe(availability)
      }
      await signIn(bob.c, 'bob')
      await waitFor('Online')
      await ok(bob.c.dispatch('presence.set', { availability: 'DoNotDisturb' }))
      await waitFor('DoNotDisturb')
      // Bob's own windows (the page, the tray) hear his new presence
      expect(bob.seen.filter(([n]) => n === 'presence.changed')).toEqual([['presence.changed', { availability: 'DoNotDisturb' }]])

      // 40 minutes on: the pool warned before the 30-minute subscription ran out, the client extended it
      for (let minute = 0; minute < 40; minute++) {
        clock.advance(60_000)
        await new Promise((r) => setTimeout(r, 15)) // the parked P-GETs come back and are made again
      }
      await ok(bob.c.dispatch('presence.set', { availability: 'Busy' }))
      await waitFor('Busy')

      // Alice's application expires (laptop asleep): her client recreates it; the list is loaded again and watched again
      sim.control.expireApplication('alice@contoso.test')
      await expect.poll(() => alice.seen.filter(([n, p]) => n === 'session.changed' && (p as { state: string }).state === 'reconnecting').length, { timeout: 10_000 }).toBeGreaterThan(0)
      await expect.poll(async () => ((await ok(alice.c.dispatch('session.get', undefined))) as { state: string }).state, { timeout: 10_000 }).toBe('signed-in')
      await ok(alice.c.dispatch('people.contacts', undefined))
      await ok(bob.c.dispatch('presence.set', { availability: 'BeRightBack' })) // a choice inactivity does not override
      await waitFor('BeRightBack')
    })
  })
})
