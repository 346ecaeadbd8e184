// Request bodies: JSON or XML resources (links ignored except data: content), SDP, and OAuth forms.
import { XMLParser } from 'fast-xml-parser'
import { errors } from './errors'

export type InputKind = 'json' | 'xml' | 'sdp' | 'form' | 'none'

export interface Input {
  kind: InputKind
  /** property names lower-cased: UCWA input names are case-insensitive (CreateAnApplication.md sends "UserAgent") */
  props: Record<string, unknown>
  links: Record<string, string>
  text: string
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  isArray: (name) => ['property', 'propertyList', 'item', 'link'].includes(name),
})

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}

export function kindOf(type: string): InputKind | null {
  if (type === 'application/json' || type === 'application/vnd.microsoft.com.ucwa+json') return 'json'
  if (type === 'application/xml' || type === 'application/vnd.microsoft.com.ucwa+xml') return 'xml'
  if (type === 'application/sdp') return 'sdp'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  return null
}

function textOf(node: unknown): string {
  if (node === undefined || node === null) return ''
  if (typeof node === 'object') return String((node as Record<string, unknown>)['#text'] ?? '')
  return String(node)
}

export function parseInput(contentType: string | undefined, body: string | undefined, accepted: InputKind[]): Input {
  const text = body ?? ''
  if (!text.trim()) {
    if (accepted.includes('none')) return { kind: 'none', props: {}, links: {}, text: '' }
    throw errors.deserialization('The request body is empty.')
  }
  const type = mediaType(contentType)
  const kind = kindOf(type)
  if (!kind || !accepted.includes(kind)) throw errors.unsupportedMediaType(type)
  if (kind === 'sdp') {
    if (!/^v=0\r?\n/.test(text)) throw errors.deserialization('The body is not an SDP session description.')
    return { kind, props: {}, links: {}, text }
  }
  if (kind === 'form') {
    return { kind, props: Object.fromEntries(new URLSearchParams(text)), links: {}, text }
  }
  if (kind === 'json') {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw errors.deserialization('The JSON body could not be parsed.')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.deserialization('The JSON body must be an object.')
    const props: Record<string, unknown> = {}
    const links: Record<string, string> = {}
    for (const [k, v] of Object.entries(parsed)) {
      if (k === '_links' && typeof v === 'object' && v) {
        for (const [rel, l] of Object.entries(v)) if (typeof (l as { href?: unknown })?.href === 'string') links[rel] = (l as { href: string }).href
      } else if (k !== '_embedded') props[k.toLowerCase()] = v
    }
    return { kind, props, links, text }
  }
  let doc: Record<string, unknown>
  try {
    doc = xml.parse(text, true) as Record<string, unknown>
  } catch {
    throw errors.deserialization('The XML body could not be parsed.')
  }
  const root = (doc.input ?? doc.resource) as Record<string, unknown> | undefined
  if (!root || typeof root !== 'object') throw errors.deserialization('The XML body must be an <input> element.')
  const props: Record<string, unknown> = {}
  const links: Record<string, string> = {}
  for (const p of (root.property as Array<Record<string, unknown>>) ?? []) props[String(p['@_name']).toLowerCase()] = textOf(p)
  for (const p of (root.propertyList as Array<Record<string, unknown>>) ?? []) {
    props[String(p['@_name']).toLowerCase()] = ((p.item as unknown[]) ?? []).map(textOf)
  }
  for (const l of (root.link as Array<Record<string, unknown>>) ?? []) links[String(l['@_rel'])] = String(l['@_href'])
  return { kind, props, links, text }
}

/** XML sends every value as text: "True"/"False" become booleans. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true'
  return undefined
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}
