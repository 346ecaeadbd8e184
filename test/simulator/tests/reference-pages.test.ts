// The simulator against the reference pages: every property and link name it emits is one the resource's page lists,
// every enumerated value is a member of its enumeration page, dates have PayloadFormat.md's forms, and each resource
// has the shape of its page's GET samples (JSON and XML).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestPeer } from '../conference/test-peer'
import type { Simulator } from '../index'
import { escalate, joinConference, p2pCall } from './flows'
import { dataUrl, sdp, signIn, withSimulator, type Session } from './helpers'
import { enumerations, getSamples, ISO_8601, JSON_DATE, jsonKind, linkedEnumeration, pageNames, xmlKind, xmlProperties } from './pages'

type Json = Record<string, unknown> & { rel: string; _links?: Record<string, { href: string }>; _embedded?: Record<string, unknown> }

/** A resource as the simulator serves it on GET, in both payload formats. */
interface Served {
  json: Json
  jsonText: string
  xml: Map<string, { list: boolean; text: string }>
}

function collect(res: Json, found: Map<string, Json>): void {
  found.set(res.rel, res)
  for (const e of Object.values(res._embedded ?? {})) for (const one of [e].flat() as Json[]) collect(one, found)
}

/** GETs each resource's self link in JSON and in XML. */
async function serve(s: Session, found: Map<string, Json>): Promise<Map<string, Served>> {
  const out = new Map<string, Served>()
  for (const [rel, res] of found) {
    const href = res._links!.self!.href
    const [j, x] = [await s.get(href, 'json'), await s.get(href, 'xml')]
    if (j.status !== 200 || x.status !== 200) throw new Error(`GET ${rel} ${href}: ${j.status} ${x.status}`)
    out.set(rel, { json: j.json, jsonText: j.text, xml: xmlProperties(x.text) })
  }
  return out
}

let sim: Simulator
const seen = new Map<string, Json>()
let served = new Map<string, Served>()
const conference = new Map<string, Json>()
let conferenceServed = new Map<string, Served>()
const peers: TestPeer[] = []

