import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Simulator } from '../index'
import { dataUrl, sdp, signIn, withSimulator } from './helpers'

let sim: Simulator
afterEach(() => sim?.close())

const settle = () => new Promise((r) => setTimeout(r, 30))

describe('me and people', () => {
  it('makeMeAvailable once; reportMyActivity and presence need it first', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test', { available: false })
    const me = alice.app._embedded.me._links
    expect(me.presence).toBeUndefined()
    expect((await alice.post(`${alice.appHref}/me/reportMyActivity`)).json).toMatchObject({ code: 'Conflict', subcode: 'MakeMeAvailableRequired' })
    expect((await alice.post(me.makeMeAvailable.href, { SupportedModalities: ['Telepathy'] })).json.subcode).toBe('ParameterValidationFailure')
    // makeMeAvailable_ref.md lists the modalities one by one: "AudioVideo" is none of them
    expect((await alice.post(me.makeMeAvailable.href, { SupportedModalities: ['AudioVideo'] })).json.subcode).toBe('ParameterValidationFailure')
    expect((await alice.post(me.makeMeAvailable.href, { SupportedModalities: ['Audio', 'Video'], signInAs: 'Busy' })).status).toBe(204)
    expect((await alice.post(me.makeMeAvailable.href, {})).json).toMatchObject({ code: 'Conflict', subcode: 'AlreadyExists' })
    const after = await alice.get(`${alice.appHref}/me`)
    expect(after.json._links.makeMeAvailable).toBeUndefined()
    expect(after.json._links.presence).toBeDefined()
    expect((await alice.get(after.json._links.presence.href)).json.availability).toBe('Busy')
    expect((await alice.post(after.json._links.reportMyActivity.href)).status).toBe(204)
  })

  it('search finds people by name or SIP address, with limit validation', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const search = alice.app._embedded.people._links.search.href
    const byName = await alice.get(`${search}?query=brenn`)
    expect(byName.json._embedded.contact.map((c: { uri: string }) => c.uri)).toEqual(['sip:bob@contoso.test'])
    expect(byName.json.moreResultsAvailable).toBe(false)
    const bySip = await alice.get(`${search}?query=${encodeURIComponent('sip:carol@contoso.test')}`)
    expect(bySip.json._embedded.contact[0]).toMatchObject({ name: 'Carol Castillo', type: 'User', sourceNetwork: 'SameEnterprise' })
    const limited = await alice.get(`${search}?query=contoso&limit=2`)
    expect(limited.json._embedded.contact).toHaveLength(2)
    expect(limited.json.moreResultsAvailable).toBe(true)
    expect((await alice.get(`${search}?query=a&limit=0`)).json.subcode).toBe('ParameterValidationFailure')
    expect((await alice.get(search)).json.subcode).toBe('ParameterValidationFailure')
    const contacts = await alice.get(alice.app._embedded.people._links.myContacts.href)
    expect(contacts.json._embedded.contact.map((c: { name: string }) => c.name)).toEqual(['Bob Brennan', 'Carol Castillo', 'Dave Dubois', 'Echo Test Service', 'Erin Ellis'])
  })

  it('contact presence: Offline, Online, Busy in a call, Away after inactivity, Away when off work', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bobContact = (await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)).json._embedded.contact[0]
    const full = () => alice.get(bobContact._links.contactPresence.href).then((r) => r.json)
    const presence = () => full().then((p) => p.availability)
    expect(await full()).toEqual({ rel: 'contactPresence', availability: 'Offline', _links: expect.anything() }) // no device, no last activity
    const bob = await signIn(sim, 'bob@contoso.test')
    expect(await presence()).toBe('Online')
    // ContactDeviceType_ref.md: a computer is "PC"; lastActive is when Bob last used it (contactPresence_ref.md), as /Date(ms)/
    expect(await full()).toMatchObject({ deviceType: 'PC', lastActive: `/Date(${clock.now()})/` })
    await alice.post(alice.app._embedded.communication._links.startAudioVideo.href, { to: 'bob@contoso.test', _links: { mediaOffer: { href: dataUrl(sdp('o')) } } })
    const inv = (await bob.waitFor((e) => e.rel === 'audioVideoInvitation')).embedded
    await bob.post(`${inv._links.acceptWithAnswer.href}?sessionContext=s`, sdp('a'), { type: 'application/sdp' })
    expect(await full()).toMatchObject({ availability: 'Busy', activity: 'on-the-phone' }) // a well-known activity of contactPresence_ref.md
    await bob.post(`${bob.appHref}/communication/conversations/${inv._links.conversation.href.split('/').at(-1)}/audioVideo/stopAudioVideo`)
    clock.advance(6 * 60_000)
    expect(await presence()).toBe('Away')
    await bob.post(`${bob.appHref}/me/reportMyActivity`)
    expect(await full()).toMatchObject({ availability: 'Online', lastActive: `/Date(${clock.now()})/` })
    // off work is something to choose (PreferredAvailability_ref.md) but no Availability_ref.md member
    await bob.post(`${bob.appHref}/me/presence`, { availability: 'Offwork' })
    expect(await full()).toMatchObject({ availability: 'Away', activity: 'off-work' })
    expect((await bob.get(`${bob.appHref}/me/presence`)).json).toMatchObject({ availability: 'Away', activity: 'off-work' })
  })

  it('presence subscription: current presence at once, then each change as a contactPresence event; extended, expiring, deleted', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const alice = await signIn(sim, 'alice@contoso.test')
    const subs = alice.app._embedded.people._links.presenceSubscriptions.href
    expect((await alice.post(subs, { duration: 5, uris: ['sip:bob@contoso.test'] })).json.subcode).toBe('ParameterValidationFailure')
    expect((await alice.post(subs, { duration: 20 })).json.subcode).toBe('ParameterValidationFailure')
    const created = await alice.post(subs, { duration: 11, uris: ['sip:bob@contoso.test', 'sip:carol@contoso.test'] })
    expect(created.status, created.text).toBe(201)
    const sub = created.json._links.self.href
    const presenceOf = (who: string) => (e: { rel: string; type: string; href: string; embedded?: { availability?: string } }) => e.rel === 'contactPresence' && e.type === 'updated' && e.href.includes(`/people/`) && e.href.includes(who)
    const bobKey = (await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)).json._embedded.contact[0]._links.contactPresence.href.split('/').at(-2)
    clock.advance(5_000) // contactPresence is a medium-priority event: the channel aggregates it for up to 5 s
    expect((await alice.waitFor(presenceOf(bobKey))).embedded.availability).toBe('Offline')

    // Bob signs in: Alice hears Online without asking; then Busy in a call, then Do not disturb
    let seen = alice.events.length
    const bob = await signIn(sim, 'bob@contoso.test')
    clock.advance(5_000)
    expect((await alice.waitFor(presenceOf(bobKey), { after: seen })).embedded.availability).toBe('Online')
    seen = alice.events.length
    await bob.post(`${bob.appHref}/me/presence`, { availability: 'DoNotDisturb' })
    clock.advance(5_000)
    expect((await alice.waitFor(presenceOf(bobKey), { after: seen })).embedded.availability).toBe('DoNotDisturb')

    // a minute before it runs out the pool says so; extending keeps it; after that it expires (404)
    seen = alice.events.length
    clock.advance(10 * 60_000 + 5_000)
    await alice.waitFor((e) => e.rel === 'presenceSubscription' && e.type === 'updated', { after: seen })
    expect((await alice.post(`${sub}?duration=30`)).status).toBe(200)
    clock.advance(2 * 60_000)
    expect((await alice.get(sub)).status).toBe(200)
    expect((await alice.post(`${sub}?duration=99`)).json.subcode).toBe('ParameterValidationFailure')
    // the application kept alive by requests, the subscription itself runs out 30 minutes after the extension
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * 60_000)
      await alice.get(`${alice.appHref}/me`)
    }
    const expired = await alice.post(`${sub}?duration=11`)
    expect(expired.status).toBe(404)
    expect(expired.json.subcode).toBeUndefined() // the subscription is gone, not the application

    const again = (await alice.post(subs, { duration: 10, uris: ['sip:bob@contoso.test'] })).json._links.self.href
    expect((await alice.delete(again)).status).toBe(204)
    expect((await alice.get(again)).status).toBe(404)
  })

  it('a contact changing presence 200 times within the aggregation window: the pool holds one event for it, and the watcher hears the latest state once (issue #24)', async () => {
    const clock = new ManualClock()
    sim = await withSimulator({ clock })
    const alice = await signIn(sim, 'alice@contoso.test')
    const bob = await signIn(sim, 'bob@contoso.test')
    const channelOf = (s: typeof alice) => sim.control.world.apps.get(s.appHref.split('/').at(-1)!)!.channel
    expect((await alice.post(alice.app._embedded.people._links.presenceSubscriptions.href, { duration: 30, uris: ['sip:bob@contoso.test'] })).status).toBe(201)
    const bobKey = (await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)).json._embedded.contact[0]._links.contactPresence.href.split('/').at(-2)
    const bobs = (e: { rel: string; type: string; href: string }) => e.rel === 'contactPresence' && e.type === 'updated' && e.href.includes(bobKey)
    clock.advance(5_000)
    await alice.waitFor(bobs)
    await alice.waitFor((e) => e.rel === 'presenceSubscription' && e.type === 'added')
    const bobHeld = channelOf(bob).held
    const choices = ['Busy', 'Away', 'DoNotDisturb', 'Online']
    for (let i = 0; i < 200; i++) expect((await bob.post(`${bob.appHref}/me/presence`, { availability: choices[i % 4] })).status).toBe(204)
    // EventsInUCWA.md: "multiple presence change events for a single contact will be merged into one event showing just the latest state"
    expect(channelOf(alice).held).toBe(1)
    expect(channelOf(bob).held).toBe(bobHeld + 1) // Bob's own presence, one update however often he changed it
    const seen = alice.events.length
    const next = alice.poll()
    await settle()
    clock.advance(5_000)
    expect((await next).status).toBe(200)
    expect(alice.events.slice(seen).filter(bobs).map((e) => e.embedded.availability)).toEqual(['Online'])
  })

  it('photos: mine and a contact’s, as PNG in the size asked; someone else’s "me" photo is not mine to read', async () => {
    sim = await withSimulator()
    const alice = await signIn(sim, 'alice@contoso.test')
    const bytes = async (href: string) => {
      const res = await fetch(alice.url(href), { headers: { Authorization: `Bearer ${alice.token}`, Accept: 'image/jpeg, image/png' } })
      return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) }
    }
    const mine = await bytes(`${alice.app._embedded.me._links.photo.href}?size=HR64X64`)
    expect(mine).toMatchObject({ status: 200, type: 'image/png' })
    expect(mine.body.subarray(1, 4).toString()).toBe('PNG')
    expect(mine.body.readUInt32BE(16)).toBe(64) // IHDR width
    const bob = (await alice.get(`${alice.app._embedded.people._links.search.href}?query=bob`)).json._embedded.contact[0]
    const his = await bytes(bob._links.contactPhoto.href)
    expect(his.body.readUInt32BE(16)).toBe(48) // the default HR48X48
    expect(his.body.equals(mine.body)).toBe(false)
    expect((await bytes(alice.app._embedded.me._links.photo.href.replace('alice', 'bob'))).status).toBe(404)
  })
})
