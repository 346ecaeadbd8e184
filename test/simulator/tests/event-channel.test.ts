// The event channel as EventChannelDetails.md and EventsInUCWA.md describe it, over real HTTP.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { EventChannel } from '../pool/event-channel'
import { flatten, http, signIn, withSimulator } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const settle = () => new Promise((r) => setTimeout(r, 30))

describe('event channel', () => {
  it('holds the P-GET until events arrive; medium events wait for the medium interval', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const s = await signIn(sim, 'alice@contoso.test', { available: false })
    const pending = s.poll()
    await settle()
    const mma = await s.post(s.app._embedded.me._links.makeMeAvailable.href, { SupportedModalities: ['Audio', 'Video'] })
    expect(mma.status).toBe(204)
    let done = false
    void pending.then(() => (done = true))
    await settle()
    expect(done).toBe(false) // me/presence/communication updates are medium priority: aggregated
    clock.advance(5_000)
    const r = await pending
    expect(r.status).toBe(200)
    expect(r.json._links.self.href).toMatch(/ack=1$/)
    expect(r.json._links.next.href).toMatch(/ack=2$/)
    expect(flatten(r.json).map((e) => `${e.sender}:${e.type}:${e.rel}`)).toEqual([
      'me:updated:me',
      'me:added:presence',
      'communication:updated:communication',
    ])
    expect(flatten(r.json)[2]!.embedded.supportedModalities).toEqual(['Audio', 'Video'])
  })

  it('answers an empty response with only next after the timeout', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const s = await signIn(sim, 'bob@contoso.test', { available: false })
    const pending = s.poll({ query: 'timeout=200' })
    await settle()
    clock.advance(199_000)
    await settle()
    clock.advance(1_000)
    const r = await pending
    expect(r.json.sender).toBeUndefined()
    expect(Object.keys(r.json._links).sort()).toEqual(['next', 'self'])
  })

  it('rejects aggregation parameters outside the documented ranges', async () => {
    sim = await withSimulator()
    const s = await signIn(sim, 'bob@contoso.test', { available: false })
    for (const q of ['timeout=60', 'timeout=1801', 'medium=1', 'low=abc']) {
      const r = await s.poll({ query: q })
      expect(r.status, q).toBe(400)
      expect(r.json.subcode).toBe('ParameterValidationFailure')
    }
  })

  it('a second P-GET replaces the first, which gets 409 PGetReplaced; a lower priority one is refused', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const s = await signIn(sim, 'alice@contoso.test', { available: false })
    const url = s.url(s.next)
    const first = http(`${url}&priority=1`, { token: s.token })
    await settle()
    const lower = await http(`${url}&priority=0`, { token: s.token })
    expect(lower.status).toBe(409)
    expect(lower.json).toMatchObject({ code: 'Conflict', subcode: 'PGetReplaced' })
    const second = http(`${url}&priority=1`, { token: s.token })
    const r1 = await first
    expect(r1.status).toBe(409)
    expect(r1.json.subcode).toBe('PGetReplaced')
    clock.advance(180_000)
    expect((await second).status).toBe(200)
  })

  it('resends the same package when the client repeats an ack, and sends resync for an ack out of range', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const s = await signIn(sim, 'alice@contoso.test')
    const pending = s.poll()
    await settle()
    clock.advance(5_000) // makeMeAvailable's medium-priority events fall due
    const first = await pending
    expect(flatten(first.json)).toHaveLength(3)
    const ackOne = s.url(first.json._links.self.href)
    const again = await http(ackOne, { token: s.token })
    expect(again.text).toBe(first.text) // lost response: same package, no event lost or duplicated
    const stale = await http(ackOne.replace('ack=1', 'ack=99'), { token: s.token })
    expect(stale.status).toBe(200)
    expect(Object.keys(stale.json._links).sort()).toEqual(['resync', 'self'])
    expect(stale.json._links.resync.href).toMatch(/ack=1$/)
    // following next acknowledges package 1: asking for 1 again is now out of range
    const next = s.url(first.json._links.next.href)
    const ctrl = new AbortController()
    const parked = http(next, { token: s.token, signal: ctrl.signal }).catch(() => null)
    await settle()
    const old = await http(ackOne, { token: s.token })
    expect(old.json._links.resync.href).toMatch(/ack=2$/)
    ctrl.abort()
    await parked
  })

  it('after the channel is re-created the response carries resume, and parameters are forgotten', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const s = await signIn(sim, 'alice@contoso.test', { available: false })
    const p1 = s.poll({ query: 'timeout=900' })
    await settle()
    clock.advance(900_000)
    await p1
    sim.control.recreateChannel('alice@contoso.test')
    const p2 = s.poll()
    await settle()
    clock.advance(180_000) // back to the default timeout
    const r = await p2
    expect(r.status, r.text).toBe(200)
    expect(r.json._links.resume.href).toMatch(/ack=3$/)
    expect(r.json._links.next).toBeUndefined()
  })

  it('XML events follow the documented shape', async () => {
    sim = await withSimulator()
    const s = await signIn(sim, 'alice@contoso.test', { available: false })
    const pending = s.poll({ accept: 'xml' })
    await settle()
    // an incoming call is high priority: released at once
    const bob = await signIn(sim, 'bob@contoso.test')
    await bob.post(bob.app._embedded.communication._links.startAudioVideo.href, {
      to: 'sip:carol@contoso.test',
      _links: { mediaOffer: { href: 'data:application/sdp;base64,dj0wDQo=' } },
    })
    sim.control.world.apps.get(s.appHref.split('/').at(-1)!)!.emit({ rel: 'me', href: `${s.appHref}/me` }, { type: 'updated', link: { rel: 'me', href: `${s.appHref}/me` } })
    const r = await pending
    expect(r.xml.events['@_xmlns']).toBe('http://schemas.microsoft.com/rtc/2012/03/ucwa')
    expect(r.xml.events.link[0]['@_rel']).toBe('next')
    expect(r.xml.events.sender[0]).toMatchObject({ '@_rel': 'me', updated: { '@_rel': 'me' } })
  })

  it('a parked P-GET arms one release timer for updates that replace each other, not one per update (issue #24)', async () => {
    const clock = new ManualClock()
    let armed = 0
    const counting = { now: () => clock.now(), setTimeout: (fn: () => void, ms: number) => (armed++, clock.setTimeout(fn, ms)) }
    const channel = new EventChannel(counting, '/apps/a/events')
    const parked = channel.pget({ ack: 1, onAbort: () => {} })
    const sender = { rel: 'people', href: '/apps/a/people' }
    for (const availability of ['Busy', 'Away', 'Online', 'DoNotDisturb', 'Busy', 'Away'])
      channel.enqueue(sender, { type: 'updated', link: { rel: 'contactPresence', href: '/apps/a/people/bob/presence' }, embedded: { rel: 'contactPresence', href: '/apps/a/people/bob/presence', props: { availability } } }, 'medium')
    // the timeout's, then the first update's 5 s: Node keeps a cleared unref'd timer's list until it would have run
    expect(armed).toBe(2)
    clock.advance(5_000)
    const body = await parked
    expect(body.senders.flatMap((b) => b.events.map((e) => e.embedded?.props?.availability))).toEqual(['Away'])
  })

  it('delivers many events once each and in order, across many P-GETs', async () => {
    sim = await withSimulator()
    const s = await signIn(sim, 'alice@contoso.test', { available: false })
    const app = sim.control.world.apps.get(s.appHref.split('/').at(-1)!)!
    const sender = { rel: 'me', href: `${s.appHref}/me` }
    const seen: string[] = []
    const total = 300
    let sent = 0
    while (seen.length < total) {
      const burst = Math.min(total - sent, 1 + (sent % 7))
      for (let i = 0; i < burst; i++, sent++) app.emit(sender, { type: 'updated', link: { rel: 'note', href: `${s.appHref}/me/note?n=${sent}` } })
      const r = await s.poll()
      seen.push(...flatten(r.json).map((e) => e.href.split('n=')[1]!))
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => String(i)))
  })
})
