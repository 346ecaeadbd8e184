// The client's event-channel loop against the simulator's faults: every event once, in order; recovery.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient, type SessionState } from '../../main/ucwa/client'
import { startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

async function signedIn(sip: string, remember = false, timeout?: number) {
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 40 }, timeout } })
  clients.push(c)
  const seen: string[] = []
  const states: SessionState[] = []
  let lost = 0
  c.on('events', (events) => void seen.push(...events.map((e) => e.link.href)))
  c.on('state', (s) => states.push(s))
  c.on('transientStateLost', () => void lost++)
  await c.signIn({ sipAddress: sip, password: `${sip.split('@')[0]}-pass`, remember, discoveryUrl: sim.url })
  const app = () => sim.control.world.apps.get(sim.control.applications(sip).at(-1)!.id)!
  return { c, seen, states, lost: () => lost, app }
}

function inject(app: ReturnType<Awaited<ReturnType<typeof signedIn>>['app']>, from: number, count: number): string[] {
  const hrefs: string[] = []
  for (let i = from; i < from + count; i++) {
    const href = `${app.href('/me/note')}?n=${i}`
    app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href } })
    hrefs.push(href)
  }
  return hrefs
}

describe('event channel loop', () => {
  it('a listener that fails on a page is logged; the other listeners still get that page, and the pages after it', async () => {
    sim = await startSimulator()
    const log: string[] = []
    const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 40 } }, log: (m) => log.push(m) })
    clients.push(c)
    const seen: string[] = []
    let fail = true
    c.on('events', () => {
      if (fail) throw new Error('boom')
    })
    c.on('events', (events) => void seen.push(...events.map((e) => e.link.href)))
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    const app = sim.control.world.apps.get(sim.control.applications('alice@contoso.test').at(-1)!.id)!
    const first = inject(app, 0, 1)
    await expect.poll(() => log).toContain('an event listener failed on a page: Error: boom')
    fail = false
    const second = inject(app, 1, 1)
    await expect.poll(() => seen).toEqual(expect.arrayContaining(second))
    expect(seen).toContain(first[0]) // the failing listener came first: the one after it still heard the page
  })

  it('delivers every event once and in order through 5xx, dropped connections and delays', async () => {
    sim = await startSimulator()
    const { seen, app } = await signedIn('alice@contoso.test')
    const notes = () => seen.filter((h) => h.includes('/me/note'))
    const sent: string[] = []
    const fired = () => sim.control.faults.fired.fail + sim.control.faults.fired.drop + sim.control.faults.fired.delay
    for (let round = 0; round < 9; round++) {
      if (round % 3 === 0) sim.control.fault({ kind: 'fail', resource: 'events', status: 503, code: 'ServiceUnavailable' })
      if (round % 3 === 1) sim.control.fault({ kind: 'drop', resource: 'events' })
      if (round % 3 === 2) sim.control.fault({ kind: 'delay', resource: 'events', ms: 30 })
      sent.push(...inject(app(), sent.length, 5 + round))
      // each fault hits the next P-GET, which may be one that was carrying these events
      await expect.poll(fired, { timeout: 5000 }).toBe(round + 1)
    }
    await expect.poll(() => notes().length, { timeout: 8000 }).toBe(sent.length)
    expect(notes()).toEqual(sent)
    expect(sim.control.faults.fired).toEqual({ fail: 3, drop: 3, delay: 3, seed: 0, malform: 0 })
  })

  it('another instance taking the channel (409 PGetReplaced) stops this one and says so', async () => {
    sim = await startSimulator()
    const { c, states, app } = await signedIn('alice@contoso.test')
    await expect.poll(() => app().channel.parked).toBe(true)
    const ctrl = new AbortController()
    void c.http.send(app().channel.currentLink, { signal: ctrl.signal, query: { priority: 5 } }).catch(() => {})
    await expect.poll(() => c.state).toBe('replaced')
    expect(states.at(-1)).toBe('replaced')
    expect(c.lastError).toMatchObject({ subcode: 'PGetReplaced' })
    ctrl.abort()
  })

  it('an expired application is recreated: Reconnecting, then signed in again with state rebuilt', async () => {
    sim = await startSimulator()
    const { c, states, lost, app } = await signedIn('alice@contoso.test')
    await expect.poll(() => app().channel.parked).toBe(true)
    const before = app().id
    sim.control.expireApplication('alice@contoso.test')
    await expect.poll(() => sim.control.applications('alice@contoso.test').length, { timeout: 5000 }).toBe(1)
    expect(app().id).not.toBe(before)
    await expect.poll(() => c.state).toBe('signed-in')
    expect(states).toContain('reconnecting')
    expect(lost()).toBeGreaterThanOrEqual(1)
    expect(app().available).toBe(true) // made available again
    // and the new channel delivers
    const { seen } = { seen: [] as string[] }
    c.on('events', (events) => void seen.push(...events.map((e) => e.link.href)))
    await expect.poll(() => app().channel.parked).toBe(true)
    inject(app(), 0, 3)
    await expect.poll(() => seen.filter((h) => h.includes('note')).length).toBe(3)
  })

  it('a pool restart (connections cut, applications lost) is recovered the same way', async () => {
    sim = await startSimulator()
    const { c, app } = await signedIn('bob@contoso.test')
    await expect.poll(() => app().channel.parked).toBe(true)
    await sim.control.restartPool()
    await expect.poll(() => sim.control.applications('bob@contoso.test').length, { timeout: 5000 }).toBe(1)
    await expect.poll(() => c.state).toBe('signed-in')
    // the outage is measured from the first failure to the first page of the new application
    await expect.poll(() => c.channelRecoveryMs).toBeGreaterThan(0)
  })

  it('resume after the channel was re-created: transient state dropped, aggregation parameters sent again', async () => {
    sim = await startSimulator()
    const { lost, app } = await signedIn('carol@contoso.test', false, 300)
    await expect.poll(() => app().channel.parked).toBe(true)
    expect(app().channel.params.timeout).toBe(300)
    sim.control.recreateChannel('carol@contoso.test')
    expect(app().channel.params.timeout).toBe(180)
    inject(app(), 0, 1) // releases the parked P-GET with `resume`
    await expect.poll(() => lost()).toBeGreaterThanOrEqual(1)
    await expect.poll(() => app().channel.params.timeout).toBe(300)
  })

  it('an expired token: renewed with a remembered password, otherwise the person is asked to sign in', async () => {
    sim = await startSimulator()
    const remembered = await signedIn('alice@contoso.test', true)
    const forgotten = await signedIn('bob@contoso.test', false)
    await expect.poll(() => remembered.app().channel.parked && forgotten.app().channel.parked).toBe(true)
    sim.control.expireTokens()
    inject(remembered.app(), 0, 1)
    inject(forgotten.app(), 0, 1)
    await expect.poll(() => forgotten.c.state, { timeout: 5000 }).toBe('signed-out')
    expect(forgotten.c.lastError).toMatchObject({ code: 'Unauthorized' })
    // the remembered one carries on: new events still arrive
    const more = inject(remembered.app(), 1, 2)
    await expect.poll(() => remembered.seen.filter((h) => more.includes(h)).length, { timeout: 5000 }).toBe(2)
    expect(remembered.c.state).toBe('signed-in')
  })
})
