// Contacts' presence by subscription: what the client does when the pool warns, and when it was too late.
import { describe, expect, it } from 'vitest'
import type { ClientEvents } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import { EventResources } from '../../main/ucwa/event-resources'
import type { UcwaEvent } from '../../main/ucwa/events'
import { PresenceWatch } from '../../main/ucwa/presence'
import type { Resource } from '../../main/ucwa/resource'

const app = 'https://pool.test/ucwa/oauth/v1/applications/1'
const res = (href: string, props: Resource['props'] = {}, links: Record<string, string> = {}): Resource => ({
  rel: '',
  href,
  props,
  links: Object.fromEntries(Object.entries(links).map(([rel, h]) => [rel, [{ rel, href: h }]])),
  embedded: {},
})
const bob = { name: 'Bob', uri: 'sip:bob@contoso.test', href: `${app}/people/bob`, presenceHref: `${app}/people/bob/presence` }

function fakeClient(expired: boolean) {
  const posts: string[] = []
  let subs = 0
  const listeners: { events?: ClientEvents['events']; application?: ClientEvents['application'] } = {}
  const http = {
    post: async (href: string, _body?: unknown, o?: { query?: Record<string, unknown> }) => {
      posts.push(o?.query ? `${href}?duration=${o.query.duration}` : href)
      if (href.endsWith('/presenceSubscriptions')) return res(`${app}/people/presenceSubscriptions/${++subs}`)
      if (expired) throw new UcwaError({ status: 404, code: 'NotFound', message: 'gone' })
      return res(href)
    },
    get: async () => res(bob.presenceHref, { availability: 'Busy' }),
    delete: async () => {},
  }
  const client = {
    // as the client does: a link-only contactPresence event gets its resource read before the watch hears it
    eventResources: new EventResources(http),
    app: { ...res(app), embedded: { people: [res(`${app}/people`, {}, { presenceSubscriptions: `${app}/people/presenceSubscriptions` })] } },
    http,
    on: (name: 'events' | 'application', l: never) => void (listeners[name] = l),
  }
  const deliver = (...page: UcwaEvent[]) => client.eventResources.accept(page, (events) => listeners.events!(events))
  return { client, posts, deliver }
}
const warned = (n: number): UcwaEvent => ({ type: 'updated', sender: { rel: 'people', href: `${app}/people` }, link: { rel: 'presenceSubscription', href: `${app}/people/presenceSubscriptions/${n}` } })

describe('presence watch', () => {
  it('extends the subscription for 30 minutes when the pool warns; a contactPresence event becomes an availability', async () => {
    const { client, posts, deliver } = fakeClient(false)
    const heard: string[] = []
    const watch = new PresenceWatch(client as never, (uri, a) => heard.push(`${uri} ${a}`))
    await watch.watch([bob])
    await watch.watch([bob]) // the same list again: nothing sent
    await deliver(warned(1))
    expect(posts).toEqual([`${app}/people/presenceSubscriptions`, `${app}/people/presenceSubscriptions/1?duration=30`])
    await deliver({ type: 'updated', sender: { rel: 'people', href: `${app}/people` }, link: { rel: 'contactPresence', href: bob.presenceHref } })
    expect(heard).toEqual(['sip:bob@contoso.test Busy'])
  })

  it('a subscription that had already run out (404) is made again', async () => {
    const { client, posts, deliver } = fakeClient(true)
    const watch = new PresenceWatch(client as never, () => {})
    await watch.watch([bob])
    await deliver(warned(1))
    expect(posts).toEqual([`${app}/people/presenceSubscriptions`, `${app}/people/presenceSubscriptions/1?duration=30`, `${app}/people/presenceSubscriptions`])
    await deliver(warned(1)) // the old one: not ours any more
    expect(posts).toHaveLength(3)
  })

  it('an event it fails on is logged, and the events after it are still heard', async () => {
    const { client, deliver } = fakeClient(false)
    client.http.post = async (href: string) => {
      if (href.includes('/presenceSubscriptions/')) throw new UcwaError({ status: 500, code: 'ServiceFailure', message: 'The server failed.' })
      return res(`${app}/people/presenceSubscriptions/1`)
    }
    const heard: string[] = []
    const log: string[] = []
    const watch = new PresenceWatch(client as never, (uri, a) => heard.push(`${uri} ${a}`), (m) => log.push(m))
    await watch.watch([bob])
    // one page: the failing extension first, then Bob's presence
    await deliver(warned(1), { type: 'updated', sender: { rel: 'people', href: `${app}/people` }, link: { rel: 'contactPresence', href: bob.presenceHref } })
    expect(log).toEqual([`presence event updated presenceSubscription failed (${app}/people/presenceSubscriptions/1): ServiceFailure: The server failed.`])
    expect(heard).toEqual(['sip:bob@contoso.test Busy'])
  })
})
