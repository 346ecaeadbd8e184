// One unreadable event page is not a sign-out (EventChannelDetails.md: the pool resends what was not
// acknowledged): a truncated page, a proxy's HTML page or a page nested 100,000 deep gets a counted warning,
// backoff and the same URL again; only MAX_MALFORMED_PAGES in a row end the session, typed.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient, type SessionState } from '../../main/ucwa/client'
import { MAX_MALFORMED_PAGES } from '../../main/ucwa/event-channel'
import { startSimulator, type Simulator } from '../simulator/index'

// the machine is shared and loaded: every wait is generous, every assertion strict
vi.setConfig({ testTimeout: 30_000, expect: { poll: { timeout: 10_000 } } })

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

async function signedIn(format: 'json' | 'xml') {
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 40 } } })
  clients.push(c)
  const seen: string[] = []
  const states: SessionState[] = []
  c.on('events', (events) => void seen.push(...events.map((e) => e.link.href)))
  c.on('state', (s) => states.push(s))
  await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
  const app = () => sim.control.world.apps.get(sim.control.applications('alice@contoso.test').at(-1)!.id)!
  await expect.poll(() => app().channel.parked).toBe(true)
  const note = (n: number) => {
    const href = `${app().href('/me/note')}?n=${n}`
    app().emit({ rel: 'me', href: app().href('/me') }, { type: 'updated', link: { rel: 'note', href } })
    return href
  }
  return { c, seen, states, note }
}

const kinds = [
  ['json', 'truncated'],
  ['json', 'html'],
  ['json', 'deep'],
  ['xml', 'truncated'],
  ['xml', 'html'],
  ['xml', 'deep'],
] as const

describe('malformed event pages', () => {
  it.each(kinds)('%s, %s page: a counted warning, backoff, the same URL again; its events and the next arrive; still signed in', async (format, as) => {
    sim = await startSimulator()
    const { c, seen, states, note } = await signedIn(format)
    sim.control.fault({ kind: 'malform', resource: 'events', as })
    const first = note(1) // answers the parked P-GET; the next P-GET's page is spoiled
    const second = note(2)
    await expect.poll(() => sim.control.faults.fired.malform, { timeout: 10_000 }).toBe(1)
    await expect.poll(() => seen.filter((h) => h === first || h === second).length, { timeout: 10_000 }).toBe(2)
    const third = note(3)
    await expect.poll(() => seen.includes(third), { timeout: 10_000 }).toBe(true)
    expect(seen.filter((h) => h.includes('/me/note'))).toEqual([first, second, third]) // once each, in order
    expect(c.channel?.warningCount).toBe(1)
    expect(c.channel?.warnings[0]).toMatchObject({ consecutive: 1, error: { code: 'BadResponse', subcode: 'MalformedEvents' } })
    expect(c.state).toBe('signed-in')
    expect(states).toContain('reconnecting') // the backoff showed
    expect(states).not.toContain('signed-out')
  })

  it(`${MAX_MALFORMED_PAGES} unreadable pages in a row end the session with a typed error, and it stops asking`, async () => {
    sim = await startSimulator()
    const { c, note } = await signedIn('json')
    sim.control.fault({ kind: 'malform', resource: 'events', as: 'truncated', times: MAX_MALFORMED_PAGES })
    note(1)
    note(2)
    await expect.poll(() => c.state, { timeout: 10_000 }).toBe('signed-out')
    expect(c.lastError).toMatchObject({ code: 'BadResponse', subcode: 'MalformedEvents' })
    expect(sim.control.faults.fired.malform).toBe(MAX_MALFORMED_PAGES)
    const asked = sim.control.requests().filter((r) => r.resource === 'events').length
    await new Promise((r) => setTimeout(r, 300))
    expect(sim.control.requests().filter((r) => r.resource === 'events').length).toBe(asked)
  })

  it(`${MAX_MALFORMED_PAGES - 1} unreadable pages, then a good one: the count starts again`, async () => {
    sim = await startSimulator()
    const { c, seen, note } = await signedIn('json')
    sim.control.fault({ kind: 'malform', resource: 'events', as: 'html', times: MAX_MALFORMED_PAGES - 1 })
    const first = note(1)
    const second = note(2)
    await expect.poll(() => seen.includes(second), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => sim.control.faults.fired.malform).toBe(MAX_MALFORMED_PAGES - 1)
    sim.control.fault({ kind: 'malform', resource: 'events', as: 'deep', times: MAX_MALFORMED_PAGES - 1 })
    const third = note(3)
    const fourth = note(4)
    await expect.poll(() => seen.includes(fourth), { timeout: 10_000 }).toBe(true)
    expect(sim.control.faults.fired.malform).toBe(2 * (MAX_MALFORMED_PAGES - 1))
    expect(seen.filter((h) => h.includes('/me/note'))).toEqual([first, second, third, fourth])
    expect(c.channel?.warningCount).toBe(2 * (MAX_MALFORMED_PAGES - 1))
    expect(c.state).toBe('signed-in')
  })
})
