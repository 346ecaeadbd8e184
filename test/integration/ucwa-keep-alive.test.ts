// Keeping the application alive as the docs require: reportMyActivity while the person is active (others see
// Online, not Away), and a new token before expires_in runs out, again after each renewal.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore, tokenAccount } from '../../main/credentials/token-store'
import { UcwaClient, type ClientOptions } from '../../main/ucwa/client'
import { ManualClock, startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

function client(opts: Partial<ClientOptions> = {}) {
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } }, ...opts })
  clients.push(c)
  return c
}

const availabilityOf = (sip: string) => [...sim.control.world.apps.values()].find((a) => a.user.sip === sip)?.availability

describe('reportMyActivity', () => {
  it('while the person is active the pool keeps them Online; idle, the pool shows them Away', async () => {
    const clock = new ManualClock()
    sim = await startSimulator({ clock })
    const active = client({ activityIntervalMs: 50 })
    const idle = client({ activityIntervalMs: 50 })
    await active.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    await idle.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
    expect(availabilityOf('alice@contoso.test')).toBe('Online')
    for (let minute = 0; minute < 8; minute++) {
      active.userActive() // the person types, clicks, moves the mouse
      clock.advance(60_000)
      await new Promise((r) => setTimeout(r, 150)) // a few activity ticks
    }
    expect(availabilityOf('alice@contoso.test')).toBe('Online')
    expect(availabilityOf('bob@contoso.test')).toBe('Away')
  })
})

describe('token renewal', () => {
  it('a remembered session gets a new token before expiry, again and again, and stays usable past the first token’s life', async () => {
    sim = await startSimulator({ config: { tokenLifetimeSeconds: 2 } })
    const store = new MemoryTokenStore()
    const c = client({ tokenStore: store, renewBeforeMs: 1200 })
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: true, discoveryUrl: sim.url })
    const account = tokenAccount('alice@contoso.test', c.poolOrigin)
    const first = (await store.get(account))!.accessToken
    await new Promise((r) => setTimeout(r, 3500)) // the first token died at 2 s; renewals at ~0.8 s, ~1.6 s, ...
    const latest = (await store.get(account))!.accessToken
    expect(latest).not.toBe(first)
    expect(sim.control.world.tokens.issuedTo('alice@contoso.test').length).toBeGreaterThanOrEqual(3)
    expect((await c.search('bob')).map((x) => x.name)).toEqual(['Bob Brennan'])
    expect(c.state).toBe('signed-in')
  })

  it('without "keep me signed in" there is no stored password to renew with: the token is left to expire', async () => {
    sim = await startSimulator({ config: { tokenLifetimeSeconds: 2 } })
    const store = new MemoryTokenStore()
    const c = client({ tokenStore: store, renewBeforeMs: 1200 })
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    await new Promise((r) => setTimeout(r, 1500))
    expect(sim.control.world.tokens.issuedTo('alice@contoso.test')).toHaveLength(1)
  })
})
