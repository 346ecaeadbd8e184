// A stand-in UcwaClient for unit tests of the call engine's parts: records POSTs, hands events in directly.
import type { UcwaClient } from '../../../main/ucwa/client'
import type { UcwaEvent } from '../../../main/ucwa/events'
import type { MediaAgent } from '../../../main/ucwa/call/media-agent'
import type { Resource } from '../../../main/ucwa/resource'

export function resource(href: string, props: Record<string, string> = {}, links: Record<string, string> = {}): Resource {
  return { rel: '', href, props, links: Object.fromEntries(Object.entries(links).map(([rel, h]) => [rel, [{ rel, href: h }]])), embedded: {} }
}

export const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n'
export const offerLink = `data:application/sdp;base64,${Buffer.from(sdp).toString('base64')}`

export function fakeSession() {
  const posts: string[] = []
  let deliver: (events: UcwaEvent[]) => Promise<void> = async () => {}
  const client = {
    http: {
      get: async (href: string) => resource(href),
      post: async (href: string) => {
        posts.push(href)
        return null
      },
    },
    eventResources: { read: () => {} },
    machine: { onChange: () => () => {} },
    on: (name: string, l: (events: UcwaEvent[]) => Promise<void>) => {
      if (name === 'events') deliver = l
      return () => {}
    },
    communicationLink: () => '/communication/startAudioVideo',
  } as unknown as UcwaClient
  const closed: string[] = []
  const media: MediaAgent = {
    createOffer: async () => sdp,
    createAnswer: async () => sdp,
    applyAnswer: () => {},
    reoffer: async () => sdp,
    answerReoffer: async () => sdp,
    applyReanswer: () => {},
    close: (callId, what) => void closed.push(what),
  }
  return { client, media, posts, closed, events: (events: UcwaEvent[]) => deliver(events) }
}

/** an incoming audioVideoInvitation started event, as the pool sends it (audioVideoInvitation_ref.md) */
export function incomingStarted(n = 1): UcwaEvent {
  const inv = resource(`/invitations/${n}`, { direction: 'Incoming', subject: '' }, {
    mediaOffer: offerLink,
    acceptWithAnswer: `/invitations/${n}/acceptWithAnswer`,
    decline: `/invitations/${n}/decline`,
    conversation: `/conversations/${n}`,
    audioVideo: `/conversations/${n}/audioVideo`,
  })
  inv.embedded.from = [resource('/from', { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' })]
  return { type: 'started', sender: { rel: 'communication', href: '/communication' }, link: { rel: 'audioVideoInvitation', href: inv.href }, embedded: inv }
}
