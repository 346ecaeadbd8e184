// The simulator's resource model and its JSON and XML forms (PayloadFormat.md, EventChannelDetails.md).

/** A point in time (ms since the epoch, UTC); JSON writes it `/Date(ms)/`, XML as ISO 8601 (PayloadFormat.md). */
export class UcwaDate {
  constructor(readonly ms: number) {}
}

export type Prop = string | number | boolean | null | string[] | UcwaDate

export interface Link {
  href: string
  title?: string
}

export interface Res {
  rel: string
  href: string
  props?: Record<string, Prop | undefined>
  links?: Record<string, Link | Link[] | undefined>
  embedded?: Record<string, Res | Res[] | undefined>
}

export type EventType = 'added' | 'updated' | 'deleted' | 'started' | 'completed'

export interface UcwaEvent {
  type: EventType
  link: { rel: string; href: string; title?: string }
  in?: Link & { rel: string }
  embedded?: Res
  status?: 'Success' | 'Failure'
  reason?: { code: string; subcode?: string; message?: string }
}

export interface SenderBlock {
  rel: string
  href: string
  events: UcwaEvent[]
}

export interface EventsBody {
  self: string
  next?: string
  resume?: string
  resync?: string
  senders: SenderBlock[]
}

export const UCWA_NS = 'http://schemas.microsoft.com/rtc/2012/03/ucwa'

/** ASP.NET AJAX's date form, as PayloadFormat.md gives for JSON (the page's samples: "\\/Date(1474932024822)\\/"). */
const jsonDate = (d: UcwaDate): string => `/Date(${Math.trunc(d.ms)})/`

export function resourceToJson(res: Res): Record<string, unknown> {
  const out: Record<string, unknown> = { rel: res.rel }
  for (const [k, v] of Object.entries(res.props ?? {})) if (v !== undefined) out[k] = v instanceof UcwaDate ? jsonDate(v) : v
  const links: Record<string, unknown> = { self: { href: res.href } }
  for (const [k, v] of Object.entries(res.links ?? {})) if (v !== undefined) links[k] = v
  out._links = links
  const embedded = Object.entries(res.embedded ?? {}).filter(([, v]) => v !== undefined)
  if (embedded.length) {
    out._embedded = Object.fromEntries(embedded.map(([k, v]) => [k, Array.isArray(v) ? v.map(resourceToJson) : resourceToJson(v!)]))
  }
  return out
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

/**
 * JSON text as the pool writes it: a date is the string `"\/Date(ms)\/"` with its slashes escaped, the ASP.NET AJAX
 * form PayloadFormat.md names (what tells a date from a string that merely looks like one); it parses to `/Date(ms)/`.
 */
export function ucwaJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\/Date\((-?\d+)\)\/"/g, '"\\/Date($1)\\/"')
}

function xmlValue(v: string | number | boolean | UcwaDate): string {
  if (v instanceof UcwaDate) return new Date(v.ms).toISOString() // "Dates in XML are supplied in ISO 8601 format" (PayloadFormat.md)
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : escapeXml(String(v))
}

function linkXml(rel: string, l: Link): string {
  return `<link rel="${escapeXml(rel)}" href="${escapeXml(l.href)}"${l.title ? ` title="${escapeXml(l.title)}"` : ''} />`
}

/** A resource as XML; `as` is the rel the enclosing element carries (an embedded name may differ from the type). */
export function resourceToXml(res: Res, as = res.rel, root = true): string {
  const parts: string[] = [`<resource rel="${escapeXml(as)}" href="${escapeXml(res.href)}"${root ? ` xmlns="${UCWA_NS}"` : ''}>`]
  for (const [rel, l] of Object.entries(res.links ?? {})) {
    if (l === undefined) continue
    for (const one of Array.isArray(l) ? l : [l]) parts.push(linkXml(rel, one))
  }
  parts.push(`<property name="rel">${escapeXml(res.rel)}</property>`)
  for (const [name, v] of Object.entries(res.props ?? {})) {
    if (v === undefined || v === null) continue
    if (Array.isArray(v)) parts.push(`<propertyList name="${escapeXml(name)}">${v.map((i) => `<item>${xmlValue(i)}</item>`).join('')}</propertyList>`)
    else parts.push(`<property name="${escapeXml(name)}">${xmlValue(v)}</property>`)
  }
  for (const [name, e] of Object.entries(res.embedded ?? {})) {
    if (e === undefined) continue
    for (const one of Array.isArray(e) ? e : [e]) parts.push(resourceToXml(one, name, false))
  }
  parts.push('</resource>')
  return parts.join('')
}

