// A deliberately plain UCWA caller for the simulator's own tests: raw HTTP, as any client would send it.
import { XMLParser } from 'fast-xml-parser'
import { startSimulator, type Simulator, type SimulatorOptions } from '../index'

export type Format = 'json' | 'xml'

export interface Resp {
  status: number
  headers: Headers
  text: string
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
  xml: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (n) => ['link', 'property', 'propertyList', 'item', 'resource', 'sender'].includes(n) })

export async function http(
  url: string,
  init: { method?: string; token?: string; accept?: Format; type?: string; body?: string; signal?: AbortSignal } = {},
): Promise<Resp> {
  const headers: Record<string, string> = { Accept: init.accept === 'xml' ? 'application/xml' : 'application/json' }
  if (init.token) headers.Authorization = `Bearer ${init.token}`
  if (init.type) headers['Content-Type'] = init.type
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, signal: init.signal })
  const text = await res.text()
  let json: unknown = null
  let xml: unknown = null
  try {
    json = JSON.parse(text)
  } catch {
    if (text.startsWith('<?xml')) xml = xmlParser.parse(text)
  }
  return { status: res.status, headers: res.headers, text, json, xml }
}

export const sdp = (tag: string, video = true): string =>
  [
    'v=0',
    `o=- ${Math.abs(hash(tag))} 2 IN IP4 127.0.0.1`,
    `s=${tag}`,
    't=0 0',
    'a=group:BUNDLE 0' + (video ? ' 1' : ''),
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    'a=sendrecv',
    'a=rtpmap:111 opus/48000/2',
    ...(video ? ['m=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sendrecv', 'a=rtpmap:96 VP8/90000'] : []),
    '',
  ].join('\r\n')

function hash(s: string): number {
  let h = 0
  for (const c of s) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0
  return h
}

export const dataUrl = (s: string): string => `data:application/sdp;base64,${Buffer.from(s).toString('base64')}`
export const fromDataUrl = (href: string): string => Buffer.from(href.split(',')[1]!, 'base64').toString()

export async function withSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, ...options })
}

export interface Session {
  sip: string
  token: string
  origin: string
  app: any // eslint-disable-line @typescript-eslint/no-explicit-any
  appHref: string
  next: string
  url(href: string): string
  get(href: string, accept?: Format): Promise<Resp>
  post(href: string, body?: unknown, opts?: { type?: string; accept?: Format }): Promise<Resp>
  delete(href: string): Promise<Resp>
  /** one P-GET on the channel; follows next/resume */
  poll(opts?: { query?: string; accept?: Format; signal?: AbortSignal }): Promise<Resp>
  /** polls until an event matching the predicate arrives, returning all events seen (flattened) */
  events: Ev[]
  waitFor(pred: (e: Ev) => boolean, opts?: { polls?: number; after?: number }): Promise<Ev>
}

export interface Ev {
  sender: string
  senderHref: string
  type: string
  rel: string
  href: string
  embedded?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: string
  reason?: { code: string; subcode?: string; message?: string }
  /** the collection or participant the resource belongs to (participantMessaging_ref.md's events) */
  in?: { rel: string; href: string; title?: string }
}

export function flatten(body: any): Ev[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (body.sender ?? []).flatMap((s: any) => // eslint-disable-line @typescript-eslint/no-explicit-any
    s.events.map((e: any) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      sender: s.rel,
      senderHref: s.href,
      type: e.type,
      rel: e.link.rel,
      href: e.link.href,
      embedded: e._embedded?.[e.link.rel],
      status: e.status,
      reason: e.reason,
      in: e.in,
    })),
  )
}

