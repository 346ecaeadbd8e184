// Online meetings wired into the call engine, against the simulator with werift media: Meet now, join by link, a guest
// held in the lobby then admitted, a rejected guest, and a leader's mute, promote and remove.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MeetingSnapshot } from '../../preload/contract'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { anonMeetingGrant } from '../../main/ucwa/anonymous'
import { CallEngine } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import type { Format } from '../../main/ucwa/http'
import { meetingAddressFromUrl } from '../../main/ucwa/meeting-url'
import { OnlineMeetings } from '../../main/ucwa/online-meetings'
import { startSimulator, type Simulator } from '../simulator/index'
import { WeriftMedia } from '../support/werift-media'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

interface Attendee {
  engine: CallEngine
  media: WeriftMedia
  meetings: OnlineMeetings
  client: UcwaClient
  /** the newest snapshot of the meeting with that id */
  meeting: (id: string) => MeetingSnapshot | undefined
}

function withMeetings(u: Pick<Attendee, 'client' | 'engine' | 'media'>): Attendee {
  const meetings = new OnlineMeetings(u.client, u.engine)
  const seen = new Map<string, MeetingSnapshot>()
  meetings.onChange((m) => void seen.set(m.id, m))
  return { ...u, meetings, meeting: (id) => seen.get(id) }
}

/** the payload format every client of the running test asks for (PayloadFormat.md: JSON or XML) */
let format: Format = 'json'

async function member(name: string): Promise<Attendee> {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(name)
  const engine = new CallEngine(client, media)
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  return withMeetings({ client, engine, media })
}

/** someone with no account: the anonmeeting grant for the meeting of `url`, as the core's meetings.joinAsGuest does */
async function guest(url: string, name: string): Promise<Attendee & { join: () => Promise<MeetingSnapshot> }> {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(name.toLowerCase())
  const engine = new CallEngine(client, media)
  const address = meetingAddressFromUrl(url)
  await client.signIn({ sipAddress: address.organizerUri, password: '', remember: false, guest: true, discoveryUrl: sim.url, grant: (h, c, at) => anonMeetingGrant(h, c, address, at) })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  const a = withMeetings({ client, engine, media })
  return { ...a, join: () => a.meetings.join(url, { anonymousDisplayName: name }) }
}

const peerOf = (a: Attendee, m: MeetingSnapshot | undefined) => (m?.callId ? a.media.current(m.callId) : undefined)

