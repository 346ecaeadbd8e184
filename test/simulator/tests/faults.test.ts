// Every fault the control handle offers, observed as a client observes it.
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { dataUrl, http, sdp, signIn, token, withSimulator, type Session } from './helpers'

/** POST applications again with the session's token (applications_ref.md), as a client does after losing its application */
const createApplication = (s: Session) =>
  http(`${s.origin}/ucwa/oauth/v1/applications`, { method: 'POST', token: s.token, type: 'application/json', body: JSON.stringify({ UserAgent: 'x', EndpointId: 'y', Culture: 'en-US' }) })

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
    const again = await createApplication(alice)
    expect(again.status).toBe(201)
  })

  // makeMeAvailable2_ref.md and escalateAudioVideo_ref.md list these rows word for word
  const pageRows = [
    { subcode: 'TooManyGroups', status: 409, code: 'Conflict', message: 'The too many groups error.' },
    { subcode: 'CannotRedirect', status: 410, code: 'Gone', message: 'Cannot redirect since there is no back up pool configured.' },
    { subcode: 'CallbackChannelError', status: 500, code: 'ServiceFailure', message: 'The remote event channel is not reachable' },
  ] as const

  it('a seed error row as a scenario: the page’s status, code, subcode and message, in JSON and XML, once', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test', { available: false })
    const available = alice.app._embedded.me._links.makeMeAvailable.href
    for (const row of pageRows) {
      sim.control.seedError('makeMeAvailable', row.subcode, { method: 'POST', times: 2 })
      const json = await alice.post(available, { SupportedModalities: ['Audio', 'Video'] })
      expect(json.status, row.subcode).toBe(row.status)
      expect(json.json).toEqual({ code: row.code, subcode: row.subcode, message: row.message })
      const xml = await alice.post(available, { SupportedModalities: ['Audio', 'Video'] }, { accept: 'xml' })
      expect(xml.status).toBe(row.status)
      expect(xml.xml.reason).toMatchObject({ code: row.code, subcode: row.subcode, message: row.message })
    }
    expect((await alice.post(available, { SupportedModalities: ['Audio', 'Video'] })).status).toBe(204)
    const escalate = `${alice.appHref}/communication/conversations/c1/audioVideo/escalateAudioVideo?operationId=o&sessionContext=s`
    sim.control.seedError('escalateAudioVideo', 'CallbackChannelError')
    const r = await alice.post(escalate, sdp('o'), { type: 'application/sdp' })
    expect(r.json).toEqual({ code: 'ServiceFailure', subcode: 'CallbackChannelError', message: 'The remote event channel is not reachable' })
    expect(sim.control.faults.fired.seed).toBe(pageRows.length * 2 + 1)
  })

  it('a token taken back as 403 is answered as a real pool does: 403, Warning InvalidToken, both challenges', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    expect(sim.control.expireTokens('alice@contoso.test', { as: 403 })).toBe(1)
    const r = await alice.get(alice.appHref)
    expect(r.status).toBe(403)
    expect(r.headers.get('warning')).toMatch(/"InvalidToken"/)
    expect(r.headers.get('www-authenticate')).toMatch(/MsRtcOAuth href="[^"]+\/WebTicket\/oauthtoken"/)
    expect(r.headers.get('www-authenticate')).toMatch(/Bearer /)
    // a new token works again
    const fresh = await token(alice.origin, 'alice@contoso.test', 'alice-pass')
    expect((await http(`${alice.origin}${new URL(alice.appHref, alice.origin).pathname}`, { token: fresh })).status).toBe(200)
  })

  it('refused tokens: UCWA resources refuse every token of the user, new ones too, while autodiscovery accepts them', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    sim.control.refuseTokens('alice@contoso.test', { as: 403 })
    const fresh = await token(alice.origin, 'alice@contoso.test', 'alice-pass')
    expect((await http(`${alice.origin}/autodiscover/autodiscoverservice.svc/root/oauth/user`, { token: fresh })).status).toBe(200)
    const refused = await http(`${alice.origin}/ucwa/oauth/v1/applications`, { method: 'POST', token: fresh, type: 'application/json', body: '{}' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('warning')).toMatch(/InvalidToken/)
    sim.control.refuseTokens('alice@contoso.test', null)
    expect((await alice.get(alice.appHref)).status).toBe(200)
  })

  it('malformed event pages: truncated, HTML, 100,000 deep; the same URL then gets the real page (nothing lost)', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const alice = await signIn(sim, 'alice@contoso.test')
    const presence = `${alice.appHref}/me/presence`
    const cases = [['truncated', 'json'], ['html', 'json'], ['deep', 'json'], ['truncated', 'xml'], ['deep', 'xml']] as const
    for (const [i, [as, accept]] of cases.entries()) {
      if (i > 0) expect((await alice.post(presence, { availability: i % 2 ? 'Busy' : 'Online' })).status).toBe(204)
      sim.control.fault({ kind: 'malform', resource: 'events', as })
      const before = alice.next
      // fetch, not the helper: the helper would try to read the broken body
      const headers = { Authorization: `Bearer ${alice.token}`, Accept: `application/${accept}` }
      const pending = fetch(alice.url(alice.next), { headers }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }))
      await settle()
      clock.advance(6_000) // medium-priority events wait 5 s (the channel's aggregation)
      const bad = await pending
      expect(bad.status).toBe(200)
      expect(bad.headers.get('content-type')).toMatch(as === 'html' ? /^text\/html/ : accept === 'xml' ? /xml/ : /json/)
      if (as === 'deep') expect(bad.text.length).toBeGreaterThan(200_000)
      if (accept === 'json' && as !== 'deep') expect(() => JSON.parse(bad.text)).toThrow()
      if (accept === 'json' && as === 'deep') expect(JSON.parse(bad.text)._links).toBeUndefined()
      // the same URL again: the pool resends the package it built, events and all
      const good = await alice.poll()
      expect(good.status).toBe(200)
      expect(alice.next).not.toBe(before)
      expect(good.json.sender.length).toBeGreaterThan(0)
    }
    expect(sim.control.faults.fired.malform).toBe(cases.length)
  })

  it('an application lost for good: the parked P-GET ends, and a new one is refused with 410 CannotRedirect', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test', { available: false })
    const parked = alice.poll()
    await settle()
    expect(sim.control.loseApplication('alice@contoso.test')).toBe(1)
    expect((await parked).status).toBe(404)
    const again = await createApplication(alice)
    expect(again.status).toBe(410)
    expect(again.json).toEqual({ code: 'Gone', subcode: 'CannotRedirect', message: 'Cannot redirect since there is no back up pool configured.' })
    const counted = sim.control.requests().filter((r) => r.resource === 'applications' && r.method === 'POST')
    expect(counted.map((r) => r.status)).toEqual([201, 410])
  })
})
