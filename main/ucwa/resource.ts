// UCWA resources read from JSON or XML into one shape (PayloadFormat.md): links by rel, embedded, properties.
import { XMLParser } from 'fast-xml-parser'
import { MAX_NESTING } from './nesting'

export type PropValue = string | number | boolean | null | string[]

export interface Link {
  rel: string
  href: string
  title?: string
}

export interface Resource {
  rel: string
  href: string
  props: Record<string, PropValue>
  links: Record<string, Link[]>
  embedded: Record<string, Resource[]>
}

export function link(r: Resource | undefined, rel: string): string | undefined {
  return r?.links[rel]?.[0]?.href
}

export function embedded(r: Resource | undefined, rel: string): Resource | undefined {
  return r?.embedded[rel]?.[0]
}

export function prop<T extends PropValue = string>(r: Resource | undefined, name: string): T | undefined {
  return r?.props[name] as T | undefined
}

export function fromJson(json: unknown, depth = 0): Resource {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError('A resource is a JSON object')
  if (depth > MAX_NESTING) throw new TypeError('Resources embedded too deep') // the walk recurses: bounded
  const o = json as Record<string, unknown>
  const links: Record<string, Link[]> = {}
  let href = ''
  for (const [rel, v] of Object.entries((o._links as Record<string, unknown>) ?? {})) {
    const list = (Array.isArray(v) ? v : [v]).filter((l): l is { href: string; title?: string } => typeof (l as { href?: unknown })?.href === 'string')
    if (rel === 'self') href = list[0]?.href ?? ''
    else links[rel] = list.map((l) => ({ rel, href: l.href, ...(typeof l.title === 'string' && { title: l.title }) }))
  }
  const embeddedOut: Record<string, Resource[]> = {}
  for (const [rel, v] of Object.entries((o._embedded as Record<string, unknown>) ?? {})) {
    embeddedOut[rel] = (Array.isArray(v) ? v : [v]).map((e) => fromJson(e, depth + 1))
  }
  const props: Record<string, PropValue> = {}
  for (const [k, v] of Object.entries(o)) {
    if (k === '_links' || k === '_embedded' || k === 'rel') continue
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) props[k] = v
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) props[k] = v.map(String)
  }
  return { rel: typeof o.rel === 'string' ? o.rel : '', href, props, links, embedded: embeddedOut }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['link', 'property', 'propertyList', 'item', 'resource', 'sender', 'added', 'updated', 'deleted', 'started', 'completed'].includes(name),
})

export function parseXml(text: string): Record<string, unknown> {
  try {
    return parser.parse(text, true) as Record<string, unknown>
  } catch (e) {
    throw new TypeError(`Malformed XML: ${(e as Error).message}`, { cause: e }) // one error type for every bad body
  }
}

function text(node: unknown): string {
  if (node === undefined || node === null) return ''
  if (typeof node === 'object') return String((node as Record<string, unknown>)['#text'] ?? '')
  return String(node)
}

/** XML values are text; "True"/"False" are the booleans JSON would carry. */
function xmlValue(s: string): PropValue {
  if (s === 'True' || s === 'true') return true
  if (s === 'False' || s === 'false') return false
  return s
}

/** A <resource> element; an embedded one carries the embedding name in @rel and its type in <property name="rel">. */
export function fromXmlNode(node: Record<string, unknown>, depth = 0): Resource & { as: string } {
  if (depth > MAX_NESTING) throw new TypeError('Resources embedded too deep') // the walk recurses: bounded
  const links: Record<string, Link[]> = {}
  for (const l of (node.link as Array<Record<string, string>>) ?? []) {
    const rel = l['@_rel']!
    ;(links[rel] ??= []).push({ rel, href: l['@_href']!, ...(l['@_title'] && { title: l['@_title'] }) })
  }
  const props: Record<string, PropValue> = {}
  let type = String(node['@_rel'] ?? '')
  for (const p of (node.property as Array<Record<string, unknown>>) ?? []) {
    const name = String(p['@_name'])
    if (name === 'rel') type = text(p)
    else props[name] = xmlValue(text(p))
  }
  for (const p of (node.propertyList as Array<Record<string, unknown>>) ?? []) props[String(p['@_name'])] = ((p.item as unknown[]) ?? []).map(text)
  const embeddedOut: Record<string, Resource[]> = {}
  for (const child of (node.resource as Array<Record<string, unknown>>) ?? []) {
    const r = fromXmlNode(child, depth + 1)
    ;(embeddedOut[r.as] ??= []).push(r)
  }
  return { rel: type, as: String(node['@_rel'] ?? type), href: String(node['@_href'] ?? ''), props, links, embedded: embeddedOut }
}

export function fromXml(text: string): Resource {
  const doc = parseXml(text)
  const root = (doc.resource as Array<Record<string, unknown>> | undefined)?.[0]
  if (!root) throw new TypeError('Not a UCWA resource document')
  const { as: _as, ...r } = fromXmlNode(root)
  return r
}
