// A UCWA media offer or answer body: plain application/sdp or multipart/alternative with one SDP per part.
import { refuse } from './refusal'

/** One SDP of a body: its Content-ID as written (e.g. `<4E1A…@contoso.com>`; null in a plain body) and whether it is the ICE-6 fallback. */
export interface MediaPart {
  contentId: string | null
  /** Content-Disposition `session; handling=optional; ms-proxy-2007fallback` ([MS-SIPRE] 3.15.4.1) */
  fallback: boolean
  /** the SDP, CRLF line ends */
  sdp: string
}

export interface MediaBody {
  multipart: boolean
  parts: MediaPart[]
}

/**
 * The media type and text of a `data:` URL (RFC 2397), as UCWA carries mediaOffer/mediaAnswer:
 * `data:application/sdp;base64,…` or `data:multipart/alternative;boundary=B;base64,…`.
 * Throws MediaRefusal (InvalidMediaOffer) for anything else.
 */
export function readDataUrl(href: string): { contentType: string; body: string } {
  const m = /^data:([^,]*),(.*)$/s.exec(href)
  if (!m) throw refuse.invalidOffer('not a data: URL')
  const params = m[1]!.split(';')
  const base64 = params.at(-1)?.trim().toLowerCase() === 'base64'
  if (base64) params.pop()
  const contentType = params.join(';').trim() || 'text/plain'
  try {
    return { contentType, body: base64 ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!) }
  } catch {
    throw refuse.invalidOffer('the data: URL is not decodable')
  }
}

/** A `data:` URL carrying `body` as `contentType` (base64, as the reference pages show). */
export function toDataUrl(contentType: string, body: string): string {
  return `data:${contentType};base64,${Buffer.from(body, 'utf8').toString('base64')}`
}

/** Splits `type/subtype; a=b; c="d"` into its lower-cased type and its parameters (names lower-cased, quotes removed). */
export function parseMediaType(value: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = value.split(';')
  const params: Record<string, string> = {}
  for (const p of rest) {
    const eq = p.indexOf('=')
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase()
    if (name) params[name] = eq < 0 ? '' : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
  }
  return { type: type.trim().toLowerCase(), params }
}

/**
 * Parses a media body by its Content-Type (the SIP header, or the `data:` URL's media type):
 * application/sdp gives one part; multipart/alternative (RFC 2046 5.1) gives its application/sdp
 * parts in order, the body starting at the first `--boundary` line. Throws MediaRefusal
 * (InvalidMediaOffer) when there is no SDP in it.
 */
export function parseMediaBody(body: string, contentType: string): MediaBody {
  const { type, params } = parseMediaType(contentType)
  if (type === 'application/sdp') return { multipart: false, parts: [{ contentId: null, fallback: false, sdp: crlf(body) }] }
  if (type !== 'multipart/alternative') throw refuse.invalidOffer(`a body of type ${type || 'none'}`)
  const boundary = params.boundary
  if (!boundary) throw refuse.invalidOffer('multipart/alternative without a boundary')
  const parts = splitParts(body.replace(/\r\n/g, '\n'), boundary)
    .map(readPart)
    .filter((p): p is MediaPart => p !== null)
  if (parts.length === 0) throw refuse.invalidOffer('no application/sdp part')
  return { multipart: true, parts }
}

/** The text of each part between `--boundary` delimiter lines (RFC 2046 5.1.1); the preamble and epilogue are dropped. */
function splitParts(text: string, boundary: string): string[] {
  const lines = text.split('\n')
  const parts: string[] = []
  let current: string[] | null = null
  for (const line of lines) {
    const trimmed = line.trimEnd()
    if (trimmed === `--${boundary}` || trimmed === `--${boundary}--`) {
      if (current) parts.push(current.join('\n'))
      current = trimmed.endsWith(`${boundary}--`) ? null : []
      if (!current) break
    } else current?.push(line)
  }
  if (current) throw refuse.invalidOffer('the multipart body is not closed')
  return parts
}

function readPart(text: string): MediaPart | null {
  const blank = text.indexOf('\n\n')
  const head = blank < 0 ? text : text.slice(0, blank)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  // RFC 2046 5.1.1: a part without Content-Type is text/plain, so not ours
  if (parseMediaType(headers.get('content-type') ?? 'text/plain').type !== 'application/sdp') return null
  const disposition = (headers.get('content-disposition') ?? '').split(';').map((t) => t.trim().toLowerCase())
  return { contentId: headers.get('content-id') ?? null, fallback: disposition.includes('ms-proxy-2007fallback'), sdp: crlf(blank < 0 ? '' : text.slice(blank + 2)) }
}

/**
 * A multipart/alternative body of `parts` in the given order ([MS-SIPRE] 3.15.4.1 wants the ICE-19
 * part last), each with the headers an SfB client writes. Returns the Content-Type to send it with.
 */
export function writeMultipartAlternative(parts: (MediaPart & { contentId: string })[], boundary: string): { contentType: string; body: string } {
  if (!/^[0-9A-Za-z'()+_,./:=?-]{1,70}$/.test(boundary)) throw new TypeError('a boundary is 1 to 70 characters of RFC 2046 bchars')
  const body = parts
    .map((p) =>
      [
        `--${boundary}`,
        'Content-Type: application/sdp',
        'Content-Transfer-Encoding: 7bit',
        `Content-ID: ${p.contentId}`,
        `Content-Disposition: session; handling=optional${p.fallback ? '; ms-proxy-2007fallback' : ''}`,
        '',
        crlf(p.sdp),
      ].join('\r\n'),
    )
    .join('\r\n')
  return { contentType: `multipart/alternative;boundary=${boundary}`, body: `${body}\r\n--${boundary}--\r\n` }
}

/** SDP with CRLF line ends (RFC 4566 5), ending in one CRLF. */
export function crlf(sdp: string): string {
  const lines = sdp.replace(/\r\n/g, '\n').split('\n')
  while (lines.length && lines.at(-1)!.trim() === '') lines.pop()
  return lines.length ? `${lines.join('\r\n')}\r\n` : ''
}
