// Every fault the control handle offers, observed as a client observes it.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { dataUrl, http, sdp, signIn, withSimulator } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const settle = () => new Promise((r) => setTimeout(r, 30))

// the error rows of the seed pages (escalateAudioVideo_ref.md, audioVideoNegotiation_ref.md) and the generic table
const seedRows = [
  { status: 500, code: 'ServiceFailure', subcode: 'CallbackChannelError' },
  { status: 500, code: 'ServiceFailure', subcode: 'InvalidExchangeServerVersion' },
  { status: 409, code: 'Conflict', subcode: 'AlreadyExists' },
  { status: 409, code: 'Conflict', subcode: 'TooManyGroups' },
  { status: 409, code: 'Conflict', subcode: 'None' },
  { status: 410, code: 'Gone', subcode: 'CannotRedirect' },
]

describe('fault injection', () => {
  it('each seed error row fails the named resource N times, in JSON and XML, then recovers', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    await signIn(sim, 'bob@contoso.test')
    const start = alice.app._embedded.communication._links.startAudioVideo.href
    const body = { to: 'bob@contoso.test', _links: { mediaOffer: { href: dataUrl(sdp('o')) } } }
    for (const row of seedRows) {
      sim.control.fault({ kind: 'fail', resource: 'startAudioVideo', method: 'POST', status: row.status, subcode: row.subcode, times: 2 })
      const json = await alice.post(start, body)
      expect(json.status).toBe(row.status)
      expect(json.json.code).toBe(row.code)
      expect(json.json.subcode).toBe(row.subcode === 'None' ? undefined : row.subcode)
      const xml = await alice.post(start, body, { accept: 'xml' })
      expect(xml.xml.reason.code).toBe(row.code)
      expect((await alice.post(start, body)).status).toBe(201)
    }
    expect(sim.control.faults.fired.fail).toBe(seedRows.length * 2)
  })

  it('each seed error row is reproducible on escalateAudioVideo and on GET audioVideoNegotiation', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const targets = [
      { resource: 'escalateAudioVideo', call: () => alice.post(`${alice.appHref}/communication/conversations/c1/audioVideo/escalateAudioVideo?operationId=o&sessionContext=s`, sdp('o'), { type: 'application/sdp' }) },
      { resource: 'audioVideoNegotiation', call: () => alice.get(`${alice.appHref}/communication/invitations/i1/audioVideoNegotiation`) },
    ]
    for (const { resource, call } of targets) {
      for (const row of seedRows) {
        sim.control.fault({ kind: 'fail', resource, status: row.status, subcode: row.subcode })
        const r = await call()
        expect(r.status, `${resource} ${row.subcode}`).toBe(row.status)
        expect(r.json).toMatchObject({ code: row.code, ...(row.subcode !== 'None' && { subcode: row.subcode }) })
      }
    }
  })

  it('faults on the event channel and on GET audioVideoNegotiation reach the client', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    sim.control.fault({ kind: 'fail', resource: 'events', status: 503, code: 'ServiceUnavailable' })
    expect((await alice.poll()).status).toBe(503)
    sim.control.fault({ kind: 'fail', resource: 'audioVideoNegotiation', status: 500, subcode: 'InvalidExchangeServerVersion' })
    const neg = await alice.get(`${alice.appHref}/communication/invitations/x/audioVideoNegotiation`)
    expect(neg.json).toMatchObject({ code: 'ServiceFailure', subcode: 'InvalidExchangeServerVersion' })
  })

  it('delays a response (a later request overtakes it) and drops a connection', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    sim.control.fault({ kind: 'delay', resource: 'me', ms: 300 })
    const order: string[] = []
    const slow = alice.get(`${alice.appHref}/me`).then(() => order.push('me'))
    await settle()
    await alice.get(`${alice.appHref}/people`).then(() => order.push('people'))
    await slow
    expect(order).toEqual(['people', 'me'])
    sim.control.fault({ kind: 'drop', resource: 'people' })
    await expect(alice.get(`${alice.appHref}/people`)).rejects.toThrow()
    expect((await alice.get(`${alice.appHref}/people`)).status).toBe(200)
  })

  it('an expired token gets the 401 challenge again', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    expect(sim.control.expireTokens('alice@contoso.test')).toBe(1)
    const r = await alice.get(alice.appHref)
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toContain('MsRtcOAuth')
  })

  it('tokens expire after expires_in', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock, config: { tokenLifetimeSeconds: 3600 } })
    const alice = await signIn(sim, 'alice@contoso.test')
    clock.advance(3599_000)
    // keep the application alive meanwhile is not needed: expiry of the token is checked first
    expect((await alice.get(alice.appHref)).status).not.toBe(401)
    clock.advance(2_000)
    expect((await alice.get(alice.appHref)).status).toBe(401)
  })

  it('expiring an application ends its parked P-GET with InactiveApplicationExpired', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test', { available: false })
    const parked = alice.poll()
    await settle()
    sim.control.expireApplication('alice@contoso.test')
    const r = await parked
    expect(r.status).toBe(404)
    expect(r.json.subcode).toBe('InactiveApplicationExpired')
  })

  it('a pool restart cuts connections and loses applications; a new one can be created', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test', { available: false })
    const parked = alice.poll().then(
      (r) => r.status,
      () => 'reset',
    )
    await settle()
    await sim.control.restartPool()
    expect(await parked).toBe('reset')
    const after = await alice.get(alice.appHref)
    expect(after.json).toMatchObject({ code: 'NotFound', subcode: 'ApplicationNotFound' })
    const again = await http(`${alice.origin}/ucwa/oauth/v1/applications`, {
      method: 'POST',
      token: alice.token,
      type: 'application/json',
      body: JSON.stringify({ UserAgent: 'x', EndpointId: 'y', Culture: 'en-US' }),
    })
    expect(again.status).toBe(201)
  })
})
