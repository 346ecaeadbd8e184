// Inviting someone into an online meeting, against the simulator with werift media: Alice, in a meeting with a subject,
// adds Carol (addParticipant on the meeting's conversation); Carol's Parley rings with the subject and who invited her;
// accepting joins the meeting (media both ways), declining tells Alice.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingInvitationSnapshot, MeetingSnapshot } from '../../preload/contract'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import type { Format } from '../../main/ucwa/http'
import { createMeeting } from '../../main/ucwa/meetings'
import { OnlineMeetings } from '../../main/ucwa/online-meetings'
import { startSimulator, type Simulator } from '../simulator/index'
import { WeriftMedia } from '../support/werift-media'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

async function member(name: string, format: Format, o: { inviteMs?: number } = {}) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(name)
  const engine = new CallEngine(client, media)
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  const meetings = new OnlineMeetings(client, engine, undefined, o.inviteMs === undefined ? {} : { addParticipantMs: o.inviteMs })
  const seen = new Map<string, MeetingSnapshot>()
  const rang: MeetingInvitationSnapshot[] = []
  meetings.onChange((m) => void seen.set(m.id, m))
  meetings.onInvitation((i) => void rang.push(i))
  return { client, media, engine, meetings, rang, meeting: (id: string) => seen.get(id) }
}
type Member = Awaited<ReturnType<typeof member>>

/** Alice in a meeting called "Quarterly review", with its audio and video up. */
async function aliceInMeeting(format: Format) {
  const alice = await member('alice', format)
  const created = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Quarterly review' })
  const m = await alice.meetings.join(created.joinUrl)
  await expect.poll(() => alice.meeting(m.id)?.callId, { timeout: 15_000 }).toBeTruthy()
  const callId = alice.meeting(m.id)!.callId!
  await expect.poll(() => alice.engine.get(callId)?.state, { timeout: 15_000 }).toBe('conference')
  return { alice, meetingId: m.id, callId }
}

const ringing = (who: Member) => who.rang.find((i) => i.state === 'ringing')

