// One join of an online meeting reads the meeting's conversation and its participants once each (participants-read.ts),
// for the meeting's people and its call's roster both: the pool's GETs counted through the simulator's request record.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingSnapshot } from '../../preload/contract'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import { OnlineMeetings } from '../../main/ucwa/online-meetings'
import { startSimulator, type Simulator } from '../simulator/index'
import { WeriftMedia } from '../support/werift-media'

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

async function member(name: string) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(name)
  const engine = new CallEngine(client, media)
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  const meetings = new OnlineMeetings(client, engine)
  const seen = new Map<string, MeetingSnapshot>()
  meetings.onChange((m) => void seen.set(m.id, m))
  return { engine, meetings, meeting: (id: string) => seen.get(id) }
}

const gets = (resource: string) => sim.control.requests().filter((r) => r.method === 'GET' && r.resource === resource).length

describe('joining a meeting', () => {
  it('reads its conversation once and its participants once; the roster and the meeting’s people both have the members', async () => {
    sim = await startSimulator()
    const alice = await member('alice')
    const started = await alice.meetings.meetNow()
    await expect.poll(() => alice.meeting(started.id)?.callId, { timeout: 15_000 }).toBeTruthy()
    const aliceCall = alice.meeting(started.id)!.callId!
    await expect.poll(() => alice.engine.get(aliceCall)?.state, { timeout: 15_000 }).toBe('conference')

    const bob = await member('bob')
    const before = { conversation: gets('conversation'), participants: gets('participants'), audioVideo: gets('audioVideo') }
    const joined = await bob.meetings.join(started.joinUrl!)
    await expect.poll(() => bob.meeting(joined.id)?.callId, { timeout: 15_000 }).toBeTruthy()
    const bobCall = bob.meeting(joined.id)!.callId!
    await expect.poll(() => bob.engine.get(bobCall)?.state, { timeout: 15_000 }).toBe('conference')
    // Alice was there before Bob's call existed: only the one read names her, in the call and in the meeting
    expect(bob.engine.get(bobCall)?.participants.map((p) => p.uri)).toEqual(['sip:alice@contoso.test'])
    expect(bob.meeting(joined.id)?.members.map((m) => [m.uri, m.role])).toEqual([['sip:alice@contoso.test', 'leader']])
    await new Promise((r) => setTimeout(r, 500)) // a late second read would show here
    expect({ conversation: gets('conversation') - before.conversation, participants: gets('participants') - before.participants, audioVideo: gets('audioVideo') - before.audioVideo }).toEqual({ conversation: 1, participants: 1, audioVideo: 1 })
  }, 60_000)
})
