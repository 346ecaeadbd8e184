// Online meetings and guests against the pages: myOnlineMeetings_ref.md (POST, GET), myOnlineMeeting_ref.md (GET, PUT,
// DELETE), onlineMeetings_ref.md, AccessLevel_ref.md and its sister enumerations, AuthenticationInUCWA.md's
// urn:microsoft.rtc:anonmeeting grant, anonApplications_ref.md, and a guest seeing nothing of the directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
import { http, signIn, withSimulator, type Format, type Session } from './helpers'
import { enumerations, pageNames, xmlProperties } from './pages'
import type { User } from '../pool/directory'
import { bypassesLobby, type AccessLevel, type Meeting } from '../pool/meetings'

let sim: Simulator
let alice: Session
let bob: Session

beforeAll(async () => {
  sim = await withSimulator()
  alice = await signIn(sim, 'alice@contoso.test')
  bob = await signIn(sim, 'bob@contoso.test')
})
afterAll(() => sim.close())

const myOnlineMeetings = (s: Session): string => s.app._embedded.onlineMeetings._links.myOnlineMeetings.href

async function put(s: Session, href: string, body: unknown, accept: Format = 'json', type = 'application/json') {
  return http(s.url(href), { method: 'PUT', token: s.token, accept, type, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

async function anonToken(origin: string, form: Record<string, string>) {
  return http(`${origin}/WebTicket/oauthtoken`, {
    method: 'POST',
    type: 'application/x-www-form-urlencoded;charset=UTF-8',
    body: new URLSearchParams({ grant_type: 'urn:microsoft.rtc:anonmeeting', ...form }).toString(),
  })
}

describe('myOnlineMeetings: Meet now and scheduled meetings', () => {
  it('the application embeds onlineMeetings with the myOnlineMeetings link, names from onlineMeetings_ref.md', () => {
    const om = alice.app._embedded.onlineMeetings
    const page = pageNames('onlineMeetings')
    expect(Object.keys(om._links).filter((l) => !page.links.has(l))).toEqual([])
    expect(om._links.myOnlineMeetings.href).toMatch(/\/onlineMeetings\/myOnlineMeetings$/)
  })

  it('POST with no body creates an ad hoc meeting: join URL and conference URI in the pages’ forms, 201 with Location', async () => {
    const r = await alice.post(myOnlineMeetings(alice), '{}')
    expect(r.status).toBe(201)
    const m = r.json
    expect(r.headers.get('location')).toBe(m._links.self.href)
    expect(m.rel).toBe('myOnlineMeeting')
    expect(m.onlineMeetingId).toMatch(/^[A-Z0-9]{8}$/)
    expect(m.onlineMeetingUri).toBe(`sip:alice@contoso.test;gruu;opaque=app:conf:focus:id:${m.onlineMeetingId}`)
    expect(m.joinUrl).toBe(`https://meet.contoso.test/alice/${m.onlineMeetingId}`)
    expect(m.organizerUri).toBe('sip:alice@contoso.test')
    expect(m.leaders).toEqual(['sip:alice@contoso.test'])
    expect(m.legacyOnlineMeetingUri).toBe(`conf:${m.onlineMeetingUri}`)
    expect(m.onlineMeetingRel).toBe('myOnlineMeetings')
    // "If no value is supplied, the expiry time is set to 8 hours."
    const expires = Number(/\d+/.exec(m.expirationTime)![0])
    expect(Math.abs(expires - (Date.now() + 8 * 3600_000))).toBeLessThan(60_000)
    const page = pageNames('myOnlineMeeting')
    expect(Object.keys(m).filter((k) => !['rel', '_links', '_embedded'].includes(k) && !page.properties.has(k))).toEqual([])
  })

  it('every enumerated property is a member of its page (AccessLevel, AutomaticLeaderAssignment, EntryExitAnnouncement, ...)', async () => {
    const m = (await alice.post(myOnlineMeetings(alice), '{}')).json
    for (const [prop, page] of [
      ['accessLevel', 'AccessLevel'],
      ['automaticLeaderAssignment', 'AutomaticLeaderAssignment'],
      ['entryExitAnnouncement', 'EntryExitAnnouncement'],
      ['lobbyBypassForPhoneUsers', 'LobbyBypassForPhoneUsers'],
      ['phoneUserAdmission', 'PhoneUserAdmission'],
      ['onlineMeetingRel', 'OnlineMeetingRel'],
    ] as const) {
      expect(enumerations.get(page), page).toBeDefined()
      expect(enumerations.get(page)!.has(m[prop]), `${prop} = ${m[prop]}`).toBe(true)
    }
  })

  it('POST a scheduled meeting with the page sample’s body (spaced "sip : " addresses, /Date()/), then GET it in XML', async () => {
    const expires = Date.now() + 7 * 24 * 3600_000
    const r = await alice.post(myOnlineMeetings(alice), {
      accessLevel: 'Invited',
      attendees: ['sip : bob@contoso.test'],
      leaders: ['sip : carol@contoso.test'],
      automaticLeaderAssignment: 'SameEnterprise',
      entryExitAnnouncement: 'Enabled',
      description: 'Review',
      expirationTime: `/Date(${expires})/`,
      subject: 'Quarterly sales numbers',
    })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      accessLevel: 'Invited',
      attendees: ['sip:bob@contoso.test'],
      leaders: ['sip:alice@contoso.test', 'sip:carol@contoso.test'],
      entryExitAnnouncement: 'Enabled',
      subject: 'Quarterly sales numbers',
      expirationTime: `/Date(${expires})/`,
    })
    const x = await alice.get(r.json._links.self.href, 'xml')
    expect(x.status).toBe(200)
    const props = xmlProperties(x.text)
    expect(props.get('subject')).toEqual({ list: false, text: 'Quarterly sales numbers' })
    expect(props.get('attendees')).toEqual({ list: true, text: 'sip:bob@contoso.test' })
    expect(Date.parse(props.get('expirationTime')!.text)).toBe(expires)
    expect(props.get('joinUrl')!.text).toBe(r.json.joinUrl)
  })

  it('GET lists the organizer’s meetings only; PUT changes one (XML input too); DELETE removes it, then 404', async () => {
    const created = (await alice.post(myOnlineMeetings(alice), { subject: 'Plan' })).json
    const mine = (await alice.get(myOnlineMeetings(alice))).json
    expect(mine.rel).toBe('myOnlineMeetings')
    expect(mine._embedded.myOnlineMeeting.map((m: { onlineMeetingId: string }) => m.onlineMeetingId)).toContain(created.onlineMeetingId)
    const bobs = (await bob.get(myOnlineMeetings(bob))).json
    expect(bobs._embedded.myOnlineMeeting ?? []).toEqual([])
    // another user's application cannot reach it through its own tree either
    expect((await bob.get(created._links.self.href.replace(alice.appHref, bob.appHref))).status).toBe(404)

    const changed = await put(alice, created._links.self.href, { accessLevel: 'Everyone', subject: 'Plan B' })
    expect(changed.status).toBe(200)
    expect(changed.json).toMatchObject({ accessLevel: 'Everyone', subject: 'Plan B', onlineMeetingUri: created.onlineMeetingUri })
    const xmlBody = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="accessLevel">Locked</property></input>`
    const viaXml = await put(alice, created._links.self.href, xmlBody, 'xml', 'application/xml')
    expect(viaXml.status).toBe(200)
    expect(xmlProperties(viaXml.text).get('accessLevel')!.text).toBe('Locked')

    expect((await alice.delete(created._links.self.href)).status).toBe(204)
    const gone = await alice.get(created._links.self.href)
    expect(gone.status).toBe(404)
    expect(gone.json.code).toBe('NotFound')
  })

  it('refuses values outside the pages’ enumerations and dates outside the allowed range with ParameterValidationFailure', async () => {
    for (const body of [
      { accessLevel: 'Anyone' },
      { entryExitAnnouncement: 'Loud' },
      { attendees: ['bob'] },
      { expirationTime: `/Date(${Date.now() + 11 * 365 * 24 * 3600_000})/` },
      { expirationTime: 'tomorrow' },
      { subject: 'x'.repeat(251) },
    ]) {
      const r = await alice.post(myOnlineMeetings(alice), body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.json).toMatchObject({ code: 'BadRequest', subcode: 'ParameterValidationFailure' })
    }
  })
})

describe('guests: the anonmeeting grant and anonApplications', () => {
  let meeting: { onlineMeetingUri: string; onlineMeetingId: string }
  beforeAll(async () => {
    meeting = (await alice.post(myOnlineMeetings(alice), { subject: 'Guests welcome' })).json
  })
  const pool = () => sim.pools[0]!.origin

  it('the challenge offers the anonmeeting grant', async () => {
    const r = await http(`${pool()}/autodiscover/autodiscoverservice.svc/root/oauth/user`)
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toContain('urn:microsoft.rtc:anonmeeting')
  })

  it('a wrong conference key, an unknown meeting and a missing parameter are refused as OAuth errors', async () => {
    expect((await anonToken(pool(), { password: 'WRONG123', ms_rtc_conferenceuri: meeting.onlineMeetingUri })).json.error).toBe('invalid_grant')
    const unknown = meeting.onlineMeetingUri.replace(/id:\w+$/, 'id:ZZZZ9999')
    expect((await anonToken(pool(), { password: 'ZZZZ9999', ms_rtc_conferenceuri: unknown })).json.error).toBe('invalid_grant')
    const r = await anonToken(pool(), { password: meeting.onlineMeetingId })
    expect(r.status).toBe(400)
    expect(r.json.error).toBe('invalid_request')
  })

  it('a guest gets a token, the user resource leads to anonApplications, and POST makes an application whose me has only its URI', async () => {
    const t = await anonToken(pool(), { password: meeting.onlineMeetingId, ms_rtc_conferenceuri: meeting.onlineMeetingUri })
    expect(t.status).toBe(200)
    expect(t.json).toMatchObject({ token_type: 'Bearer' })
    const token = t.json.access_token as string
    const user = await http(`${pool()}/autodiscover/autodiscoverservice.svc/root/oauth/user`, { token })
    expect(user.status).toBe(200)
    expect(user.json._links.applications).toBeUndefined()
    const anon = user.json._links.anonApplications.href as string

    const noAgent = await http(anon, { method: 'POST', token, type: 'application/json', body: JSON.stringify({ culture: 'en-us' }) })
    expect(noAgent.status).toBe(400)
    expect(noAgent.json.subcode).toBe('ParameterValidationFailure')

    const created = await http(anon, { method: 'POST', token, type: 'application/json', body: JSON.stringify({ culture: 'en-us', userAgent: 'Guest/1.0' }) })
    expect(created.status).toBe(201)
    const app = created.json
    expect(app.rel).toBe('application')
    expect(Object.keys(app._embedded).sort()).toEqual(['communication', 'me'])
    // MeDashboard.md: "only the user's URI and name are exposed"; the name comes with joinOnlineMeeting (anonymousDisplayName)
    const me = app._embedded.me
    expect(Object.keys(me).filter((k) => !['rel', '_links'].includes(k))).toEqual(['uri'])
    expect(me.uri).toMatch(/^sip:guest-\w+@contoso\.test$/)
    expect(app._embedded.communication._links.joinOnlineMeeting).toBeDefined()
    expect(app._embedded.communication._links.startAudioVideo).toBeUndefined()

    const get = (href: string) => http(new URL(href, pool()).toString(), { token })
    expect((await get(app._links.self.href)).status).toBe(200)
    expect((await get(me._links.self.href)).json.uri).toBe(me.uri)
    // nothing of the directory: people, search, a contact, photos, meetings; and no ordinary application
    const base = app._links.self.href as string
    for (const path of ['/people', '/people/search?query=bob', '/people/u2', '/people/u2/presence', '/photos/bob@contoso.test', '/onlineMeetings/myOnlineMeetings']) {
      const r = await get(`${base}${path}`)
      expect(r.status, path).toBe(403)
      expect(r.json, path).toMatchObject({ code: 'Forbidden', subcode: 'AnonymousNotAllowed' })
    }
    const ordinary = await http(`${pool()}/ucwa/oauth/v1/applications`, { method: 'POST', token, type: 'application/json', body: JSON.stringify({ UserAgent: 'x', EndpointId: 'e', Culture: 'en-us' }) })
    expect(ordinary.status).toBe(403)
    const call = await http(new URL(`${base}/communication/startAudioVideo`, pool()).toString(), { method: 'POST', token, type: 'application/json', body: '{"to":"sip:bob@contoso.test"}' })
    expect(call.status).toBe(403)
    // an ordinary user's token creates no anonymous application
    const asAlice = await http(anon, { method: 'POST', token: alice.token, type: 'application/json', body: JSON.stringify({ culture: 'en-us', userAgent: 'x' }) })
    expect(asAlice.status).toBe(403)
  })

  it('anonApplications answers XML as asked', async () => {
    const token = (await anonToken(pool(), { password: meeting.onlineMeetingId, ms_rtc_conferenceuri: meeting.onlineMeetingUri })).json.access_token
    const body = `<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="culture">en-us</property><property name="userAgent">Guest/1.0</property></input>`
    const r = await http(`${pool()}/ucwa/oauth/v1/anonApplications`, { method: 'POST', token, accept: 'xml', type: 'application/xml', body })
    expect(r.status).toBe(201)
    expect(r.text).toContain('<resource rel="application"')
    expect(r.text).toMatch(/<property name="uri">sip:guest-\w+@contoso\.test<\/property>/)
  })
})

describe('who bypasses the lobby (AccessLevel_ref.md)', () => {
  const organizerUser = { sip: 'alice@contoso.test', uri: 'sip:alice@contoso.test' } as User
  const at = (accessLevel: AccessLevel, lists: Partial<Pick<Meeting, 'attendees' | 'leaders'>> = {}): Meeting =>
    ({ organizer: organizerUser, accessLevel, attendees: [], leaders: [], ...lists }) as Meeting
  const organizerJoins = { uri: 'SIP:Alice@contoso.test', guest: false }
  const colleague = { uri: 'sip:bob@contoso.test', guest: false }
  const invitedColleague = { uri: 'sip:carol@contoso.test', guest: false }
  const guest = { uri: 'sip:guest-1@contoso.test', guest: true }

  it.each([
    // level, organizer, a colleague not listed, a listed colleague, a guest
    ['Everyone', true, true, true, true],
    ['SameEnterprise', true, true, true, false],
    ['Invited', true, false, true, false],
    ['Locked', true, false, false, false],
  ] as const)('%s: organizer %s, colleague %s, invited colleague %s, guest %s', (level, o, c, i, g) => {
    const m = at(level, { attendees: ['sip:carol@contoso.test'] })
    expect([organizerJoins, colleague, invitedColleague, guest].map((j) => bypassesLobby(m, j))).toEqual([o, c, i, g])
  })

  it('Invited counts leaders as invited; a guest whose URI happens to be listed is still a guest', () => {
    const m = at('Invited', { leaders: ['sip:bob@contoso.test'], attendees: ['sip:guest-1@contoso.test'] })
    expect(bypassesLobby(m, colleague)).toBe(true)
    expect(bypassesLobby(m, guest)).toBe(false)
  })
})
