import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { http, signIn, token, withSimulator } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const apps = (s: Simulator) => `${s.pools[0]!.origin}/ucwa/oauth/v1/applications`
const body = JSON.stringify({ UserAgent: 'Parley/1.0', EndpointId: 'e1', Culture: 'en-US' })

describe('applications (applications_ref.md, application_ref.md)', () => {
  it('POST creates an application with me, people and communication embedded', async () => {
    sim = await withSimulator()
    const t = await token(sim.pools[0]!.origin, 'alice@contoso.test', 'alice-pass')
    const r = await http(apps(sim), { method: 'POST', token: t, type: 'application/json', body })
    expect(r.status).toBe(201)
    expect(r.headers.get('location')).toBe(r.json._links.self.href)
    expect(r.json).toMatchObject({ rel: 'application', userAgent: 'Parley/1.0', culture: 'en-US', endpointId: 'e1' })
    expect(r.json._links.events.href).toMatch(/\/events\?ack=1$/)
    expect(Object.keys(r.json._embedded).sort()).toEqual(['communication', 'me', 'onlineMeetings', 'people'])
    expect(r.json._embedded.me).toMatchObject({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
    expect(r.json._embedded.me._links.makeMeAvailable).toBeDefined()
    // the same endpoint again is the same application
    const again = await http(apps(sim), { method: 'POST', token: t, type: 'application/json', body })
    expect(again.status).toBe(200)
    expect(again.json._links.self.href).toBe(r.json._links.self.href)
  })

  it('accepts XML input and answers in XML with embedded resources', async () => {
    sim = await withSimulator()
    const t = await token(sim.pools[0]!.origin, 'bob@contoso.test', 'bob-pass')
    const xml = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="userAgent">Parley/1.0</property><property name="endpointId">x1</property><property name="culture">en-GB</property></input>`
    const r = await http(apps(sim), { method: 'POST', token: t, type: 'application/vnd.microsoft.com.ucwa+xml', accept: 'xml', body: xml })
    expect(r.status).toBe(201)
    const res = r.xml.resource[0]
    expect(res['@_rel']).toBe('application')
    expect(res.property.find((p: { '@_name': string }) => p['@_name'] === 'culture')['#text']).toBe('en-GB')
    expect(res.resource.map((e: { '@_rel': string }) => e['@_rel']).sort()).toEqual(['communication', 'me', 'onlineMeetings', 'people'])
  })

  it('validates input: required fields, lengths, media type, malformed and oversized bodies', async () => {
    sim = await withSimulator({ bodyLimit: 2048 })
    const t = await token(sim.pools[0]!.origin, 'alice@contoso.test', 'alice-pass')
    const post = (b: string, type = 'application/json') => http(apps(sim), { method: 'POST', token: t, type, body: b })
    expect((await post(JSON.stringify({ UserAgent: 'x', Culture: 'en-US' }))).json).toEqual({ code: 'BadRequest', subcode: 'ParameterValidationFailure', message: 'EndpointId is required.' })
    expect((await post(JSON.stringify({ UserAgent: 'x'.repeat(101), EndpointId: 'e', Culture: 'en-US' }))).json.subcode).toBe('ParameterValidationFailure')
    const unsupported = await post(body, 'text/plain')
    expect(unsupported.status).toBe(415)
    expect(unsupported.json).toMatchObject({ code: 'UnsupportedMediaType', subcode: 'UnsupportedMediaType' })
    expect((await post('{"UserAgent":')).json).toMatchObject({ code: 'BadRequest', subcode: 'DeserializationFailure' })
    expect((await post('<input><property name=', 'application/xml')).json).toMatchObject({ subcode: 'DeserializationFailure' })
    const big = await post(JSON.stringify({ UserAgent: 'x', EndpointId: 'e', Culture: 'c', pad: 'x'.repeat(4096) }))
    expect(big.status).toBe(413)
    expect(big.json.code).toBe('EntityTooLarge')
  })

  it('requires a token; DELETE removes the application (then 404 ApplicationNotFound)', async () => {
    sim = await withSimulator()
    const s = await signIn(sim, 'alice@contoso.test')
    expect((await http(s.url(s.appHref))).status).toBe(401)
    const del = await http(s.url(s.appHref), { method: 'DELETE', token: s.token })
    expect(del.status).toBe(204)
    const gone = await s.get(s.appHref)
    expect(gone.status).toBe(404)
    expect(gone.json).toMatchObject({ code: 'NotFound', subcode: 'ApplicationNotFound' })
    const xml = await s.get(s.appHref, 'xml')
    expect(xml.xml.reason).toMatchObject({ code: 'NotFound', subcode: 'ApplicationNotFound' })
  })

  it('expires an inactive application (404 InactiveApplicationExpired) and limits applications per user', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock, config: { applicationIdleMs: 15 * 60_000, maxApplicationsPerUser: 2 } })
    const s = await signIn(sim, 'carol@contoso.test', { endpointId: 'a' })
    await signIn(sim, 'carol@contoso.test', { endpointId: 'b' })
    const third = await http(apps(sim), {
      method: 'POST',
      token: s.token,
      type: 'application/json',
      body: JSON.stringify({ UserAgent: 'x', EndpointId: 'c', Culture: 'en-US' }),
    })
    expect(third.json).toMatchObject({ code: 'Conflict', subcode: 'TooManyApplications' })
    clock.advance(14 * 60_000)
    expect((await s.get(s.appHref)).status).toBe(200) // a request counts as activity
    clock.advance(16 * 60_000)
    const expired = await s.get(s.appHref)
    expect(expired.json).toMatchObject({ code: 'NotFound', subcode: 'InactiveApplicationExpired' })
  })
})