beforeAll(async () => {
  sim = await withSimulator()
  const alice = await signIn(sim, 'alice@contoso.test')
  const bob = await signIn(sim, 'bob@contoso.test')
  collect(alice.app, seen)
  const started = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, {
    to: 'bob@contoso.test',
    _links: { mediaOffer: { href: dataUrl(sdp('o')) } },
  })
  collect(started.json, seen)
  const inv = (await bob.waitFor((e) => e.rel === 'audioVideoInvitation')).embedded
  await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=s`, sdp('a'), { type: 'application/sdp' })
  await alice.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'completed')
  for (const e of alice.events) if (e.embedded) collect(e.embedded, seen)
  // no event carries audioVideoSession (its page lists none): read it through audioVideo's link
  const av = alice.events.find((e) => e.rel === 'audioVideo' && e.embedded?._links.audioVideoSession)!.embedded
  const session = (await alice.get(av._links.audioVideoSession.href)).json
  collect(session, seen)
  collect((await alice.post(`${session._links!.renegotiations!.href}?operationId=hold`, sdp('hold'), { type: 'application/sdp' })).json, seen)
  const search = await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)
  collect(search.json, seen)
  const contact = search.json._embedded.contact[0]
  collect((await alice.get(contact._links.contactPresence.href)).json, seen)
  collect((await alice.get(`${alice.appHref}/me/presence`)).json, seen)
  collect((await alice.post(alice.app._embedded.people._links.presenceSubscriptions.href, { duration: 11, uris: ['sip:bob@contoso.test'] })).json, seen)
  served = await serve(alice, seen)

  // a conference: carol calls bob, invites alice (addParticipant) and escalates; alice joins
  const carol = await signIn(sim, 'carol@contoso.test')
  const call = await p2pCall(carol, bob, ['carol-p2p', 'bob-p2p'])
  peers.push(call.a, call.b)
  const added = await carol.post(`${call.aliceConv}/addParticipant`, { to: 'sip:alice@contoso.test', operationId: 'add-alice' })
  collect(added.json, conference)
  const moved = await escalate(carol, bob, call, { tags: ['carol', 'bob'] })
  peers.push(moved.a, moved.b)
  peers.push(await joinConference(alice, 'alice', alice.events.length))
  const conv = (await carol.get(call.aliceConv)).json
  collect(conv, conference)
  const participants = (await carol.get(conv._links.participants.href)).json
  for (const p of participants._embedded.participant) {
    collect(p, conference)
    collect((await carol.get(p._links.participantAudio.href)).json, conference)
    collect((await carol.get(p._links.participantVideo.href)).json, conference)
  }
  conferenceServed = await serve(carol, conference)
}, 60_000)
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()))
  await sim?.close()
})

// "contactPresence" is the rel of the page contactPresence_ref.md, and so on; a participant embedded as "from" is a participant
const pages: Record<string, string> = { localParticipant: 'participant' }
const pageOf = (rel: string): string => pages[rel] ?? rel

/**
 * Properties whose Properties row names no enumeration page though the property is one: each is the page whose
 * members its samples show (a test below checks that the page's own sample value is a member).
 */
const unlinked: Record<string, string> = {
  'conversation.state': 'ConversationState',
  'conversation.importance': 'Importance',
  'conversation.activeModalities': 'ConversationModalityType',
  'conversation.audienceMute': 'AudienceMuteLock',
  'conversation.audienceMessaging': 'AudienceMessaging',
  'audioVideo.state': 'CallState',
  'audioVideoSession.state': 'SessionState',
  'audioVideoInvitation.state': 'InvitationState',
  'audioVideoInvitation.direction': 'Direction',
  'audioVideoInvitation.importance': 'Importance',
  'participantInvitation.state': 'InvitationState',
  'participantInvitation.direction': 'Direction',
  'participantInvitation.importance': 'Importance',
  'audioVideoRenegotiation.direction': 'Direction',
  'communication.audioPreference': 'AudioPreference',
  'communication.conversationHistory': 'GenericPolicy',
  'communication.videoBasedScreenSharing': 'GenericPolicy',
}

const enumerationOf = (page: string, property: string): string | undefined => linkedEnumeration(page, property) ?? unlinked[`${page}.${property}`]

const propsOf = (res: Record<string, unknown>): Array<[string, unknown]> => Object.entries(res).filter(([k]) => !['rel', '_links', '_embedded'].includes(k))

/** Names the sample's JSON gives a resource's links and embedded resources. */
const sampleLinks = (sample: Record<string, unknown>): Set<string> =>
  new Set([...Object.keys((sample._links as object) ?? {}), ...Object.keys((sample._embedded as object) ?? {})])

function checkNames(rel: string, res: Json): void {
  const page = pageNames(pageOf(rel))
  expect(page.links.has('self'), `${rel}: the page's Links table was read`).toBe(true)
  const props = Object.keys(res).filter((k) => !['rel', '_links', '_embedded'].includes(k))
  expect(props.filter((p) => !page.properties.has(p)), `${rel} properties`).toEqual([])
  const links = [...Object.keys(res._links ?? {}), ...Object.keys(res._embedded ?? {})].filter((k) => k !== 'self')
  // a few pages list embedded collections under their Links table by the item's rel
  expect(links.filter((l) => !page.links.has(l) && !page.properties.has(l)), `${rel} links`).toEqual([])
}

function checkEnumerations(rel: string, s: Served): void {
  const page = pageOf(rel)
  const sample = getSamples(page).json ?? {}
  for (const [name, value] of propsOf(s.json)) {
    const which = enumerationOf(page, name)
    const sampled = sample[name]
    // a property whose page sample is an enumeration member must be known here as one (so none is missed)
    const looksEnumerated = [sampled].flat().some((v) => typeof v === 'string' && [...enumerations.values()].some((m) => m.has(v)))
    if (looksEnumerated) expect(which, `${rel}.${name}: the page's sample ${JSON.stringify(sampled)} is an enumeration member`).toBeDefined()
    if (!which) continue
    const members = enumerations.get(which)!
    if (sampled !== undefined) expect([sampled].flat().filter((v) => !members.has(String(v))), `${page}'s own sample of ${name} is a ${which} member`).toEqual([])
    expect([value].flat().filter((v) => typeof v !== 'string' || !members.has(v)), `${rel}.${name} = ${JSON.stringify(value)} is a ${which} member`).toEqual([])
  }
}

function checkDates(rel: string, s: Served): void {
  const samples = getSamples(pageOf(rel))
  const dates = new Set([
    ...propsOf(samples.json ?? {}).filter(([, v]) => jsonKind(v) === 'date').map(([k]) => k),
    ...[...(samples.xml ?? new Map<string, { text: string }>())].filter(([, v]) => xmlKind(v.text) === 'date').map(([k]) => k),
  ])
  for (const name of dates) {
    const value = s.json[name]
    if (value === undefined) continue
    expect(value, `${rel}.${name} in JSON`).toMatch(JSON_DATE)
    // the escaped slashes of ASP.NET AJAX's form, as on the page: "\/Date(1474932024822)\/"
    expect(s.jsonText, `${rel}.${name} as JSON text`).toMatch(new RegExp(`"${name}":"\\\\/Date\\(-?\\d+\\)\\\\/"`))
    const text = s.xml.get(name)?.text ?? ''
    expect(text, `${rel}.${name} in XML`).toMatch(ISO_8601)
    expect(Date.parse(text), `${rel}.${name}: the same instant in both forms`).toBe(Number(/-?\d+/.exec(String(value))![0]))
  }
}

