// Event channel responses (EventChannelDetails.md) read from JSON or XML into one shape.
import { XMLParser } from 'fast-xml-parser'
import { MAX_NESTING } from './nesting'
import { fromJson, fromXmlNode, type Resource } from './resource'

export type EventType = 'added' | 'updated' | 'deleted' | 'started' | 'completed'
const eventTypes: EventType[] = ['added', 'updated', 'deleted', 'started', 'completed']

export interface UcwaEvent {
  type: EventType
  sender: { rel: string; href: string }
  link: { rel: string; href: string; title?: string }
  /** the collection the resource was added to or deleted from (typingParticipants_ref.md's events) */
  in?: { rel: string; href: string }
  embedded?: Resource
  status?: 'Success' | 'Failure'
  reason?: { code: string; subcode?: string; message?: string }
}

export interface EventsPage {
  self?: string
  next?: string
  resume?: string
  resync?: string
  events: UcwaEvent[]
}

function reasonOf(r: unknown): UcwaEvent['reason'] {
  if (!r || typeof r !== 'object') return undefined
  const o = r as Record<string, unknown>
  const pick = (k: string) => {
    const v = Array.isArray(o[k]) ? (o[k] as unknown[])[0] : o[k]
    return typeof v === 'string' ? v : typeof (v as { '#text'?: unknown })?.['#text'] === 'string' ? String((v as { '#text': string })['#text']) : undefined
  }
  const code = pick('code')
  if (!code) return undefined
  return { code, ...(pick('subcode') && { subcode: pick('subcode') }), ...(pick('message') && { message: pick('message') }) }
}

export function eventsFromJson(json: unknown): EventsPage {
  if (typeof json !== 'object' || json === null) throw new TypeError('An event response is a JSON object')
  const o = json as Record<string, unknown>
  const links = (o._links ?? {}) as Record<string, { href?: unknown }>
  const href = (rel: string) => (typeof links[rel]?.href === 'string' ? (links[rel]!.href as string) : undefined)
  const events: UcwaEvent[] = []
  for (const s of Array.isArray(o.sender) ? o.sender : []) {
    const sender = { rel: String(s?.rel ?? ''), href: String(s?.href ?? '') }
    for (const e of Array.isArray(s?.events) ? s.events : []) {
      if (!eventTypes.includes(e?.type) || typeof e?.link?.href !== 'string') continue
      const rel = String(e.link.rel ?? '')
      const emb = e._embedded?.[rel]
      events.push({
        type: e.type,
        sender,
        link: { rel, href: e.link.href, ...(typeof e.link.title === 'string' && { title: e.link.title }) },
        ...(typeof e.in?.href === 'string' && { in: { rel: String(e.in.rel ?? ''), href: e.in.href } }),
        ...(emb && { embedded: fromJson(emb) }),
        ...((e.status === 'Success' || e.status === 'Failure') && { status: e.status }),
        ...(reasonOf(e.reason) && { reason: reasonOf(e.reason) }),
      })
    }
  }
  return { self: href('self'), next: href('next'), resume: href('resume'), resync: href('resync'), events }
}

const ordered = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, preserveOrder: true })

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> }

function nameOf(node: OrderedNode): string {
  return Object.keys(node).find((k) => k !== ':@')!
}

/** preserveOrder nodes back to the grouped shape fromXmlNode reads (order inside a resource does not matter). */
function grouped(children: OrderedNode[], depth = 0): Record<string, unknown> {
  if (depth > MAX_NESTING) throw new TypeError('Elements nested too deep') // the walk recurses: bounded
  const out: Record<string, unknown> = {}
  for (const child of children) {
    const name = nameOf(child)
    if (name === '#text') {
      out['#text'] = child['#text']
      continue
    }
    const node = { ...(child[':@'] ?? {}), ...grouped(child[name] as OrderedNode[], depth + 1) }
    const list = (out[name] as unknown[] | undefined) ?? []
    list.push(node)
    out[name] = list
  }
  return out
}

export function eventsFromXml(text: string): EventsPage {
  let doc: OrderedNode[]
  try {
    doc = ordered.parse(text) as OrderedNode[]
  } catch (e) {
    throw new TypeError(`Malformed XML: ${(e as Error).message}`, { cause: e })
  }
  const root = doc.find((n) => nameOf(n) === 'events')
  if (!root) throw new TypeError('Not a UCWA events document')
  const page: EventsPage = { self: root[':@']?.['@_href'], events: [] }
  for (const child of root.events as OrderedNode[]) {
    const name = nameOf(child)
    const attrs = child[':@'] ?? {}
    if (name === 'link') {
      const rel = attrs['@_rel']
      if (rel === 'next' || rel === 'resume' || rel === 'resync') page[rel] = attrs['@_href']
      continue
    }
    if (name !== 'sender') continue
    const sender = { rel: attrs['@_rel'] ?? '', href: attrs['@_href'] ?? '' }
    // document order is event order (EventChannelDetails.md): walk the children as they come
    for (const e of child.sender as OrderedNode[]) {
      const type = nameOf(e) as EventType
      if (!eventTypes.includes(type)) continue
      const a = e[':@'] ?? {}
      const inner = grouped(e[type] as OrderedNode[])
      const res = (inner.resource as Array<Record<string, unknown>> | undefined)?.[0]
      const reason = reasonOf((inner.reason as unknown[] | undefined)?.[0])
      const into = (inner.link as Array<Record<string, string>> | undefined)?.find((l) => l['@_rel'] === 'in')
      page.events.push({
        type,
        sender,
        link: { rel: a['@_rel'] ?? '', href: a['@_href'] ?? '', ...(a['@_title'] && { title: a['@_title'] }) },
        // XML names the collection by its href alone (<link rel="in" href=…/>)
        ...(into?.['@_href'] && { in: { rel: '', href: into['@_href'] } }),
        ...(res && { embedded: fromXmlNode(res) }),
        ...((a['@_status'] === 'Success' || a['@_status'] === 'Failure') && { status: a['@_status'] }),
        ...(reason && { reason }),
      })
    }
  }
  return page
}