describe.each(['json', 'xml'] as const)('inviting into a meeting (%s)', (format) => {
  it('Alice adds Carol; Carol rings with the subject and who invites her; she accepts and both hear and see each other', async () => {
    sim = await startSimulator({ events: 'link-only' })
    const { alice, meetingId, callId } = await aliceInMeeting(format)
    expect(alice.meeting(meetingId)?.subject).toBe('Quarterly review')
    const carol = await member('carol', format)

    await alice.meetings.invite(meetingId, 'carol@contoso.test')
    // Alice's call shows her "calling…" until she joins
    expect(alice.engine.get(callId)?.invited?.map((p) => p.uri)).toEqual(['sip:carol@contoso.test'])
    await expect.poll(() => ringing(carol), { timeout: 10_000 }).toMatchObject({ subject: 'Quarterly review', from: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' } })

    const joined = await carol.meetings.acceptInvitation(ringing(carol)!.id)
    expect(carol.rang.at(-1)?.state).toBe('accepted')
    await expect.poll(() => carol.meeting(joined.id)?.callId, { timeout: 15_000 }).toBeTruthy()
    const carolCall = carol.meeting(joined.id)!.callId!
    await expect.poll(() => carol.engine.get(carolCall)?.state, { timeout: 15_000 }).toBe('conference')
    expect(carol.meeting(joined.id)).toMatchObject({ state: 'in', subject: 'Quarterly review', role: 'attendee' })

    const a = alice.media.current(callId)!
    await expect.poll(() => carol.media.current(carolCall), { timeout: 10_000 }).toBeTruthy()
    const c = carol.media.current(carolCall)!
    a.startSending()
    c.startSending()
    await expect.poll(() => a.count('carol', 'audio') > 10 && a.count('carol', 'video') > 10 && c.count('alice', 'audio') > 10 && c.count('alice', 'video') > 10, { timeout: 20_000 }).toBe(true)
    // she joined: no longer "calling…", in Alice's roster
    await expect.poll(() => alice.engine.get(callId)?.participants.map((p) => p.uri)).toEqual(['sip:carol@contoso.test'])
    await expect.poll(() => alice.engine.get(callId)?.invited).toBeUndefined()
    expect(alice.engine.get(callId)?.notice).toBeFalsy()
  }, 90_000)

  it('Carol declines: Alice is told, the meeting goes on without her, and Carol joined nothing', async () => {
    sim = await startSimulator()
    const { alice, callId } = await aliceInMeeting(format)
    const carol = await member('carol', format)
    await alice.engine.addParticipant(callId, 'carol@contoso.test', 'Carol Castillo')
    await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy()
    await carol.meetings.declineInvitation(ringing(carol)!.id)
    expect(carol.rang.at(-1)?.state).toBe('declined')
    await expect.poll(() => alice.engine.get(callId)?.notice, { timeout: 10_000 }).toBe('Carol Castillo declined the invitation.')
    expect(alice.engine.get(callId)).toMatchObject({ state: 'conference' })
    expect(alice.engine.get(callId)?.invited).toBeUndefined()
    expect(carol.meetings.list()).toEqual([])
    // answered: it rings no more, and a second answer is refused clearly
    await expect(carol.meetings.acceptInvitation(carol.rang.at(-1)!.id)).rejects.toMatchObject({ code: 'NotFound' })
  }, 60_000)

  it('invited while the meeting has no audio and video: shown invited, and each failure reaches Alice in words', async () => {
    sim = await startSimulator({ events: format === 'xml' ? 'link-only' : 'embedded' })
    const alice = await member('alice', format)
    const created = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Quarterly review' })
    // the pool refuses the meeting's audio and video: Alice is in the meeting without a call
    sim.control.fault({ kind: 'fail', resource: 'addAudioVideo', method: 'POST', status: 500, code: 'ServiceFailure' })
    const m = await alice.meetings.join(created.joinUrl)
    await expect.poll(() => alice.meeting(m.id)?.endReason?.code, { timeout: 15_000 }).toBe('ServiceFailure')
    expect(alice.meeting(m.id)).toMatchObject({ state: 'in' })
    expect(alice.meeting(m.id)?.callId).toBeUndefined()
    const carol = await member('carol', format)

    await alice.meetings.invite(m.id, 'carol@contoso.test')
    expect(alice.meeting(m.id)?.invited).toEqual([{ name: 'carol@contoso.test', uri: 'sip:carol@contoso.test' }])
    await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy()
    await carol.meetings.declineInvitation(ringing(carol)!.id)
    await expect.poll(() => alice.meeting(m.id)?.notice, { timeout: 10_000 }).toBe('carol@contoso.test declined the invitation.')
    expect(alice.meeting(m.id)?.invited).toBeUndefined()

    // Dave is not signed in: the pool fails the invitation (participantInvitation completed, Unreachable)
    await alice.meetings.invite(m.id, 'dave@contoso.test')
    expect(alice.meeting(m.id)?.notice).toBeUndefined() // a new invitation: the last one's notice is over
    await expect.poll(() => alice.meeting(m.id)?.notice, { timeout: 10_000 }).toBe('dave@contoso.test could not be reached.')
    expect(alice.meeting(m.id)).toMatchObject({ state: 'in' })
    expect(alice.meeting(m.id)?.invited).toBeUndefined()
  }, 60_000)

  it('while the meeting’s call still connects, an invitation is refused clearly and nothing is sent', async () => {
    sim = await startSimulator()
    const alice = await member('alice', format)
    const created = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Quarterly review' })
    sim.control.fault({ kind: 'delay', resource: 'addAudioVideo', method: 'POST', ms: 3000 })
    const m = await alice.meetings.join(created.joinUrl)
    await expect.poll(() => alice.meeting(m.id)?.callId, { timeout: 15_000 }).toBeTruthy()
    expect(alice.engine.get(alice.meeting(m.id)!.callId!)?.state).not.toBe('conference')
    await expect(alice.meetings.invite(m.id, 'carol@contoso.test')).rejects.toMatchObject({ code: 'Conflict', message: 'Add people once the call is connected.' })
    expect(sim.control.requests().filter((r) => r.resource === 'addParticipant')).toEqual([])
    expect(alice.meeting(m.id)?.invited).toBeUndefined()
  }, 60_000)

  it('an invitation outside a call unanswered past its deadline is not left pending: Alice reads that they did not join in time', async () => {
    sim = await startSimulator()
    const alice = await member('alice', format, { inviteMs: 1500 })
    const created = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Quarterly review' })
    sim.control.fault({ kind: 'fail', resource: 'audioVideo', method: 'GET', status: 500, code: 'ServiceFailure' })
    const m = await alice.meetings.join(created.joinUrl)
    await expect.poll(() => alice.meeting(m.id)?.endReason?.code, { timeout: 15_000 }).toBe('ServiceFailure')
    const carol = await member('carol', format)
    await alice.meetings.invite(m.id, 'carol@contoso.test')
    await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy() // she rings and does not answer
    expect(alice.meeting(m.id)?.invited?.map((p) => p.uri)).toEqual(['sip:carol@contoso.test'])
    await expect.poll(() => alice.meeting(m.id)?.notice, { timeout: 10_000 }).toBe('carol@contoso.test did not join in time.')
    expect(alice.meeting(m.id)?.invited).toBeUndefined()
  }, 60_000)
})