/** `linkOnly`: every event carries its link alone; the resource is read from link.href (EventsInUCWA.md) */
export function eventsToJson(body: EventsBody, linkOnly = false): Record<string, unknown> {
  const links: Record<string, Link> = { self: { href: body.self } }
  if (body.next) links.next = { href: body.next }
  if (body.resume) links.resume = { href: body.resume }
  if (body.resync) links.resync = { href: body.resync }
  const out: Record<string, unknown> = { _links: links }
  if (body.senders.length) {
    out.sender = body.senders.map((s) => ({
      rel: s.rel,
      href: s.href,
      events: s.events.map((e) => ({
        link: e.link,
        ...(e.in && { in: e.in }),
        ...(e.embedded && !linkOnly && { _embedded: { [e.link.rel]: resourceToJson(e.embedded) } }),
        ...(e.status && { status: e.status }),
        ...(e.reason && { reason: e.reason }),
        type: e.type,
      })),
    }))
  }
  return out
}

export function reasonToXml(reason: { code: string; subcode?: string; message?: string }, root = false): string {
  return (
    `<reason${root ? ` xmlns="${UCWA_NS}"` : ''}><code>${escapeXml(reason.code)}</code>` +
    (reason.subcode ? `<subcode>${escapeXml(reason.subcode)}</subcode>` : '') +
    (reason.message ? `<message>${escapeXml(reason.message)}</message>` : '') +
    '</reason>'
  )
}

export function eventsToXml(body: EventsBody, linkOnly = false): string {
  const parts = [`<?xml version="1.0" encoding="utf-8"?><events href="${escapeXml(body.self)}" xmlns="${UCWA_NS}">`]
  if (body.next) parts.push(linkXml('next', { href: body.next }))
  if (body.resume) parts.push(linkXml('resume', { href: body.resume }))
  if (body.resync) parts.push(linkXml('resync', { href: body.resync }))
  for (const s of body.senders) {
    parts.push(`<sender rel="${escapeXml(s.rel)}" href="${escapeXml(s.href)}">`)
    for (const e of s.events) {
      const attrs = `rel="${escapeXml(e.link.rel)}" href="${escapeXml(e.link.href)}"${e.link.title ? ` title="${escapeXml(e.link.title)}"` : ''}${e.status ? ` status="${e.status}"` : ''}`
      const inner =
        (e.in ? linkXml('in', e.in) : '') + (e.embedded && !linkOnly ? resourceToXml(e.embedded, e.link.rel, false) : '') + (e.reason ? reasonToXml(e.reason) : '')
      parts.push(inner ? `<${e.type} ${attrs}>${inner}</${e.type}>` : `<${e.type} ${attrs} />`)
    }
    parts.push('</sender>')
  }
  parts.push('</events>')
  return parts.join('')
}

/** Groups consecutive events of one sender into a block; a sender may appear again later (order is kept). */
export function groupBySender(items: Array<{ sender: { rel: string; href: string }; event: UcwaEvent }>): SenderBlock[] {
  const blocks: SenderBlock[] = []
  for (const { sender, event } of items) {
    const last = blocks.at(-1)
    if (last && last.href === sender.href && last.rel === sender.rel) last.events.push(event)
    else blocks.push({ rel: sender.rel, href: sender.href, events: [event] })
  }
  return blocks
}

export function sdpDataUrl(sdp: string): string {
  return `data:application/sdp;base64,${Buffer.from(sdp, 'utf8').toString('base64')}`
}

/** Decodes a data: URL (base64 or URL-encoded); null when it is not one or not of the wanted type. */
export function decodeDataUrl(href: string, type: string): string | null {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(href)
  if (!m || m[1]!.trim().toLowerCase() !== type) return null
  try {
    return m[2]!.includes(';base64') ? Buffer.from(m[3]!, 'base64').toString('utf8') : decodeURIComponent(m[3]!.replace(/\+/g, ' '))
  } catch {
    return null
  }
}