function checkShape(rel: string, s: Served): void {
  const { json, xml } = getSamples(pageOf(rel))
  expect(json, `${rel}: the page has a JSON sample`).toBeDefined()
  expect(xml, `${rel}: the page has an XML sample`).toBeDefined()
  const sampleProps = new Map(propsOf(json!))
  const props = propsOf(s.json)
  expect(props.filter(([k]) => !sampleProps.has(k)).map(([k]) => k), `${rel}: properties the JSON sample has`).toEqual([])
  expect(
    props.filter(([k, v]) => sampleProps.has(k) && jsonKind(v) !== jsonKind(sampleProps.get(k))).map(([k, v]) => `${k}: ${jsonKind(v)}, not ${jsonKind(sampleProps.get(k))}`),
    `${rel}: JSON value types`,
  ).toEqual([])
  const links = Object.keys(s.json._links ?? {}).filter((k) => k !== 'self')
  const embedded = Object.keys(s.json._embedded ?? {})
  expect([...links, ...embedded].filter((k) => !sampleLinks(json!).has(k)), `${rel}: links the JSON sample has`).toEqual([])
  // XML: the same properties as the JSON form, each as property or propertyList and of the kind the XML sample shows
  expect([...s.xml.keys()].filter((k) => k !== 'rel').sort(), `${rel}: XML and JSON carry the same properties`).toEqual(props.map(([k]) => k).sort())
  expect(
    [...s.xml]
      .filter(([k]) => xml!.has(k))
      .filter(([k, v]) => v.list !== xml!.get(k)!.list || (!v.list && xmlKind(v.text) !== xmlKind(xml!.get(k)!.text)))
      .map(([k, v]) => `${k}: ${v.list ? 'list' : xmlKind(v.text)}, not ${xml!.get(k)!.list ? 'list' : xmlKind(xml!.get(k)!.text)}`),
    `${rel}: XML value types`,
  ).toEqual([])
}

const callResources = ['application', 'me', 'people', 'communication', 'conversation', 'audioVideo', 'audioVideoInvitation', 'audioVideoNegotiation', 'audioVideoSession', 'participant', 'localParticipant', 'search', 'contact', 'contactPresence', 'presence', 'presenceSubscription', 'audioVideoRenegotiation', 'onlineMeetings']
const conferenceResources = ['conversation', 'participantInvitation', 'participant', 'participantAudio', 'participantVideo']

describe('names match the reference pages', () => {
  it('covers the resources of sign-in, a call, people search and presence, and of a conference', () => {
    expect([...seen.keys()].sort()).toEqual([...callResources].sort())
    expect([...conference.keys()].sort()).toEqual([...conferenceResources].sort())
  })
  for (const rel of callResources) it(rel, () => checkNames(rel, seen.get(rel)!))
  for (const rel of conferenceResources) it(`${rel} (conference)`, () => checkNames(rel, conference.get(rel)!))
})

describe('values match the reference pages', () => {
  for (const [label, rels, forms] of [
    ['', callResources, () => served],
    [' (conference)', conferenceResources, () => conferenceServed],
  ] as const) {
    for (const rel of rels) {
      it(`${rel}${label}: enumerated values are members of their enumeration page`, () => checkEnumerations(rel, forms().get(rel)!))
      it(`${rel}${label}: dates are /Date(ms)/ in JSON and ISO 8601 in XML`, () => checkDates(rel, forms().get(rel)!))
      it(`${rel}${label}: the shape of the page's JSON and XML samples`, () => checkShape(rel, forms().get(rel)!))
    }
  }
  it('the checks reach the values the pages single out', () => {
    const conv = served.get('conversation')!
    expect(conv.json.audienceMute).toBe('Unknown') // a two-party conversation has no audience
    expect(conference.get('conversation')!.audienceMute).toBe('Disabled')
    expect(conv.xml.get('created')!.text).toMatch(ISO_8601)
    expect(served.get('contactPresence')!.json.lastActive).toMatch(JSON_DATE)
  })
})
