// The transport against the simulator: a 3xx is never a body; every body has a cap, enforced while it is read.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

async function signedIn(): Promise<UcwaClient> {
  sim = await startSimulator()
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
  clients.push(c)
  await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
  return c
}

const MiB = 1024 * 1024

describe('HTTP semantics', () => {
  it('a 302 from a resource is an UnexpectedRedirect error naming where it pointed, not an empty answer', async () => {
    const c = await signedIn()
    sim.control.rawAnswer({ resource: 'search', redirect: { status: 302, location: 'https://login.fabrikam.test/sso' } })
    const e = await c.search('bob').then(() => expect.fail('resolved'), (x: unknown) => x)
    expect(e).toMatchObject({ status: 302, code: 'BadResponse', subcode: 'UnexpectedRedirect', debugInfo: { host: '127.0.0.1', location: 'login.fabrikam.test' } })
    expect((e as Error).message).toBe('127.0.0.1 answered with a redirect to login.fabrikam.test (HTTP 302) where Parley expected an answer.')
    // and the next search, answered normally, works
    expect((await c.search('bob')).map((p) => p.name)).toEqual(['Bob Brennan'])
  })

  it('a resource body over 1 MiB is ResponseTooLarge, and the client stops reading as soon as the cap is passed', async () => {
    const c = await signedIn()
    const body = sim.control.rawAnswer({ resource: 'search', stream: { bytes: 32 * MiB, chunkBytes: 64 * 1024, everyMs: 10 } })
    const e = await c.search('bob').then(() => expect.fail('resolved'), (x: unknown) => x)
    expect(e).toMatchObject({ status: 0, code: 'BadResponse', subcode: 'ResponseTooLarge', debugInfo: { host: '127.0.0.1', maxBytes: String(MiB) } })
    await body.closed // the client hung up…
    expect(body.finished).toBe(false)
    expect(body.written).toBeLessThan(8 * MiB) // …long before the 32 MiB were sent (the cap is 1 MiB; what sat in socket buffers is counted too)
  })

  it('a body announced (Content-Length) over the cap is refused before it is read', async () => {
    const c = await signedIn()
    const body = sim.control.rawAnswer({ resource: 'search', stream: { bytes: 32 * MiB, chunkBytes: 64 * 1024, everyMs: 10, announce: true } })
    await expect(c.search('bob')).rejects.toMatchObject({ code: 'BadResponse', subcode: 'ResponseTooLarge', debugInfo: { announcedBytes: String(32 * MiB + 42) } })
    await body.closed
    expect(body.written).toBeLessThan(MiB) // hung up before even the cap's worth arrived
  })

  it('a photo over 256 KiB is ResponseTooLarge (the page shows initials), cut early', async () => {
    const c = await signedIn()
    const body = sim.control.rawAnswer({ resource: 'photo', stream: { bytes: 16 * MiB, chunkBytes: 16 * 1024, everyMs: 5 } })
    await expect(c.http.image(c.photoHref!)).rejects.toMatchObject({ code: 'BadResponse', subcode: 'ResponseTooLarge', debugInfo: { maxBytes: String(256 * 1024) } })
    await body.closed
    expect(body.finished).toBe(false)
    expect(body.written).toBeLessThan(4 * MiB)
  })

  it('an event page over 4 MiB is cut there; the channel asks again and no event is lost', async () => {
    sim = await startSimulator()
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 40 } } })
    clients.push(c)
    const seen: string[] = []
    c.on('events', (events) => void seen.push(...events.map((e) => e.link.href).filter((h) => h.includes('/me/note'))))
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    const app = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
    const note = (n: number) => {
      const href = `${app.href('/me/note')}?n=${n}`
      app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href } })
      return href
    }
    await expect.poll(() => app.channel.parked, { timeout: 5000 }).toBe(true)
    const body = sim.control.rawAnswer({ resource: 'events', stream: { bytes: 64 * MiB, chunkBytes: 128 * 1024, everyMs: 5 } })
    const first = note(1) // answers the parked P-GET; the next one gets the oversized page
    await body.closed
    expect(body.finished).toBe(false)
    expect(body.written).toBeGreaterThanOrEqual(3 * MiB) // an event page may be bigger than a resource (1 MiB)…
    expect(body.written).toBeLessThan(16 * MiB) // …but is cut soon after 4 MiB
    const second = note(2)
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([first, second])
    expect(c.state).toBe('signed-in')
  })

  it('a pool whose every event page is over the cap ends the session with a typed error instead of asking forever', async () => {
    sim = await startSimulator()
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 40 } } })
    clients.push(c)
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    const app = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
    await expect.poll(() => app.channel.parked, { timeout: 5000 }).toBe(true)
    // every page from now on is 8 MiB (each cut at 4 MiB by the client)
    sim.control.rawAnswer({ resource: 'events', times: 50, stream: { bytes: 8 * MiB, chunkBytes: 512 * 1024, everyMs: 1 } })
    app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href: app.href('/me/note') } })
    await expect.poll(() => c.state, { timeout: 30_000 }).toBe('signed-out')
    expect(c.lastError).toMatchObject({ code: 'BadResponse', subcode: 'MalformedEvents' })
    const asked = sim.control.requests().filter((r) => r.resource === 'events').length
    await new Promise((r) => setTimeout(r, 500))
    expect(sim.control.requests().filter((r) => r.resource === 'events').length).toBe(asked) // and it stopped asking
  })

  it('a discovery root over the cap fails the sign-in with ResponseTooLarge', async () => {
    sim = await startSimulator()
    const body = sim.control.rawAnswer({ resource: 'root', stream: { bytes: 32 * MiB, chunkBytes: 64 * 1024, everyMs: 10 } })
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
    clients.push(c)
    await expect(c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })).rejects.toMatchObject({ code: 'BadResponse', subcode: 'ResponseTooLarge' })
    await body.closed
    expect(body.finished).toBe(false)
    expect(c.state).toBe('signed-out')
  })
})
