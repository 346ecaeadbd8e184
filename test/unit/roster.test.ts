// The conference roster and my own mute as the server knows it (participantAudio_ref.md, muteAudio_ref.md).
import { describe, expect, it } from 'vitest'
import type { UcwaEvent } from '../../main/ucwa/events'
import type { Resource } from '../../main/ucwa/resource'
import { Roster } from '../../main/ucwa/roster'

const conv = 'https://pool.test/ucwa/v1/applications/1/communication/conversations/7'
const me = `${conv}/participants/alice`
const bob = `${conv}/participants/bob`
const res = (href: string, props: Resource['props'], links: Record<string, string> = {}): Resource => ({
  rel: href.split('/').pop()!.startsWith('participant') ? href.split('/').pop()! : 'participant',
  href,
  props,
  links: Object.fromEntries(Object.entries(links).map(([rel, h]) => [rel, [{ rel, href: h }]])),
  embedded: {},
})
const event = (type: UcwaEvent['type'], rel: string, href: string, embedded?: Resource): UcwaEvent => ({ type, sender: { rel: 'conversation', href: conv }, link: { rel, href }, ...(embedded && { embedded }) })
const myAudio = (muted: boolean) => res(`${me}/participantAudio`, { audioMuted: muted }, { participant: me, [muted ? 'unmuteAudio' : 'muteAudio']: `${me}/participantAudio/${muted ? 'unmute' : 'mute'}Audio` })

function roster() {
  const posts: string[] = []
  let release: () => void = () => {}
  const http = {
    get: async () => {
      throw new Error('events carry their resources here')
    },
    // each POST waits until the test lets it finish, as a slow pool would
    post: (href: string) => {
      posts.push(href)
      return new Promise<null>((resolve) => (release = () => resolve(null)))
    },
  }
  const r = new Roster(http as never, () => {})
  return { r, posts, finish: () => release() }
}

describe('conference roster', () => {
  it('muted by a leader (an update I did not ask for): I stay muted and nothing unmutes me back; I unmute when I choose to', async () => {
    const { r, posts, finish } = roster()
    await r.onEvent(event('added', 'localParticipant', me))
    await r.onEvent(event('added', 'participantAudio', `${me}/participantAudio`, myAudio(false)))
    expect(r.muted.audio).toBe(false)
    await r.onEvent(event('updated', 'participantAudio', `${me}/participantAudio`, myAudio(true)))
    expect(r.muted.audio).toBe(true)
    expect(posts).toEqual([])
    const unmuting = r.want('audio', false)
    expect(posts).toEqual([`${me}/participantAudio/unmuteAudio`])
    finish()
    await unmuting
  })

  it('a quick mute then unmute ends unmuted on the server: one POST at a time, then the opposite link', async () => {
    const { r, posts, finish } = roster()
    await r.onEvent(event('added', 'localParticipant', me))
    await r.onEvent(event('added', 'participantAudio', `${me}/participantAudio`, myAudio(false)))
    const muting = r.want('audio', true)
    expect(posts).toEqual([`${me}/participantAudio/muteAudio`])
    await r.want('audio', false) // changed my mind while the pool works on it
    expect(posts).toHaveLength(1)
    expect(r.muted.audio).toBe(false)
    finish()
    await muting
    // the pool says I am muted and offers unmute: the roster catches up with what I want
    const catchUp = r.onEvent(event('updated', 'participantAudio', `${me}/participantAudio`, myAudio(true)))
    await Promise.resolve()
    expect(posts).toEqual([`${me}/participantAudio/muteAudio`, `${me}/participantAudio/unmuteAudio`])
    finish()
    await catchUp
  })

  it('the pool announces the mute before it answers the POST (as pools do): an unmute asked meanwhile still goes out', async () => {
    const { r, posts, finish } = roster()
    await r.onEvent(event('added', 'localParticipant', me))
    await r.onEvent(event('added', 'participantAudio', `${me}/participantAudio`, myAudio(false)))
    const muting = r.want('audio', true)
    await r.want('audio', false)
    await r.onEvent(event('updated', 'participantAudio', `${me}/participantAudio`, myAudio(true)))
    expect(posts).toHaveLength(1) // still one at a time
    finish()
    await Promise.resolve()
    await Promise.resolve()
    expect(posts).toEqual([`${me}/participantAudio/muteAudio`, `${me}/participantAudio/unmuteAudio`])
    finish()
    await muting
  })

  it('lists others with their microphone and camera; a participant who leaves goes, and so does their media', async () => {
    const { r } = roster()
    await r.onEvent(event('added', 'localParticipant', me))
    await r.onEvent(event('added', 'participant', bob, res(bob, { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' })))
    await r.onEvent(event('added', 'participantAudio', `${bob}/participantAudio`, res(`${bob}/participantAudio`, { audioMuted: true }, { participant: bob })))
    await r.onEvent(event('added', 'participantVideo', `${bob}/participantVideo`, res(`${bob}/participantVideo`, { videoMuted: false, videoDirection: 'Inactive' }, { participant: bob })))
    expect(r.list()).toEqual([{ name: 'Bob Brennan', uri: 'sip:bob@contoso.test', audio: 'muted', video: 'off' }])
    await r.onEvent(event('deleted', 'participantAudio', `${bob}/participantAudio`))
    expect(r.list()[0]?.audio).toBe('off')
    await r.onEvent(event('deleted', 'participant', bob))
    expect(r.list()).toEqual([])
  })

  it('knows which media source ids are whose (what a client matches against the CSRC of a slot); junk names no source', async () => {
    const { r } = roster()
    await r.onEvent(event('added', 'participant', bob, res(bob, { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' })))
    await r.onEvent(event('added', 'participantVideo', `${bob}/participantVideo`, res(`${bob}/participantVideo`, { videoMuted: false, videoSourceId: '1234567' }, { participant: bob })))
    await r.onEvent(event('added', 'participantAudio', `${bob}/participantAudio`, res(`${bob}/participantAudio`, { audioMuted: false, audioSourceId: '12x' }, { participant: bob })))
    expect(r.list()).toEqual([{ name: 'Bob Brennan', uri: 'sip:bob@contoso.test', audio: 'on', video: 'on', videoSource: 1234567 }])
    // a camera that leaves the modality names no source any more
    await r.onEvent(event('deleted', 'participantVideo', `${bob}/participantVideo`))
    expect(r.list()[0]?.videoSource).toBeUndefined()
  })
})
