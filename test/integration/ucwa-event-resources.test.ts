// Link-only events (EventsInUCWA.md): the client reads each announced resource from link.href, without holding up
// the channel, delivering in channel order, and delivers an event whose resource could not be read with a warning.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine, type CallSnapshot } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import type { EventResourceWarning } from '../../main/ucwa/event-resources'
import { fromJson, fromXml } from '../../main/ucwa/resource'
import { resourceToJson, resourceToXml } from '../simulator/http/resource'
import { startSimulator, type SentEvent, type Simulator } from '../simulator/index'
import { engineUser } from '../support/engine-user'
import { WeriftMedia } from '../support/werift-media'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

/** Alice on pool2, whose events are link-only; Bob stays on pool1 (embedded events: his client reads nothing, so a
 *  fault on a resource's GET is met by Alice's reads alone) */
async function linkOnlyPoolForAlice() {
  sim = await startSimulator()
  sim.control.setHomePool('alice@contoso.test', 'pool2')
  sim.control.setEvents('link-only', 'pool2')
}

/** Alice with a call engine, recording each event as delivered: type, rel, href, and whether its resource came with it. */
async function alice(eventResourceTimeoutMs?: number, format: 'json' | 'xml' = 'json') {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } }, eventResourceTimeoutMs, format })
  const media = new WeriftMedia('alice')
  const engine = new CallEngine(client, media)
  const calls: CallSnapshot[] = []
  engine.onChange((s) => calls.push(s))
  const delivered: Array<{ key: string; resource: boolean; at: number }> = []
  client.on('events', (events) => void delivered.push(...events.map((e) => ({ key: `${e.type} ${e.link.rel} ${e.link.href}`, resource: !!e.embedded, at: Date.now() }))))
  const warnings: EventResourceWarning[] = []
  client.on('warning', (w) => void warnings.push(w))
  await client.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  return { client, engine, calls, delivered, warnings }
}

const keysFor = (sent: SentEvent[], user: string) => sent.filter((s) => s.user === user).map((s) => `${s.event.type} ${s.event.link.rel} ${s.event.link.href}`)
/** the call's events (sign-in's me and presence events may still be on their way when the call starts) */
const ofCalls = (keys: string[]) => keys.filter((k) => k.includes('/communication/'))