// events embedded and link-only (as real pools mostly send them), and the XML dialect
describe.each([
  { events: 'embedded', dialect: 'json' },
  { events: 'link-only', dialect: 'json' },
  { events: 'link-only', dialect: 'xml' },
] as const)('online meetings ($events events, $dialect)', ({ events, dialect }) => {
  beforeEach(() => void (format = dialect))

  it('Meet now: Alice is in the meeting with audio and video at once, with its link; Bob joins by the link; both hear and see each other', async () => {
    sim = await startSimulator({ events })
    const alice = await member('alice')
    const started = await alice.meetings.meetNow()
    expect(started.joinUrl).toMatch(/^https:\/\/meet\.contoso\.test\/alice\/[A-Z0-9]{8}$/)
    await expect.poll(() => alice.meeting(started.id)?.state, { timeout: 10_000 }).toBe('in')
    await expect.poll(() => alice.meeting(started.id)?.callId, { timeout: 10_000 }).toBeTruthy()
    const aliceCall = alice.meeting(started.id)!.callId!
    await expect.poll(() => alice.engine.get(aliceCall)?.state, { timeout: 10_000 }).toBe('conference')
    // connected from then on: the call view's timer runs and history counts the meeting as answered
    expect(alice.engine.get(aliceCall)?.connectedAt).toBeGreaterThan(0)
    expect(alice.engine.get(aliceCall)).toMatchObject({ conference: true, remote: { name: 'Meeting', uri: alice.meeting(started.id)!.onlineMeetingUri } })
    expect(alice.meeting(started.id)).toMatchObject({ role: 'leader', guest: false, onlineMeetingUri: expect.stringMatching(/^sip:alice@contoso\.test;gruu;opaque=app:conf:focus:id:/) })

    const bob = await member('bob')
    // pasted as a person would: with Outlook's query and a trailing slash
    const joined = await bob.meetings.join(`${started.joinUrl!}/?sl=1`)
    await expect.poll(() => bob.meeting(joined.id)?.callId, { timeout: 10_000 }).toBeTruthy()
    const bobCall = bob.meeting(joined.id)!.callId!
    await expect.poll(() => bob.engine.get(bobCall)?.state, { timeout: 10_000 }).toBe('conference')
    expect(bob.meeting(joined.id)).toMatchObject({ state: 'in', role: 'attendee', joinUrl: started.joinUrl })

    await expect.poll(() => peerOf(alice, alice.meeting(started.id)) && peerOf(bob, bob.meeting(joined.id)), { timeout: 10_000 }).toBeTruthy()
    const [a, b] = [peerOf(alice, alice.meeting(started.id))!, peerOf(bob, bob.meeting(joined.id))!]
    a.startSending()
    b.startSending()
    await expect.poll(() => a.count('bob', 'audio') > 10 && a.count('bob', 'video') > 10 && b.count('alice', 'audio') > 10 && b.count('alice', 'video') > 10, { timeout: 15_000 }).toBe(true)
    await expect.poll(() => alice.engine.get(aliceCall)?.participants.map((p) => p.uri)).toEqual(['sip:bob@contoso.test'])
    await expect.poll(() => bob.engine.get(bobCall)?.participants.map((p) => p.uri)).toEqual(['sip:alice@contoso.test'])
    await expect.poll(() => alice.meeting(started.id)?.members.map((m) => [m.uri, m.role, m.can.remove])).toEqual([['sip:bob@contoso.test', 'attendee', true]])
    expect(bob.meeting(joined.id)?.members.map((m) => [m.uri, m.role, m.organizer, m.can.remove])).toEqual([['sip:alice@contoso.test', 'leader', true, false]])

    await bob.meetings.leave(joined.id)
    expect(bob.meeting(joined.id)?.state).toBe('left')
    await expect.poll(() => alice.engine.get(aliceCall)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio).toBe('off')
  }, 60_000)

  it('a guest waits in the lobby, the leader sees them and admits them: media flows; another guest is rejected and told', async () => {
    sim = await startSimulator({ events })
    const alice = await member('alice')
    const started = await alice.meetings.meetNow()
    await expect.poll(() => alice.meeting(started.id)?.callId, { timeout: 10_000 }).toBeTruthy()

    const gina = await guest(started.joinUrl!, 'Gina Guest')
    const ginaJoin = await gina.join()
    await expect.poll(() => gina.meeting(ginaJoin.id)?.state, { timeout: 10_000 }).toBe('lobby')
    expect(gina.meeting(ginaJoin.id)).toMatchObject({ guest: true, lobby: [] })
    expect(gina.meeting(ginaJoin.id)?.callId).toBeUndefined() // no media before a leader lets her in
    await expect.poll(() => alice.meeting(started.id)?.lobby.map((p) => p.name), { timeout: 10_000 }).toEqual(['Gina Guest'])
    // nobody waiting is in Alice's call's roster
    expect(alice.engine.get(alice.meeting(started.id)!.callId!)?.participants).toEqual([])

    const ginaUri = alice.meeting(started.id)!.lobby[0]!.uri
    await alice.meetings.act(started.id, ginaUri, 'admit')
    await expect.poll(() => gina.meeting(ginaJoin.id)?.callId, { timeout: 10_000 }).toBeTruthy()
    await expect.poll(() => alice.meeting(started.id)?.lobby).toEqual([])
    // the call shows at once; its conference connection follows with the offer
    await expect.poll(() => peerOf(alice, alice.meeting(started.id)) && peerOf(gina, gina.meeting(ginaJoin.id)), { timeout: 10_000 }).toBeTruthy()
    const [a, g] = [peerOf(alice, alice.meeting(started.id))!, peerOf(gina, gina.meeting(ginaJoin.id))!]
    a.startSending()
    g.startSending()
    await expect.poll(() => a.count('gina guest', 'audio') > 10 && g.count('alice', 'video') > 10, { timeout: 15_000 }).toBe(true)
    await expect.poll(() => alice.meeting(started.id)?.members.map((m) => [m.name, m.guest])).toEqual([['Gina Guest', true]])

    // a guest who tires of waiting leaves the lobby: the leader no longer sees them there
    const gus = await guest(started.joinUrl!, 'Gus')
    const gusJoin = await gus.join()
    await expect.poll(() => alice.meeting(started.id)?.lobby.map((p) => p.name), { timeout: 10_000 }).toEqual(['Gus'])
    await gus.meetings.leave(gusJoin.id)
    expect(gus.meeting(gusJoin.id)?.state).toBe('left')
    await expect.poll(() => alice.meeting(started.id)?.lobby, { timeout: 10_000 }).toEqual([])

    const rex = await guest(started.joinUrl!, 'Rex')
    const rexJoin = await rex.join()
    await expect.poll(() => alice.meeting(started.id)?.lobby.map((p) => p.name), { timeout: 10_000 }).toEqual(['Rex'])
    await alice.meetings.act(started.id, alice.meeting(started.id)!.lobby[0]!.uri, 'reject')
    await expect.poll(() => rex.meeting(rexJoin.id)?.state, { timeout: 10_000 }).toBe('denied')
    expect(rex.meeting(rexJoin.id)?.endReason).toEqual({ code: 'Forbidden', subcode: 'Denied', message: 'A leader of the meeting did not let you in.' })
    await expect.poll(() => alice.meeting(started.id)?.lobby).toEqual([])
  }, 60_000)

  it('leading: Alice mutes Bob (Bob and Carol see it), mutes every attendee, promotes Carol, removes Bob, who is told', async () => {
    sim = await startSimulator({ events })
    const alice = await member('alice')
    const started = await alice.meetings.meetNow()
    await expect.poll(() => alice.meeting(started.id)?.callId, { timeout: 10_000 }).toBeTruthy()
    const bob = await member('bob')
    const carol = await member('carol')
    const [bm, cm] = [await bob.meetings.join(started.joinUrl!), await carol.meetings.join(started.joinUrl!)]
    await expect.poll(() => bob.meeting(bm.id)?.callId && carol.meeting(cm.id)?.callId, { timeout: 10_000 }).toBeTruthy()
    const carolCall = carol.meeting(cm.id)!.callId!
    await expect.poll(() => alice.meeting(started.id)?.members.filter((m) => m.can.mute).length, { timeout: 10_000 }).toBe(2)
    await expect.poll(() => carol.engine.get(carolCall)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio, { timeout: 10_000 }).toBe('on')

    await alice.meetings.act(started.id, 'sip:bob@contoso.test', 'mute')
    await expect.poll(() => carol.engine.get(carolCall)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio).toBe('muted')
    // Bob is told, and his client leaves it muted (it does not unmute him back to what he last asked for)
    await expect.poll(() => bob.engine.get(bob.meeting(bm.id)!.callId!)?.audioMuted).toBe(true)
    await new Promise((r) => setTimeout(r, 500))
    expect(carol.engine.get(carolCall)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio).toBe('muted')
    // an attendee may do none of it: the pool offers Carol no link
    await expect(carol.meetings.act(cm.id, 'sip:bob@contoso.test', 'mute')).rejects.toMatchObject({ code: 'Conflict', subcode: 'NotALeader' })

    // mute everyone: the audience mute lock (enableAudienceMuteLock_ref.md): attendees muted and unable to unmute themselves
    expect(alice.meeting(started.id)).toMatchObject({ canMuteEveryone: true, audienceMuted: false })
    await alice.meetings.muteEveryone(started.id)
    await expect.poll(() => bob.engine.get(bob.meeting(bm.id)!.callId!)?.participants.find((p) => p.uri === 'sip:carol@contoso.test')?.audio).toBe('muted')
    await expect.poll(() => alice.meeting(started.id)).toMatchObject({ canMuteEveryone: false, audienceMuted: true })
    await expect.poll(() => carol.engine.get(carolCall)?.audioMuted).toBe(true)
    await expect(carol.engine.setMuted(carolCall, { audio: false })).rejects.toMatchObject({ status: 403, code: 'Forbidden' })
    expect(carol.engine.get(carolCall)?.audioMuted).toBe(true) // still muted, as the pool says
    await alice.meetings.allowUnmute(started.id)
    await expect.poll(() => alice.meeting(started.id)?.audienceMuted).toBe(false)
    await carol.engine.setMuted(carolCall, { audio: false })
    await expect.poll(() => bob.engine.get(bob.meeting(bm.id)!.callId!)?.participants.find((p) => p.uri === 'sip:carol@contoso.test')?.audio).toBe('on')

    await alice.meetings.act(started.id, 'sip:carol@contoso.test', 'promote')
    await expect.poll(() => carol.meeting(cm.id)?.role).toBe('leader')
    await expect.poll(() => bob.meeting(bm.id)?.members.find((m) => m.uri === 'sip:carol@contoso.test')?.role).toBe('leader')

    await alice.meetings.act(started.id, 'sip:bob@contoso.test', 'remove')
    await expect.poll(() => bob.meeting(bm.id)?.state, { timeout: 10_000 }).toBe('removed')
    expect(bob.meeting(bm.id)?.endReason?.message).toBe('You were removed from the meeting, or it ended.')
    expect(bob.engine.get(bob.meeting(bm.id)!.callId!)).toBeUndefined() // its audio and video ended
    await expect.poll(() => carol.engine.get(carolCall)?.participants.map((p) => p.uri)).toEqual(['sip:alice@contoso.test'])
  }, 60_000)

  it('a link the pool does not know: the pool’s 404 DestinationNotFound, nothing left joining', async () => {
    sim = await startSimulator({ events })
    const bob = await member('bob')
    await expect(bob.meetings.join('https://meet.contoso.test/alice/NOSUCH01')).rejects.toMatchObject({ status: 404, subcode: 'DestinationNotFound' })
    await expect(bob.meetings.join('https://dialin.contoso.test/')).rejects.toMatchObject({ subcode: 'InvalidMeetingUrl' })
    expect(bob.meetings.list()).toEqual([])
  })
})
