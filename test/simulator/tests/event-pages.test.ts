// Every event the simulator sends during a call, a hold, an escalation, a conference, presence changes and a chat is one its resource's
// reference page lists in its "Events" table (Resource | Priority | Sender | Reason), from that sender, at that
// priority; and in link-only mode every event names a resource a GET finds.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { embedded, link } from '../../../main/ucwa/resource'
import { connectedCall, engineUser, ringing } from '../../support/engine-user'
import { startSimulator, type SentEvent, type Simulator } from '../index'
import { signIn, type Ev, type Session } from './helpers'
import { chatUser } from '../../support/chat-user'
import type { Messaging } from '../../../main/ucwa/messaging'

const docs = resolve(import.meta.dirname, '../../../../shared/ucwa-docs')

interface PageEvent {
  type: string
  priority: string
  sender: string
}

/** The rows of a _ref.md page's "Events" section: each "### Added/Updated/..." heading's table. */
export function pageEvents(rel: string): PageEvent[] {
  const text = readFileSync(resolve(docs, `${rel}_ref.md`), 'utf8')
  const start = text.indexOf('\n## Events')
  if (start < 0) return []
  const end = text.indexOf('\n## ', start + 5)
  const rows: PageEvent[] = []
  let type = ''
  for (const line of text.slice(start, end < 0 ? undefined : end).split('\n')) {
    const heading = /^### (\w+)/.exec(line)
    if (heading) type = heading[1]!.toLowerCase()
    const cells = line.split('|').map((c) => c.replace(/\*/g, '').trim())
    if (cells.length < 5 || !type) continue
    const [, resource, priority, sender] = cells
    if (resource !== rel || /^[:-]+$/.test(priority!)) continue
    rows.push({ type, priority: priority!.toLowerCase(), sender: sender! })
  }
  return rows
}

/** What a page allows for an event: its own row, or for an operation (a page listing "started") its completion,
 *  since EventsInUCWA.md says operations have started/updated/completed events. */
function allowed(s: SentEvent): string | null {
  const rows = pageEvents(s.event.link.rel)
  if (rows.length === 0) return `${s.event.link.rel}_ref.md lists no events`
  const operation = rows.find((r) => r.type === 'started')
  const row = rows.find((r) => r.type === s.event.type) ?? (s.event.type === 'completed' ? operation : undefined)
  if (!row) return `${s.event.link.rel}_ref.md lists no ${s.event.type} event`
  const senders = new Set(rows.filter((r) => r.type === row.type).map((r) => r.sender))
  if (!senders.has(s.sender.rel)) return `${s.event.link.rel} ${s.event.type} is sent by ${[...senders].join('/')}, not ${s.sender.rel}`
  if (row.priority !== s.priority) return `${s.event.link.rel} ${s.event.type} is ${row.priority} priority, not ${s.priority}`
  return null
}

let sim: Simulator
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
  await sim?.close()
})

