// What a call leaves in the history, and the history kept per account in the data folder.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CallHistoryStore, MAX_ENTRIES } from '../../main/core/call-history'
import { HistoryRecorder } from '../../main/core/history-entry'
import type { CallSnapshot, HistoryEntry } from '../../preload/contract'

const bob = { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }
const carol = { name: 'Carol Castillo', uri: 'sip:carol@contoso.test' }
const snap = (over: Partial<CallSnapshot>): CallSnapshot => ({ id: 'c1', state: 'connected', direction: 'outgoing', remote: bob, subject: '', participants: [], conference: false, startedAt: 1_000, ...over })
const entry = (id: string, over: Partial<HistoryEntry> = {}): HistoryEntry => ({ id, direction: 'incoming', people: [bob], conference: false, startedAt: 5_000, durationS: 0, outcome: 'missed', ended: 'Missed call', ...over })

describe('history entries', () => {
  it('a conference keeps everyone who was in it, with the time from connected to the end', () => {
    const r = new HistoryRecorder()
    expect(r.observe(snap({ state: 'calling' }), 1_000)).toBeNull()
    r.observe(snap({ connectedAt: 2_000 }), 2_000)
    r.observe(snap({ state: 'conference', conference: true, connectedAt: 2_000, participants: [bob, carol] }), 3_000)
    // Carol left before the end: she is still in the history
    const e = r.observe(snap({ state: 'ended', conference: true, connectedAt: 2_000, participants: [bob], endReason: { code: 'Informational', subcode: 'CallTerminated', message: 'You ended the call.' } }), 65_400)
    expect(e).toEqual({ id: 'c1', direction: 'outgoing', people: [bob, carol], conference: true, startedAt: 1_000, durationS: 63, outcome: 'answered', ended: 'You ended the call.' })
  })

  it('a call started under an address takes the name the pool gives later', () => {
    const r = new HistoryRecorder()
    r.observe(snap({ state: 'calling', remote: { name: 'bob@contoso.test', uri: 'sip:bob@contoso.test' } }), 1_000)
    r.observe(snap({ state: 'calling' }), 1_000)
    expect(r.observe(snap({ state: 'ended', remote: { name: 'bob@contoso.test', uri: 'sip:bob@contoso.test' } }), 2_000)?.people).toEqual([bob])
  })

  it('to the callee, a call the caller cancelled or nobody answered is missed; one I declined is declined', () => {
    const ended = (over: Partial<CallSnapshot>) => new HistoryRecorder().observe(snap({ state: 'ended', ...over }), 9_000)!
    expect(ended({ direction: 'incoming', endReason: { code: 'Informational', subcode: 'Canceled', message: 'The call was cancelled.' } })).toMatchObject({ outcome: 'missed', ended: 'Missed call', durationS: 0 })
    expect(ended({ direction: 'incoming', endReason: { code: 'Timeout', message: 'Nobody answered.' } })).toMatchObject({ outcome: 'missed' })
    expect(ended({ direction: 'incoming', endReason: { code: 'Informational', subcode: 'Declined', message: 'You declined the call.' } })).toMatchObject({ outcome: 'declined' })
    // a call whose media Parley could not take never rang: missed, with the reason
    const codecs = 'The other side offered no audio codec Parley can use (it offered SILK; Parley needs G.722, PCMU or PCMA).'
    expect(ended({ direction: 'incoming', endReason: { code: 'LocalFailure', subcode: 'MediaNegotiationFailure', message: codecs } })).toMatchObject({ outcome: 'missed', ended: codecs })
    // the caller: the callee declined, or the call did not connect — not missed
    expect(ended({ direction: 'outgoing', endReason: { code: 'Informational', subcode: 'Declined', message: 'The call was declined.' } })).toMatchObject({ outcome: 'not-answered', ended: 'The call was declined.' })
  })
})

describe('call history store', () => {
  it('keeps each account’s history in its own file in the data folder, across a new store (a restart)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-history-'))
    const first = new CallHistoryStore(dir)
    await first.open('sip:alice@contoso.test')
    await first.add(entry('a1'))
    await first.open('sip:dave@contoso.test')
    expect(first.current.entries).toEqual([])
    await first.add(entry('d1', { outcome: 'answered', direction: 'outgoing', durationS: 12 }))

    const again = new CallHistoryStore(dir)
    await again.open('sip:alice@contoso.test')
    expect(again.current).toEqual({ entries: [entry('a1')], unseenMissed: 1 })
    await again.open('sip:dave@contoso.test')
    expect(again.current.entries.map((e) => e.id)).toEqual(['d1'])
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(2)
  })

  it('counts missed calls until seen, newest first, at most MAX_ENTRIES', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-history-'))
    const h = new CallHistoryStore(dir)
    await h.open('sip:alice@contoso.test')
    await h.add(entry('m1', { startedAt: 1_000 }))
    await h.add(entry('m2', { startedAt: 2_000 }))
    expect(h.current.unseenMissed).toBe(2)
    expect(await h.markSeen(3_000)).toMatchObject({ unseenMissed: 0 })
    await h.add(entry('m3', { startedAt: 4_000 }))
    expect(h.current.unseenMissed).toBe(1)
    const reread = new CallHistoryStore(dir)
    await reread.open('sip:alice@contoso.test')
    expect(reread.current.unseenMissed).toBe(1) // the seen mark lasts too
    for (let i = 0; i < MAX_ENTRIES + 5; i++) await h.add(entry(`x${i}`, { outcome: 'answered' }))
    expect(h.current.entries).toHaveLength(MAX_ENTRIES)
    expect(h.current.entries[0]!.id).toBe(`x${MAX_ENTRIES + 4}`)
  })

  it('a file it cannot read is an empty history, and is not overwritten until a call is added; nobody signed in: none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-history-'))
    const h = new CallHistoryStore(dir)
    await h.open('sip:alice@contoso.test')
    await h.add(entry('a1'))
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'))
    await writeFile(join(dir, file!), '{"entries": "broken"')
    const other = new CallHistoryStore(dir)
    await other.open('sip:alice@contoso.test')
    expect(other.current).toEqual({ entries: [], unseenMissed: 0 })
    expect(await readFile(join(dir, file!), 'utf8')).toBe('{"entries": "broken"')
    await other.open(null)
    expect(other.current.entries).toEqual([])
  })
})
