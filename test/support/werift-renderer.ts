// Stands in for the renderer's media engine in Node tests of the core: answers media.request with werift.
import type { Core } from '../../main/core/core'
import type { EventPayload } from '../../preload/contract'
import { WeriftMedia } from './werift-media'

export function weriftRenderer(core: Core, tag: string): WeriftMedia {
  const media = new WeriftMedia(tag)
  core.events.subscribe((name, payload) => {
    if (name === 'media.request') {
      const p = payload as EventPayload<'media.request'>
      // werift peers take one answer: the early one is refused, as a renderer may (the call goes on without it)
      const work = p.provisional
        ? Promise.reject(new Error('No early answer from werift media.'))
        : p.purpose === 'renegotiate'
          ? p.kind === 'offer'
            ? media.reoffer(p.callId, p.change ?? 'hold')
            : media.answerReoffer(p.callId, p.offer ?? '')
          : p.kind === 'offer'
            ? media.createOffer(p.callId, p.purpose === 'escalation' ? 'escalation' : 'call')
            : media.createAnswer(p.callId, p.offer ?? '', p.purpose === 'conference' ? 'conference' : 'call')
      void work.then(
        (sdp) => core.dispatch('media.respond', { requestId: p.requestId, sdp }),
        (e: Error) => core.dispatch('media.respond', { requestId: p.requestId, error: e.message }),
      )
    }
    if (name === 'media.answer') {
      const p = payload as EventPayload<'media.answer'>
      if (p.purpose === 'renegotiate') media.applyReanswer(p.callId)
      else media.applyAnswer(p.callId, p.sdp, { provisional: p.provisional, purpose: p.purpose })
    }
    if (name === 'media.close') {
      const p = payload as EventPayload<'media.close'>
      media.close(p.callId, p.what)
    }
  })
  return media
}