describe('events as the reference pages list them', () => {
  it('reads the pages: conversation updated comes from communication, audioVideoNegotiation from its invitation', () => {
    expect(pageEvents('conversation')).toEqual(['added', 'updated', 'deleted'].map((type) => ({ type, priority: 'high', sender: 'communication' })))
    expect(pageEvents('audioVideoNegotiation')).toEqual([{ type: 'updated', priority: 'high', sender: 'audioVideoInvitation' }])
    expect(pageEvents('audioVideoSession')).toEqual([])
  })

  it('a call, a hold, an escalation and a conference (with its chat) send only listed events, from the listed sender, and each href is a resource', async () => {
    sim = await startSimulator({ events: 'link-only' })
    const sent = sim.control.recordEvents()
    const [alice, bob, carol] = [await engineUser(sim, 'alice', cleanup), await engineUser(sim, 'bob', cleanup), await engineUser(sim, 'carol', cleanup)]
    // Carol watches Bob's presence: his call changes it (contactPresence, sent by people)
    const subscriptions = link(embedded(carol.client.app!, 'people'), 'presenceSubscriptions')!
    await carol.client.http.post(subscriptions, { duration: 30, uris: ['sip:bob@contoso.test'] })
    const { callId, calleeCallId } = await connectedCall(alice, bob, 'bob@contoso.test')
    await alice.engine.change(callId, 'hold')
    await expect.poll(() => alice.engine.get(callId)?.held).toBe(true)
    await alice.engine.change(callId, 'resume')
    await expect.poll(() => alice.engine.get(callId)?.held).toBe(false)
    await alice.engine.addParticipant(callId, 'carol@contoso.test')
    await expect.poll(() => ringing(carol), { timeout: 10_000 }).toBeTruthy()
    const carolCall = ringing(carol)!
    await carol.engine.accept(carolCall.id)
    await expect.poll(() => carol.engine.get(carolCall.id)?.state, { timeout: 10_000 }).toBe('conference')
    await bob.engine.setMuted(calleeCallId, { audio: true })
    await expect.poll(() => alice.engine.get(callId)?.participants.find((p) => p.uri === 'sip:bob@contoso.test')?.audio).toBe('muted')
    // everyone adds messaging to the conference; Alice types and writes to all
    const chats: Messaging[] = []
    for (const [name, u] of Object.entries({ alice, bob, carol })) {
      const host = await chatUser(sim, name, cleanup, u.client)
      const list = await u.client.http.get(u.client.communicationLink('conversations'))
      const m = host.chat()
      await m.add(list.embedded.conversation!.find((c) => c.props.state === 'Conferenced')!.href)
      await expect.poll(() => m.snapshot().state, { timeout: 10_000 }).toBe('connected')
      chats.push(m)
    }
    await chats[0]!.typing()
    await expect.poll(() => chats.slice(1).map((m) => m.snapshot().typing.length)).toEqual([1, 1])
    await chats[0]!.send('to all')
    await expect.poll(() => chats.slice(1).map((m) => m.snapshot().messages.at(-1)?.content)).toEqual([{ format: 'text', text: 'to all' }, { format: 'text', text: 'to all' }])
    // every event sent so far names a resource a GET finds (what a link-only event's reader needs)
    const gone: string[] = []
    for (const s of sent.filter((x) => x.event.type !== 'deleted')) {
      const who = { alice, bob, carol }[s.user.split('@')[0] as 'alice' | 'bob' | 'carol']
      const status = await who.client.http.get(s.event.link.href).then(
        () => 200,
        (e: { status: number }) => e.status,
      )
      if (status !== 200) gone.push(`${s.event.type} ${s.event.link.rel} ${status}`)
    }
    // the renegotiations are answered (kept), the P2P call's resources were replaced by the conference's
    expect(gone).toEqual([])

    await carol.engine.hangUp(carolCall.id)
    await bob.engine.hangUp(calleeCallId)
    await expect.poll(() => alice.last((s) => s.id === callId)?.state).toBe('ended')

    const kinds = new Set(sent.map((s) => `${s.event.link.rel} ${s.event.type}`))
    for (const k of ['audioVideoNegotiation updated', 'audioVideoRenegotiation started', 'participantInvitation completed', 'participantAudio updated', 'participantVideo added', 'conversation deleted', 'contactPresence updated', 'messagingInvitation completed', 'messaging updated', 'message started', 'message completed']) {
      expect(kinds).toContain(k) // the run covered it
    }
    const wrong = [...new Set(sent.map((s) => allowed(s)).filter((w): w is string => w !== null))]
    expect(wrong).toEqual([])
  }, 60_000)

  it('a chat (first message, accept, typing, plain and html messages, a failed delivery, a declined chat, stop) sends only listed events', async () => {
    sim = await startSimulator({ events: 'link-only' })
    const sent = sim.control.recordEvents()
    const [alice, bob, carol] = [await signIn(sim, 'alice@contoso.test'), await signIn(sim, 'bob@contoso.test'), await signIn(sim, 'carol@contoso.test')]
    const is = (rel: string, type: string) => (e: Ev) => e.rel === rel && e.type === type
    const start = (from: Session, to: string) =>
      from.post(from.app._embedded.communication._links.startMessaging.href, { to, _links: { message: { href: 'data:text/plain;charset=utf-8,hi' } } })
    const started = await start(alice, 'sip:bob@contoso.test')
    const inv = await bob.get((await bob.waitFor(is('messagingInvitation', 'started'))).href)
    await bob.post(inv.json._links.accept.href)
    await alice.waitFor(is('messagingInvitation', 'completed'))
    const mine = (await alice.get(started.json._links.messaging.href)).json
    await alice.post(mine._links.setIsTyping.href)
    await bob.waitFor(is('participant', 'added'), { after: bob.events.length })
    await alice.post(mine._links.sendMessage.href, 'plain', { type: 'text/plain' })
    await alice.post(mine._links.sendMessage.href, '<b>html</b>', { type: 'text/html' })
    sim.control.failMessageDelivery('bob@contoso.test')
    await alice.post(mine._links.sendMessage.href, 'lost', { type: 'text/plain' })
    await bob.waitFor(is('message', 'completed'))
    await alice.waitFor((e) => is('message', 'completed')(e) && e.status === 'Failure')
    // every event so far names a resource a GET finds (what a link-only event's reader needs)
    const gone: string[] = []
    for (const s of sent.filter((x) => x.event.type !== 'deleted')) {
      const r = await { alice, bob, carol }[s.user.split('@')[0] as 'alice' | 'bob' | 'carol'].get(s.event.link.href)
      if (r.status !== 200) gone.push(`${s.event.type} ${s.event.link.rel} ${r.status}`)
    }
    expect(gone).toEqual([])

    await start(alice, 'sip:carol@contoso.test')
    const carolInv = await carol.get((await carol.waitFor(is('messagingInvitation', 'started'))).href)
    await carol.post(carolInv.json._links.decline.href)
    await alice.waitFor((e) => is('messagingInvitation', 'completed')(e) && e.status === 'Failure')
    await alice.post(mine._links.stopMessaging.href)
    await bob.waitFor(is('conversation', 'deleted'))
    const kinds = new Set(sent.map((s) => `${s.event.link.rel} ${s.event.type}`))
    for (const k of ['messagingInvitation started', 'messagingInvitation completed', 'messaging updated', 'message started', 'message completed', 'participant added', 'participant deleted', 'conversation deleted']) {
      expect(kinds).toContain(k)
    }
    const wrong = [...new Set(sent.map((s) => allowed(s)).filter((w): w is string => w !== null))]
    expect(wrong).toEqual([])
  }, 60_000)
})
