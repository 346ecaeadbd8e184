// Stands in for the renderer's media engine in Node tests of the core: answers media.request with werift.
import type { Core } from '../../main/core/core'
import { WeriftMedia } from './werift-media'

export function weriftRenderer(core: Core, tag: string): WeriftMedia {
  const media = new WeriftMedia(tag)
  core.events.subscribe((name, payload) => {
    const p = payload as Record<string, string & boolean>
    if (name === 'media.request') {
      const work = p.kind === 'offer' ? media.createOffer(p.callId, p.purpose as 'call' | 'escalation') : media.createAnswer(p.callId, p.offer, p.purpose as 'call' | 'conference')
      void work.then(
        (sdp) => core.dispatch('media.respond', { requestId: p.requestId, sdp }),
        (e: Error) => core.dispatch('media.respond', { requestId: p.requestId, error: e.message }),
      )
    }
    if (name === 'media.answer') media.applyAnswer(p.callId, p.sdp, { provisional: p.provisional, purpose: p.purpose as 'call' | 'escalation' })
    if (name === 'media.close') media.close(p.callId, p.what as 'p2p' | 'conference' | 'all')
  })
  return media
}