export async function token(origin: string, sip: string, password: string): Promise<string> {
  const r = await http(`${origin}/WebTicket/oauthtoken`, {
    method: 'POST',
    type: 'application/x-www-form-urlencoded;charset=UTF-8',
    body: new URLSearchParams({ grant_type: 'password', username: sip, password }).toString(),
  })
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`)
  return r.json.access_token
}

/** Sign in on the user's home pool and create an application (no redirect handling: tests of that do it by hand). */
export async function signIn(sim: Simulator, sip: string, opts: { endpointId?: string; available?: boolean; modalities?: string[] } = {}): Promise<Session> {
  const user = sim.users.find((u) => u.sip === sip)!
  const pool = sim.pools.find((p) => p.id === (user.pool ?? sim.pools[0]!.id))!
  const tok = await token(pool.origin, sip, user.password)
  const created = await http(`${pool.origin}/ucwa/oauth/v1/applications`, {
    method: 'POST',
    token: tok,
    type: 'application/json',
    body: JSON.stringify({ UserAgent: 'ParleyTest/1.0', EndpointId: opts.endpointId ?? `ep-${sip}`, Culture: 'en-US' }),
  })
  if (created.status !== 201) throw new Error(`app: ${created.status} ${created.text}`)
  const session: Session = {
    sip,
    token: tok,
    origin: pool.origin,
    app: created.json,
    appHref: created.json._links.self.href,
    next: created.json._links.events.href,
    events: [],
    url: (href) => new URL(href, pool.origin).toString(),
    get: (href, accept) => http(session.url(href), { token: tok, accept }),
    delete: (href) => http(session.url(href), { token: tok, method: 'DELETE' }),
    post: (href, body, o = {}) =>
      http(session.url(href), {
        method: 'POST',
        token: tok,
        accept: o.accept,
        type: body === undefined ? undefined : (o.type ?? 'application/json'),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async poll(o = {}) {
      const url = new URL(session.url(session.next))
      for (const [k, v] of new URLSearchParams(o.query ?? '')) url.searchParams.set(k, v)
      const r = await http(url.toString(), { token: tok, accept: o.accept, signal: o.signal })
      if (r.status === 200 && r.json) {
        const links = r.json._links
        session.next = (links.next ?? links.resume ?? links.resync).href
        session.events.push(...flatten(r.json))
      }
      return r
    },
    async waitFor(pred, o = {}) {
      for (let i = 0; i < (o.polls ?? 40); i++) {
        const hit = session.events.slice(o.after ?? 0).find(pred)
        if (hit) return hit
        const r = await session.poll()
        if (r.status !== 200) throw new Error(`poll: ${r.status} ${r.text}`)
      }
      throw new Error('event never came')
    },
  }
  if (opts.available !== false) {
    const me = created.json._embedded.me._links.makeMeAvailable.href
    const r = await session.post(me, { SupportedModalities: opts.modalities ?? ['Audio', 'Video', 'Messaging'] })
    if (r.status !== 204) throw new Error(`makeMeAvailable: ${r.status} ${r.text}`)
  }
  return session
}

/** A guest's own session: the anonmeeting grant and anonApplications, then its event channel. */
export async function guestSession(sim: Simulator, m: { onlineMeetingUri: string; onlineMeetingId: string }): Promise<Session> {
  const origin = sim.pools[0]!.origin
  const t = await http(`${origin}/WebTicket/oauthtoken`, {
    method: 'POST',
    type: 'application/x-www-form-urlencoded',
    body: new URLSearchParams({ grant_type: 'urn:microsoft.rtc:anonmeeting', password: m.onlineMeetingId, ms_rtc_conferenceuri: m.onlineMeetingUri }).toString(),
  })
  const token = t.json.access_token as string
  const created = await http(`${origin}/ucwa/oauth/v1/anonApplications`, { method: 'POST', token, type: 'application/json', body: JSON.stringify({ culture: 'en-us', userAgent: 'Guest/1.0' }) })
  const s: Session = {
    sip: created.json._embedded.me.uri.replace(/^sip:/, ''),
    token,
    origin,
    app: created.json,
    appHref: created.json._links.self.href,
    next: created.json._links.events.href,
    events: [],
    url: (href) => new URL(href, origin).toString(),
    get: (href, accept) => http(s.url(href), { token, accept }),
    delete: (href) => http(s.url(href), { token, method: 'DELETE' }),
    post: (href, body, o = {}) => http(s.url(href), { method: 'POST', token, accept: o.accept, type: body === undefined ? undefined : (o.type ?? 'application/json'), body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) }),
    async poll() {
      const r = await http(s.url(s.next), { token })
      if (r.status === 200) {
        s.next = (r.json._links.next ?? r.json._links.resume ?? r.json._links.resync).href
        s.events.push(...flatten(r.json))
      }
      return r
    },
    async waitFor(pred, o = {}) {
      for (let i = 0; i < (o.polls ?? 40); i++) {
        const hit = s.events.slice(o.after ?? 0).find(pred)
        if (hit) return hit
        await s.poll()
      }
      throw new Error('event never came')
    },
  }
  return s
}
