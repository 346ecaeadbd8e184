// The one HTTP client (got): Accept/Content-Type per request, bearer token only to the pool's origins and only over TLS,
// timeouts, retries only for idempotent GETs, keep-alive, a size cap on every body. Every failure becomes a UcwaError.
import got, { RequestError, type Got, type Method } from 'got'
import { sessionAgents, type ConnectTo } from './agents'
import { errorFromBody, foreignOriginError, UcwaError, userMessage } from './errors'
import { eventsFromJson, eventsFromXml, type EventsPage } from './events'
import { checkXmlNesting } from './nesting'
import { fromJson, fromXml, parseXml, type Resource } from './resource'
import { requireSecure } from './secure-transport'
import { escapeXml } from './xml-escape'
import { refusalOf, type Refusal } from './token-refusal'

export type Format = 'json' | 'xml'

/** Body caps in bytes: a pool's resource or discovery answer, a page of events, a contact photo. */
export const MAX_BYTES = { resource: 1024 * 1024, events: 4 * 1024 * 1024, photo: 256 * 1024 } as const

export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** with `binary`: the body as it came */
  bytes?: Buffer
  url: string
}

export interface RequestOptions {
  method?: Method
  /** JSON object (sent as JSON or XML input), SDP, form or message text */
  body?: Record<string, unknown> | string
  /** plain, html: a message body (sendMessage_ref.md: text/plain; text/html for an HTML message) */
  type?: 'json' | 'sdp' | 'form' | 'plain' | 'html'
  query?: Record<string, string | number | undefined>
  /** send the bearer token (default true) */
  auth?: boolean
  /** sign-in only: this token, which the caller picked for the URL's origin */
  bearer?: string
  timeoutMs?: number
  signal?: AbortSignal
  /** an image rather than a UCWA resource: bytes back, this Accept sent */
  binary?: { accept: string }
  /** GET retries on a reset, refused connection or 502/503/504 (default 2) */
  retries?: number
  /** the most bytes of body read (default MAX_BYTES.resource); more is ResponseTooLarge, the download cut there */
  maxBytes?: number
}

export interface HttpOptions {
  format?: Format
  token: () => string | null
  /** origins the token may go to: the discovered pool's; anything else is refused before sending */
  allowedOrigins: () => ReadonlySet<string>
  userAgent?: string
  requestTimeoutMs?: number
  /** what relative hrefs resolve against: the pool's origin once known */
  base?: () => string
  /** the pool refused the session's token (401, or 403 InvalidToken): get a new one if possible (true: try the request once more) */
  renewToken?: (refusal: Refusal) => Promise<boolean>
  /** the token renewed for a refusal was refused too: the session cannot go on */
  refusedAgain?: (refusal: Refusal) => void
  /** tests only: open connections elsewhere (named hosts on loopback); production passes none */
  connectTo?: ConnectTo
  /** tests only: an extra CA (PEM) trusted beside the system's */
  ca?: string
}

function toXmlInput(body: Record<string, unknown>): string {
  const parts = ['<?xml version="1.0" encoding="utf-8"?><input xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa">']
  for (const [k, v] of Object.entries(body)) {
    if (k === '_links' && v && typeof v === 'object') {
      for (const [rel, l] of Object.entries(v)) parts.push(`<link rel="${escapeXml(rel)}" href="${escapeXml(String((l as { href: string }).href))}" />`)
    } else if (Array.isArray(v)) parts.push(`<propertyList name="${escapeXml(k)}">${v.map((i) => `<item>${escapeXml(String(i))}</item>`).join('')}</propertyList>`)
    else if (v !== undefined && v !== null) parts.push(`<property name="${escapeXml(k)}">${escapeXml(typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))}</property>`)
  }
  parts.push('</input>')
  return parts.join('')
}

const contentTypes = {
  json: 'application/json',
  sdp: 'application/sdp',
  form: 'application/x-www-form-urlencoded;charset=UTF-8',
  plain: 'text/plain;charset=UTF-8',
  html: 'text/html;charset=UTF-8',
} as const

