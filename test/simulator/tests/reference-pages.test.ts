// Every property and link name the simulator emits must be one the resource's reference page lists.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
import { dataUrl, sdp, signIn, withSimulator, type Session } from './helpers'

const docs = resolve(import.meta.dirname, '../../../../shared/ucwa-docs')

/** Names in the "Properties" and "Links" tables of a _ref.md page. */
export function pageNames(rel: string): { properties: Set<string>; links: Set<string> } {
  const text = readFileSync(resolve(docs, `${rel}_ref.md`), 'utf8')
  const section = (title: string): Set<string> => {
    const start = text.indexOf(`### ${title}`)
    if (start < 0) return new Set()
    const end = text.slice(start + 4).search(/\n#{2,3} /)
    const body = text.slice(start, end < 0 ? undefined : start + 4 + end)
    return new Set([...body.matchAll(/^\|\s*([A-Za-z0-9]+)\s*\|/gm)].map((m) => m[1]!).filter((n) => n !== 'Name' && n !== 'Link'))
  }
  return { properties: section('Properties'), links: section('Links') }
}

type Json = Record<string, unknown> & { rel: string; _links?: Record<string, unknown>; _embedded?: Record<string, unknown> }

function check(res: Json, found: Map<string, Json>): void {
  found.set(res.rel, res)
  for (const e of Object.values(res._embedded ?? {})) for (const one of [e].flat() as Json[]) check(one, found)
}

let sim: Simulator
let alice: Session
const seen = new Map<string, Json>()

beforeAll(async () => {
  sim = await withSimulator()
  alice = await signIn(sim, 'alice@contoso.test')
  const bob = await signIn(sim, 'bob@contoso.test')
  check(alice.app, seen)
  const started = await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, {
    to: 'bob@contoso.test',
    _links: { mediaOffer: { href: dataUrl(sdp('o')) } },
  })
  check(started.json, seen)
  const inv = (await bob.waitFor((e) => e.rel === 'audioVideoInvitation')).embedded
  await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=s`, sdp('a'), { type: 'application/sdp' })
  await alice.waitFor((e) => e.rel === 'audioVideoInvitation' && e.type === 'completed')
  for (const e of alice.events) if (e.embedded) check(e.embedded, seen)
  // no event carries audioVideoSession (its page lists none): read it through audioVideo's link
  const av = alice.events.find((e) => e.rel === 'audioVideo' && e.embedded?._links.audioVideoSession)!.embedded
  check((await alice.get(av._links.audioVideoSession.href)).json, seen)
  const search = await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)
  check(search.json, seen)
  const contact = search.json._embedded.contact[0]
  check((await alice.get(contact._links.contactPresence.href)).json, seen)
  check((await alice.get(`${alice.appHref}/me/presence`)).json, seen)
})
afterAll(() => sim.close())

// "contactPresence" is the rel of the page contactPresence_ref.md, and so on; a participant embedded as "from" is a participant
const pages: Record<string, string> = { localParticipant: 'participant' }

describe('names match the reference pages', () => {
  const expected = ['application', 'me', 'people', 'communication', 'conversation', 'audioVideo', 'audioVideoInvitation', 'audioVideoNegotiation', 'audioVideoSession', 'participant', 'localParticipant', 'search', 'contact', 'contactPresence', 'presence']
  it('covers the resources of sign-in, a call and people search', () => {
    expect([...seen.keys()].sort()).toEqual([...expected].sort())
  })
  for (const rel of expected) {
    it(rel, () => {
      const res = seen.get(rel)!
      const page = pageNames(pages[rel] ?? rel)
      expect(page.links.has('self'), `${rel}: the page's Links table was read`).toBe(true)
      const props = Object.keys(res).filter((k) => !['rel', '_links', '_embedded'].includes(k))
      expect(props.filter((p) => !page.properties.has(p)), `${rel} properties`).toEqual([])
      const links = [...Object.keys(res._links ?? {}), ...Object.keys(res._embedded ?? {})].filter((k) => k !== 'self')
      // a few pages list embedded collections under their Links table by the item's rel
      expect(links.filter((l) => !page.links.has(l) && !page.properties.has(l)), `${rel} links`).toEqual([])
    })
  }
})
