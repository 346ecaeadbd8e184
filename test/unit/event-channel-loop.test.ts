// The loop's decisions with a scripted pool: resync, resume, backoff, replacement, order of processing.
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { EventChannelLoop, type ChannelState } from '../../main/ucwa/event-channel'
import { eventsFromJson } from '../../main/ucwa/events'
import type { HttpResult, UcwaHttp } from '../../main/ucwa/http'

type Step = { status: number; body?: unknown } | 'network'

function scripted(steps: Step[]) {
  const asked: string[] = []
  const http = {
    async send(href: string, o: { query?: Record<string, unknown> }) {
      asked.push(href + (o.query ? `#${JSON.stringify(o.query)}` : ''))
      const step = steps.shift() ?? { status: 409, body: { code: 'Conflict', subcode: 'PGetReplaced' } }
      if (step === 'network') throw new UcwaError({ status: 0, code: 'NetworkError', message: 'x' })
      return { status: step.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(step.body ?? {}), url: href } as HttpResult
    },
    parseEvents: (res: HttpResult) => eventsFromJson(JSON.parse(res.body)),
    errorBody: (res: HttpResult) => JSON.parse(res.body),
  } as unknown as UcwaHttp
  return { http, asked }
}

const page = (ack: number, notes: number[], extra: Record<string, unknown> = {}) => ({
  _links: { self: { href: `/e?ack=${ack}` }, next: { href: `/e?ack=${ack + 1}` }, ...extra },
  sender: [{ rel: 'me', href: '/me', events: notes.map((n) => ({ link: { rel: 'note', href: `/n/${n}` }, type: 'updated' })) }],
})

describe('event channel loop (unit)', () => {
  it('follows next, processes in order, backs off on network errors and 5xx and retries the same URL', async () => {
    const { http, asked } = scripted([{ status: 200, body: page(1, [1, 2]) }, 'network', { status: 503, body: { code: 'ServiceUnavailable' } }, { status: 200, body: page(2, [3]) }])
    const got: string[] = []
    const states: ChannelState[] = []
    const delays: number[] = []
    const loop = new EventChannelLoop(
      http,
      {
        onEvents: async (p) => {
          await new Promise((r) => setTimeout(r, 5)) // slow processing must not reorder
          got.push(...p.events.map((e) => e.link.href))
        },
        onTransientStateLost: () => {},
        recover: async () => '/new',
        reauthenticate: async () => {},
        onReplaced: () => {},
        onState: (s) => states.push(s),
      },
      { random: () => 1, backoff: { baseMs: 10, capMs: 15 }, sleep: async (ms) => void delays.push(ms) },
    )
    await loop.run('/e?ack=1')
    expect(got).toEqual(['/n/1', '/n/2', '/n/3'])
    expect(asked.map((a) => a.split('#')[0])).toEqual(['/e?ack=1', '/e?ack=2', '/e?ack=2', '/e?ack=2', '/e?ack=3'])
    expect(asked[0]).toContain('"timeout":180') // parameters once, then remembered by the pool
    expect(asked[1]).not.toContain('timeout')
    expect(delays).toEqual([10, 15]) // capped exponential
    expect(states).toContain('backoff')
    expect(loop.state).toBe('replaced')
  })

  it('a resync drops transient state and follows the resync link; a resume re-sends parameters', async () => {
    const { http, asked } = scripted([
      { status: 200, body: { _links: { self: { href: '/e?ack=9' }, resync: { href: '/e?ack=4' } } } },
      { status: 200, body: { ...page(4, [7]), _links: { self: { href: '/e?ack=4' }, resume: { href: '/e?ack=5' } } } },
      { status: 200, body: page(5, []) },
    ])
    const lost: string[] = []
    const loop = new EventChannelLoop(http, {
      onEvents: () => {},
      onTransientStateLost: (why) => void lost.push(why),
      recover: async () => '/new',
      reauthenticate: async () => {},
      onReplaced: () => {},
    })
    await loop.run('/e?ack=9')
    expect(lost).toEqual(['resync', 'resume'])
    expect(asked.map((a) => a.split('#')[0])).toEqual(['/e?ack=9', '/e?ack=4', '/e?ack=5', '/e?ack=6'])
    expect(asked[2]).toContain('timeout') // after resume
  })

  it('404 ApplicationNotFound recovers into the new application’s channel', async () => {
    const { http, asked } = scripted([{ status: 404, body: { code: 'NotFound', subcode: 'ApplicationNotFound' } }, { status: 200, body: page(1, [1]) }])
    let recovered = 0
    const loop = new EventChannelLoop(http, {
      onEvents: () => {},
      onTransientStateLost: () => {},
      recover: async () => (recovered++, '/apps/2/events?ack=1'),
      reauthenticate: async () => {},
      onReplaced: () => {},
    })
    await loop.run('/apps/1/events?ack=7')
    expect(recovered).toBe(1)
    expect(asked[1]).toMatch(/^\/apps\/2\/events\?ack=1#/)
  })
})

describe('waking from sleep', () => {
  it('kick() drops the parked P-GET and asks again at once with the same URL', async () => {
    const asked: string[] = []
    let release: (() => void) | null = null
    const http = {
      send: (href: string, o: { signal: AbortSignal }) =>
        new Promise((resolve, reject) => {
          asked.push(href)
          if (asked.length === 1) {
            o.signal.addEventListener('abort', () => reject(new UcwaError({ status: 0, code: 'Aborted', message: 'x' })))
            return
          }
          release = () => resolve({ status: 409, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'Conflict', subcode: 'PGetReplaced' }), url: href })
        }),
      parseEvents: () => ({ events: [] }),
      errorBody: (res: HttpResult) => JSON.parse(res.body),
    } as unknown as UcwaHttp
    const states: ChannelState[] = []
    const loop = new EventChannelLoop(http, { onEvents: () => {}, onTransientStateLost: () => {}, recover: async () => '', reauthenticate: async () => {}, onReplaced: () => {}, onState: (s) => states.push(s) })
    const running = loop.run('/e?ack=4')
    await new Promise((r) => setTimeout(r, 10))
    loop.kick()
    await new Promise((r) => setTimeout(r, 10))
    expect(asked).toEqual(['/e?ack=4', '/e?ack=4'])
    expect(states).not.toContain('backoff')
    release!()
    await running
  })
})