export class UcwaHttp {
  readonly format: Format
  readonly #got: Got
  constructor(private readonly options: HttpOptions) {
    this.format = options.format ?? 'json'
    const agents = sessionAgents({ connectTo: options.connectTo, ca: options.ca })
    this.#got = got.extend({
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      agent: agents,
      timeout: { request: options.requestTimeoutMs ?? 30_000 },
      retry: { limit: 2, methods: ['GET'], backoffLimit: 400, statusCodes: [502, 503, 504], errorCodes: ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'] },
      headers: { 'user-agent': options.userAgent ?? 'Parley' },
    })
  }

  url(href: string, query?: RequestOptions['query']): URL {
    let u: URL
    try {
      u = new URL(href, this.options.base?.() || undefined)
    } catch {
      throw new UcwaError({ status: 0, code: 'BadResponse', message: userMessage('BadResponse'), debugInfo: { href } })
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v))
    return u
  }

  get accept(): string {
    return this.format === 'xml' ? 'application/vnd.microsoft.com.ucwa+xml' : 'application/vnd.microsoft.com.ucwa+json'
  }

  /** A request with the bearer token (never to a foreign origin); the raw result, whatever the status. */
  async send(href: string, o: RequestOptions = {}): Promise<HttpResult> {
    const url = this.url(href, o.query)
    const headers: Record<string, string> = { accept: o.binary?.accept ?? this.accept }
    if (o.bearer) headers.authorization = `Bearer ${o.bearer}`
    else if (o.auth !== false) {
      if (!this.options.allowedOrigins().has(url.origin)) {
        throw foreignOriginError()
      }
      const token = this.options.token()
      if (token) headers.authorization = `Bearer ${token}`
    }
    if (headers.authorization) requireSecure(url, 'token') // even when the pool's own hrefs say http
    let body: string | undefined
    if (o.body !== undefined) {
      if (typeof o.body === 'string') {
        body = o.body
        headers['content-type'] = contentTypes[o.type ?? 'json']
      } else if (this.format === 'xml') {
        body = toXmlInput(o.body)
        headers['content-type'] = 'application/vnd.microsoft.com.ucwa+xml'
      } else {
        body = JSON.stringify(o.body)
        headers['content-type'] = 'application/vnd.microsoft.com.ucwa+json'
      }
    }
    const maxBytes = o.maxBytes ?? MAX_BYTES.resource
    const cut = new AbortController() // aborts the download once the cap is passed
    let tooLarge: { received: number; announced?: number } | undefined
    try {
      const request = this.#got(url, {
        method: o.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        signal: o.signal ? AbortSignal.any([o.signal, cut.signal]) : cut.signal,
        ...(o.timeoutMs && { timeout: { request: o.timeoutMs } }),
        ...(o.method && o.method !== 'GET' ? { retry: { limit: 0 } } : o.retries !== undefined && { retry: { limit: o.retries } }),
        ...(o.binary && { responseType: 'buffer' as const }),
      })
      // first with Content-Length (total) before any body, then as each chunk arrives
      request.on('downloadProgress', ({ transferred, total }) => {
        if (tooLarge || Math.max(transferred, total ?? 0) <= maxBytes) return
        tooLarge = { received: transferred, ...(total && { announced: total }) }
        cut.abort()
      })
      const res = await request
      if (o.binary) {
        const bytes = Buffer.from(res.rawBody) // got gives a Uint8Array body here; rawBody is the bytes as they came
        return { status: res.statusCode, headers: res.headers, body: res.statusCode >= 400 ? bytes.toString('utf8') : '', bytes, url: res.url }
      }
      return { status: res.statusCode, headers: res.headers, body: res.body as unknown as string, url: res.url }
    } catch (e) {
      if (tooLarge) {
        throw new UcwaError({
          status: 0,
          code: 'BadResponse',
          subcode: 'ResponseTooLarge',
          message: `${url.hostname} sent more than Parley accepts for this (over ${Math.round(maxBytes / 1024)} KiB); Parley stopped reading.`,
          debugInfo: { host: url.hostname, maxBytes: String(maxBytes), receivedBytes: String(tooLarge.received), ...(tooLarge.announced && { announcedBytes: String(tooLarge.announced) }) },
        })
      }
      if (o.signal?.aborted) throw new UcwaError({ status: 0, code: 'Aborted', message: 'The request was cancelled.' })
      const code = e instanceof RequestError ? e.code : 'unknown'
      throw new UcwaError({ status: 0, code: 'NetworkError', message: userMessage('NetworkError'), debugInfo: { cause: String(code), host: url.hostname } })
    }
  }

  /** Throws the pool's error for any status >= 400, and UnexpectedRedirect for any 3xx: a pool sends the client on only by a `redirect` link (RootURL.md step 5), so a 3xx is never a body. */
  check(res: HttpResult): HttpResult {
    if (res.status >= 300 && res.status < 400) throw unexpectedRedirect(res)
    if (res.status < 400) return res
    throw errorFromBody(res.status, this.errorBody(res))
  }

  errorBody(res: HttpResult): Record<string, unknown> | null {
    const type = String(res.headers['content-type'] ?? '')
    try {
      if (type.includes('json')) return JSON.parse(res.body)
      if (type.includes('xml')) {
        checkXmlNesting(res.body)
        const reason = (parseXml(res.body).reason ?? {}) as Record<string, unknown>
        const text = (k: string) => {
          const v = reason[k]
          return typeof v === 'string' ? v : typeof (v as { '#text'?: unknown })?.['#text'] === 'string' ? (v as { '#text': string })['#text'] : undefined
        }
        return { code: text('code'), subcode: text('subcode'), message: text('message') }
      }
    } catch {
      // a body that is not UCWA's: status alone
    }
    return null
  }

  parse(res: HttpResult): Resource {
    try {
      if (String(res.headers['content-type'] ?? '').includes('xml')) return (checkXmlNesting(res.body), fromXml(res.body))
      return fromJson(JSON.parse(res.body)) // V8's JSON.parse does not recurse; fromJson bounds its own depth
    } catch {
      throw new UcwaError({ status: res.status, code: 'BadResponse', message: userMessage('BadResponse') })
    }
  }

  parseEvents(res: HttpResult): EventsPage {
    try {
      if (String(res.headers['content-type'] ?? '').includes('xml')) return (checkXmlNesting(res.body), eventsFromXml(res.body))
      return eventsFromJson(JSON.parse(res.body)) // as above: no pre-scan, it would cost a third of the parse
    } catch {
      throw new UcwaError({ status: res.status, code: 'BadResponse', message: userMessage('BadResponse') })
    }
  }

  /**
   * send, and once more after one token renewal when the session's token was refused (expired, revoked:
   * 401, or 403 InvalidToken); a renewed token refused again is reported (refusedAgain), never renewed in a loop
   */
  async #sendAuthed(href: string, o: RequestOptions): Promise<HttpResult> {
    const sent = this.options.token()
    const res = await this.send(href, o)
    const refusal = refusalOf(res)
    if (!refusal || o.bearer || o.auth === false || !sent || !this.options.renewToken) return res
    // another request may have renewed it meanwhile: the new token gets its one try without a renewal of ours
    if (this.options.token() === sent && !(await this.options.renewToken(refusal).catch(() => false))) return res
    const again = await this.send(href, o)
    const refusedAgain = refusalOf(again)
    if (refusedAgain) this.options.refusedAgain?.(refusedAgain)
    return again
  }

  async get(href: string, o: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<Resource> {
    return this.parse(this.check(await this.#sendAuthed(href, o)))
  }

  /** POST; the resource when the pool returned one (201), else null (204). */
  async post(href: string, body?: RequestOptions['body'], o: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<Resource | null> {
    const res = this.check(await this.#sendAuthed(href, { ...o, method: 'POST', body }))
    return res.body.trim() ? this.parse(res) : null
  }

  /** An image (photo_ref.md, contactPhoto_ref.md): its type and bytes; over MAX_BYTES.photo is ResponseTooLarge. */
  async image(href: string, query?: RequestOptions['query']): Promise<{ type: string; bytes: Buffer }> {
    const res = this.check(await this.#sendAuthed(href, { query, binary: { accept: 'image/jpeg, image/png' }, maxBytes: MAX_BYTES.photo }))
    return { type: String(res.headers['content-type'] ?? '').split(';')[0]!.trim(), bytes: res.bytes ?? Buffer.alloc(0) }
  }

  async delete(href: string): Promise<void> {
    this.check(await this.#sendAuthed(href, { method: 'DELETE' }))
  }
}

/** A 3xx where a resource was expected: an error naming where the server pointed (never followed, never a body). */
export function unexpectedRedirect(res: HttpResult): UcwaError {
  const from = hostOf(res.url)
  const to = hostOf(String(res.headers.location ?? ''), res.url)
  return new UcwaError({
    status: res.status,
    code: 'BadResponse',
    subcode: 'UnexpectedRedirect',
    message: `${from || 'The server'} answered with a redirect${to ? ` to ${to}` : ''} (HTTP ${res.status}) where Parley expected an answer.`,
    debugInfo: { host: from, ...(to && { location: to }) },
  })
}

function hostOf(href: string, base?: string): string {
  try {
    return new URL(href, base).hostname
  } catch {
    return ''
  }
}
