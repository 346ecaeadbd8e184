// Whose picture each remote tile shows: the other person in a two-person call; in a conference, whoever the
// roster says owns the source id (CSRC) on the slot's newest packets.
import { describe, expect, it } from 'vitest'
import type { CallSnapshot } from '../../preload/contract'
import { newestSource, speakersOf, tilesOf } from '../../renderer/src/media/tiles'

const bob = { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }
const carol = { name: 'Carol Castillo', uri: 'sip:carol@contoso.test' }
const call = (conference: boolean, participants: CallSnapshot['participants']) => ({ conference, remote: bob, participants })

describe('remote tiles', () => {
  it('a two-person call has one picture, the other person’s, whatever its packets carry', () => {
    expect(tilesOf(call(false, [bob]), ['s1'], () => 4242)).toEqual([{ stream: 's1', who: bob, cameraOff: false }])
  })

  it('in a conference each slot is named by its source id, and a camera turned off says so; a slot whose source is not known yet has no name; one whose source left the roster has no tile', () => {
    const people = [
      { ...bob, video: 'muted' as const, videoSource: 201 },
      { ...carol, video: 'on' as const, videoSource: 301 },
    ]
    const sources: Record<string, number | undefined> = { s1: 301, s2: 201, s3: undefined, s4: 999 }
    expect(tilesOf(call(true, people), ['s1', 's2', 's3', 's4'], (s) => sources[s])).toEqual([
      { stream: 's1', who: carol, cameraOff: false },
      { stream: 's2', who: bob, cameraOff: true },
      { stream: 's3', who: undefined, cameraOff: false },
    ])
  })

  it('someone the conference moved to another slot has one tile: the slot heard from last (the one they left is frozen)', () => {
    const people = [{ ...bob, videoSource: 201 }, { ...carol, videoSource: 301 }]
    const sources: Record<string, number> = { s1: 201, s2: 201, s3: 301 }
    const heard: Record<string, number> = { s1: 1000, s2: 5000, s3: 4000 }
    expect(tilesOf(call(true, people), ['s1', 's2', 's3'], (s) => sources[s], (s) => heard[s]!).map((t) => [t.stream, t.who?.name])).toEqual([
      ['s2', 'Bob Brennan'],
      ['s3', 'Carol Castillo'],
    ])
  })

  it('after a slot changes hands, the newest contributing source counts (the previous one is still listed a while)', () => {
    expect(newestSource([{ source: 201, timestamp: 1000 }, { source: 301, timestamp: 1500 }, { source: 101, timestamp: 900 }])).toBe(301)
    expect(newestSource([])).toBeUndefined()
  })

  it('the person speaking is the one whose voice source id is on a loud track; in a two-person call, the other person', () => {
    const stream = (track: string) => ({ getAudioTracks: () => [{ id: track }] })
    const [a1, a2] = [stream('t1'), stream('t2')]
    const people = [
      { ...bob, audioSource: 200 },
      { ...carol, audioSource: 300 },
    ]
    const sourceOf = (s: typeof a1) => (s === a1 ? 300 : 200)
    expect([...speakersOf(call(true, people), [a1, a2], ['t1'], sourceOf)]).toEqual([carol.uri])
    expect([...speakersOf(call(true, people), [a1, a2], [], sourceOf)]).toEqual([])
    expect([...speakersOf(call(false, [bob]), [a2], ['t2'], () => undefined)]).toEqual([bob.uri])
  })
})
