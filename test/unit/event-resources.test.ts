// Link-only events between the channel and its listeners: which events are read, when the reads start, in what
// order pages are delivered (EventsInUCWA.md: use the embedded resource, or retrieve it from the URL).
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { EventResources } from '../../main/ucwa/event-resources'
import type { UcwaEvent } from '../../main/ucwa/events'
import type { Resource } from '../../main/ucwa/resource'

const res = (href: string): Resource => ({ rel: href.split('/').at(-2)!, href, props: {}, links: {}, embedded: {} })
const event = (type: UcwaEvent['type'], rel: string, href: string, embedded?: Resource): UcwaEvent => ({ type, sender: { rel: 'communication', href: '/c' }, link: { rel, href }, ...(embedded && { embedded }) })

/** a pool whose GETs the test answers one by one */
function pool() {
  const asked: string[] = []
  const pending = new Map<string, { resolve: (r: Resource) => void; reject: (e: unknown) => void }>()
  const http = {
    get: (href: string) =>
      new Promise<Resource>((resolve, reject) => {
        asked.push(href)
        pending.set(href, { resolve, reject })
      }),
  }
  return { http, asked, answer: (href: string) => pending.get(href)!.resolve(res(href)), fail: (href: string, e: unknown) => pending.get(href)!.reject(e) }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('event resources', () => {
  it('reads only what a consumer declared, only when not embedded and not deleted, one GET per href and page', async () => {
    const p = pool()
    const r = new EventResources(p.http)
    r.read(['conversation', 'audioVideo'])
    const got: UcwaEvent[][] = []
    const done = r.accept(
      [
        event('added', 'conversation', '/conv/1/x'),
        event('updated', 'audioVideo', '/av/1/x', res('/av/1/x')),
        event('updated', 'conversation', '/conv/1/x'),
        event('deleted', 'conversation', '/conv/2/x'),
        event('added', 'messaging', '/msg/1/x'),
      ],
      (events) => void got.push(events),
    )
    await tick()
    expect(p.asked).toEqual(['/conv/1/x'])
    p.answer('/conv/1/x')
    await done
    expect(got[0]!.map((e) => e.embedded?.href)).toEqual(['/conv/1/x', '/av/1/x', '/conv/1/x', undefined, undefined])
  })

  it('a later page is read at once but delivered after the earlier one; a failed read is a typed warning, the event still delivered', async () => {
    const p = pool()
    const warnings: string[] = []
    const r = new EventResources(p.http, { onWarning: (w) => warnings.push(`${w.kind} ${w.rel} ${w.error.code}`) })
    r.read(['conversation'])
    const order: string[] = []
    const deliver = (events: UcwaEvent[]) => void order.push(...events.map((e) => `${e.link.href} ${e.embedded ? 'read' : 'unread'}`))
    const first = r.accept([event('added', 'conversation', '/conv/1/x')], deliver)
    const second = r.accept([event('added', 'conversation', '/conv/2/x')], deliver)
    await tick()
    expect(p.asked).toEqual(['/conv/1/x', '/conv/2/x']) // both in flight
    p.answer('/conv/2/x')
    await tick()
    expect(order).toEqual([]) // the second page waits for the first
    p.fail('/conv/1/x', new UcwaError({ status: 404, code: 'NotFound', message: 'gone' }))
    await Promise.all([first, second])
    expect(order).toEqual(['/conv/1/x unread', '/conv/2/x read'])
    expect(warnings).toEqual(['EventResourceUnavailable conversation NotFound'])
    expect(r.warnings).toBe(1)
  })

  it('work queued between pages (transient state lost) keeps its place; a listener that throws does not stop the next page', async () => {
    const p = pool()
    const r = new EventResources(p.http)
    r.read(['conversation'])
    const order: string[] = []
    const failing = r.accept([event('added', 'conversation', '/conv/1/x')], () => {
      throw new Error('listener failed')
    })
    const lost = r.inOrder(() => void order.push('transient state lost'))
    const next = r.accept([event('added', 'conversation', '/conv/2/x', res('/conv/2/x'))], (events) => void order.push(events[0]!.link.href))
    await tick()
    expect(order).toEqual([])
    p.answer('/conv/1/x')
    await expect(failing).rejects.toThrow('listener failed')
    await Promise.all([lost, next])
    expect(order).toEqual(['transient state lost', '/conv/2/x'])
  })
})
