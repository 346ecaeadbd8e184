// Reading the UCWA 2.0 reference pages (../shared/ucwa-docs): a resource's tables, its GET samples, the enumerations.
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { XMLParser } from 'fast-xml-parser'

export const docs = resolve(import.meta.dirname, '../../../../shared/ucwa-docs')

const read = (page: string): string => readFileSync(resolve(docs, page), 'utf8')

/** The text from a `### title` heading to the next heading of level 2 or 3 ('' when the page has none). */
function section(text: string, title: string): string {
  const start = text.indexOf(`### ${title}`)
  if (start < 0) return ''
  const end = text.slice(start + 4).search(/\n#{2,3} /)
  return text.slice(start, end < 0 ? undefined : start + 4 + end)
}

/** The rows of the first column of a markdown table: `|name|description|`. */
const firstColumn = (body: string): string[] =>
  [...body.matchAll(/^\|\s*([A-Za-z0-9]+)\s*\|/gm)].map((m) => m[1]!).filter((n) => n !== 'Name' && n !== 'Link')

/** Names in the "Properties" and "Links" tables of a _ref.md page. */
export function pageNames(rel: string): { properties: Set<string>; links: Set<string> } {
  const text = read(`${rel}_ref.md`)
  return { properties: new Set(firstColumn(section(text, 'Properties'))), links: new Set(firstColumn(section(text, 'Links'))) }
}

/** Every enumeration page (a `<Name>_ref.md` with a Members table) and its members. */
export const enumerations: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  readdirSync(docs)
    .filter((f) => f.endsWith('_ref.md'))
    .map((f) => [f.slice(0, -'_ref.md'.length), read(f)] as const)
    .filter(([, text]) => /^## Members/m.test(text))
    .map(([name, text]) => [name, new Set(firstColumn(text.slice(text.search(/^## Members/m))))] as const),
)

/** The enumeration a page's Properties row names by its link, e.g. `([Availability](Availability_ref.md))`. */
export function linkedEnumeration(rel: string, property: string): string | undefined {
  const row = section(read(`${rel}_ref.md`), 'Properties')
    .split('\n')
    .find((l) => l.startsWith(`|${property}|`))
  const named = [...(row ?? '').matchAll(/\]\(([A-Za-z]+)_ref\.md\)/g)].map((m) => m[1]!)
  return named.find((n) => enumerations.has(n))
}

export interface Samples {
  /** the GET response's JSON body, parsed */
  json?: Record<string, unknown>
  /** the GET response's XML body: property name → kind and text ('list' for a propertyList) */
  xml?: Map<string, { list: boolean; text: string }>
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (n) => ['link', 'property', 'propertyList', 'item', 'resource'].includes(n) })

/** The XML properties of a `<resource>` document (not of the resources it embeds). */
export function xmlProperties(text: string): Map<string, { list: boolean; text: string }> {
  const root = xml.parse(text.replace(/^\s*<\?xml[^>]*\?>/, '')).resource[0] as Record<string, unknown[]>
  const out = new Map<string, { list: boolean; text: string }>()
  const textOf = (v: unknown): string => String(typeof v === 'object' && v !== null ? ((v as Record<string, unknown>)['#text'] ?? '') : v)
  for (const p of (root.property ?? []) as Array<Record<string, unknown>>) out.set(String(p['@_name']), { list: false, text: textOf(p) })
  for (const p of (root.propertyList ?? []) as Array<Record<string, unknown>>) out.set(String(p['@_name']), { list: true, text: ((p.item as unknown[]) ?? []).map(textOf).join('\n') })
  return out
}

/** The JSON and XML samples of a page's GET response ("This sample is given only as an illustration of response syntax"). */
export function getSamples(rel: string): Samples {
  const get = section(read(`${rel}_ref.md`), 'GET')
  const block = (heading: string): string | undefined => {
    const at = get.indexOf(heading)
    if (at < 0) return undefined
    return /```[^\n]*\n([\s\S]*?)```/.exec(get.slice(at))?.[1]
  }
  const jsonText = block('#### JSON Response')
  const xmlText = block('#### XML Response')
  const jsonBody = jsonText?.slice(jsonText.indexOf('{'))
  const xmlBody = xmlText?.slice(xmlText.indexOf('<'))
  return {
    json: jsonBody && jsonText!.includes('{') ? (JSON.parse(jsonBody) as Record<string, unknown>) : undefined,
    xml: xmlBody && xmlBody.includes('<resource') ? xmlProperties(xmlBody) : undefined,
  }
}

/** `/Date(ms)/`: the JSON form of a date (PayloadFormat.md, ASP.NET AJAX). */
export const JSON_DATE = /^\/Date\(-?\d+\)\/$/
/** ISO 8601 date and time with seconds and a zone, as the pages' XML samples write them. */
export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** The kind of a JSON property value: 'date' for `/Date(ms)/`, 'array', or its typeof. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'string' && JSON_DATE.test(v)) return 'date'
  return typeof v
}

/** The kind of an XML property's text: 'boolean' (True/False), 'date' (ISO 8601) or 'text' (XML writes numbers and strings alike). */
export function xmlKind(text: string): string {
  if (text === 'True' || text === 'False') return 'boolean'
  if (ISO_8601.test(text)) return 'date'
  return 'text'
}