describe('link-only events', () => {
  it('a slow resource read does not hold up the channel: later pages are fetched while it waits, and events arrive in channel order', async () => {
    await linkOnlyPoolForAlice()
    const a = await alice()
    const bob = await engineUser(sim, 'bob', cleanup)
    const sent = sim.control.recordEvents()
    const app = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
    // the conversation Bob's call creates is read slowly, and the invitation too, in this page and the next
    sim.control.fault({ kind: 'delay', resource: 'conversation', method: 'GET', ms: 5000 })
    sim.control.fault({ kind: 'delay', resource: 'audioVideoInvitation', method: 'GET', ms: 4000, times: 2 })
    const started = Date.now()
    const call = await bob.engine.start('alice@contoso.test')
    await expect.poll(() => keysFor(sent, 'alice@contoso.test').some((k) => k.startsWith('started audioVideoInvitation'))).toBe(true)
    const firstPage = app.channel.stats.pgets
    // Bob gives up while Alice's client still waits for the conversation: the pool sends that as a new page
    await bob.engine.hangUp(call.id)
    await expect.poll(() => keysFor(sent, 'alice@contoso.test').some((k) => k.startsWith('deleted conversation'))).toBe(true)
    // Alice's channel took that page and parked its next P-GET, although nothing of the first page was delivered yet
    await expect.poll(() => app.channel.stats.pgets >= firstPage + 1 && app.channel.parked, { timeout: 4000 }).toBe(true)
    expect(Date.now() - started).toBeLessThan(4500) // still within the slow read
    expect(ofCalls(a.delivered.map((d) => d.key))).toEqual([])
    // then everything, in the order the pool sent it, each with its resource except the deleted ones
    const expected = ofCalls(keysFor(sent, 'alice@contoso.test'))
    await expect.poll(() => ofCalls(a.delivered.map((d) => d.key)), { timeout: 15_000 }).toEqual(expected)
    // the second page's reads ran while the first page's waited: about 5 s in all, not 5 + 4 s one after the other
    expect(a.delivered.filter((d) => ofCalls([d.key]).length).at(-1)!.at - started).toBeLessThan(8000)
    const read = (key: string) => !key.startsWith('deleted') && CallEngine.reads.includes(key.split(' ')[1]!)
    const ofCall = a.delivered.filter((d) => ofCalls([d.key]).length)
    expect(ofCall.filter((d) => read(d.key)).length).toBeGreaterThanOrEqual(5)
    // the call was over (conversation gone) when the slow read returned: what lived in it was read as 404, each
    // such event still delivered, without its resource, as a warning; the invitation (kept by the pool) was read
    expect(ofCall.filter((d) => !read(d.key)).every((d) => !d.resource)).toBe(true)
    const unread = ofCall.filter((d) => read(d.key) && !d.resource).map((d) => d.key)
    expect(unread).toContain(expected.find((k) => k.startsWith('added conversation')))
    expect(a.warnings.map((w) => `${w.type} ${w.rel} ${w.href}`).sort()).toEqual([...unread].sort()) // reported as each read fails
    expect(a.warnings.every((w) => w.error.status === 404)).toBe(true)
    expect(ofCall.filter((d) => d.key.includes(' audioVideoInvitation ')).map((d) => d.resource)).toEqual([true, true])
    // what Alice sees: a call that rang and was cancelled
    await expect.poll(() => a.calls.at(-1)).toMatchObject({ direction: 'incoming', state: 'ended', endReason: { subcode: 'Canceled' } })
  }, 30_000)

  it('a resource already gone (404) still delivers its event, without the resource, with a typed warning', async () => {
    await linkOnlyPoolForAlice()
    const a = await alice()
    const bob = await engineUser(sim, 'bob', cleanup)
    sim.control.fault({ kind: 'fail', resource: 'conversation', method: 'GET', status: 404, code: 'NotFound', subcode: 'ConversationNotFound', message: 'gone' })
    await bob.engine.start('alice@contoso.test', 'Catch-up')
    await expect.poll(() => a.warnings.length).toBe(1)
    const conversation = a.delivered.find((d) => d.key.startsWith('added conversation'))!
    expect(conversation.resource).toBe(false)
    expect(a.warnings[0]).toMatchObject({ kind: 'EventResourceUnavailable', type: 'added', rel: 'conversation', href: conversation.key.split(' ')[2], error: { status: 404, code: 'NotFound', subcode: 'ConversationNotFound' } })
    expect(a.client.eventResources.warnings).toBe(1)
    // the events after it were read and handled: Alice's phone rings with Bob's call
    await expect.poll(() => a.calls.at(-1)).toMatchObject({ direction: 'incoming', state: 'ringing', subject: 'Catch-up', remote: { uri: 'sip:bob@contoso.test' } })
  })

  it('in XML too: a call whose events only link their resources rings with who calls and why, and connects', async () => {
    await linkOnlyPoolForAlice()
    const a = await alice(undefined, 'xml')
    const bob = await engineUser(sim, 'bob', cleanup)
    const call = await bob.engine.start('alice@contoso.test', 'Budget')
    await expect.poll(() => a.calls.at(-1)).toMatchObject({ direction: 'incoming', state: 'ringing', subject: 'Budget', remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' } })
    await a.engine.accept(a.calls.at(-1)!.id)
    await expect.poll(() => bob.engine.get(call.id)?.state).toBe('connected')
    await expect.poll(() => a.calls.at(-1)?.state).toBe('connected')
    expect(a.warnings).toEqual([])
  })

  it('a read that takes too long is given up after the timeout: the event goes on without it, as a Timeout warning', async () => {
    await linkOnlyPoolForAlice()
    const a = await alice(400)
    const bob = await engineUser(sim, 'bob', cleanup)
    sim.control.fault({ kind: 'delay', resource: 'conversation', method: 'GET', ms: 4000 })
    const started = Date.now()
    await bob.engine.start('alice@contoso.test')
    await expect.poll(() => a.calls.at(-1)?.state, { timeout: 3000 }).toBe('ringing')
    expect(Date.now() - started).toBeLessThan(3500) // not the 4 s the pool took
    expect(a.warnings).toMatchObject([{ rel: 'conversation', type: 'added', error: { code: 'Timeout' } }])
  })
})

describe('the simulator in link-only mode', () => {
  it('sends no resource in any event, JSON or XML, and each linked resource answers a GET at its href with the content the event had', async () => {
    for (const format of ['json', 'xml'] as const) {
      sim = await startSimulator({ events: 'link-only' })
      // a client nobody declared rels to: what it delivers is what came on the wire
      const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format })
      const sent = sim.control.recordEvents()
      const onWire: boolean[] = []
      client.on('events', (events) => void onWire.push(...events.map((e) => !!e.embedded)))
      await client.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
      const bob = await engineUser(sim, 'bob', cleanup)
      const before = sent.length
      await bob.engine.start('alice@contoso.test')
      // ringing: nothing changes until someone acts, so each resource is as its last event showed it
      await expect.poll(() => keysFor(sent, 'alice@contoso.test').filter((k) => k.startsWith('updated audioVideo ')).length).toBe(1)
      await expect.poll(() => onWire.length).toBe(sent.filter((x) => x.user === 'alice@contoso.test').length)
      expect(onWire.every((embedded) => !embedded)).toBe(true)
      const mine = sent.slice(before).filter((x) => x.user === 'alice@contoso.test')
      const last = new Map(mine.map((s) => [s.event.link.href, s.event.embedded!]))
      expect([...last.values()].map((r) => r.rel).sort()).toEqual(['audioVideo', 'audioVideoInvitation', 'conversation', 'localParticipant', 'participant'])
      for (const [href, snapshot] of last) {
        const expected = format === 'xml' ? fromXml(resourceToXml(snapshot)) : fromJson(resourceToJson(snapshot))
        expect(await client.http.get(href)).toEqual(expected)
      }
      await client.signOut()
      for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
      await sim.close()
    }
  })
})
