// Message bodies as they come from a pool (message_ref.md's plainMessage / htmlMessage data: links) made safe to show.
// HTML from other clients is sanitised with DOMPurify over jsdom, the DOM DOMPurify's own Node tests run on (it warns
// against lighter DOMs such as happy-dom or linkedom); where that cannot be done the body is shown as text.
import type { DOMPurify } from 'dompurify'

export type MessageContent = { format: 'text'; text: string } | { format: 'html'; html: string; text: string }

/** what a chat message may keep: text formatting and links, nothing that runs, loads or styles */
const ALLOWED_TAGS = ['a', 'b', 'strong', 'i', 'em', 'u', 's', 'br', 'p', 'div', 'span', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre']
/** links open in the user's browser: web and mail addresses only */
const SAFE_URI = /^(?:https?:|mailto:)/i

let purifier: Promise<DOMPurify | null> | null = null

/** One DOMPurify over one jsdom window, made on first use (jsdom is big: a chat without HTML never loads it). */
function purify(): Promise<DOMPurify | null> {
  purifier ??= (async () => {
    try {
      const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')])
      const p = createDOMPurify(new JSDOM('').window as unknown as Window & typeof globalThis)
      return p.isSupported ? p : null
    } catch {
      return null
    }
  })()
  return purifier
}

/**
 * A data: URL (RFC 2397) to its text: `data:text/plain;charset=utf-8,Hi+Tosh%0d%0a` (ReceiveAnIM.md) or base64.
 * Returns null when it is not a data: URL of that type or does not decode.
 */
export function decodeDataUrl(href: string, type: 'text/plain' | 'text/html'): string | null {
  const m = /^data:\s*([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(href)
  if (!m || m[1]!.trim().toLowerCase() !== type) return null
  try {
    // a pool's URL-encoded form writes spaces as '+' (ReceiveAnIM.md: "Hi+Tosh")
    return /;\s*base64/i.test(m[2]!) ? Buffer.from(m[3]!, 'base64').toString('utf8') : decodeURIComponent(m[3]!.replace(/\+/g, ' '))
  } catch {
    return null
  }
}

/** A text body as a data: URL (startMessaging_ref.md's `message` link). */
export function textDataUrl(text: string, type: 'text/plain' | 'text/html' = 'text/plain'): string {
  return `data:${type};charset=utf-8,${encodeURIComponent(text)}`
}

/**
 * What to show of a message: its plain text, or its HTML sanitised (tags and attributes above only, links to
 * http(s)/mailto only) with the same text beside it; HTML that cannot be sanitised is shown as its source text.
 */
export async function messageContent(body: { plain?: string; html?: string }): Promise<MessageContent> {
  if (body.html === undefined) return { format: 'text', text: body.plain ?? '' }
  const p = await purify()
  if (!p) return { format: 'text', text: body.plain ?? body.html }
  const clean = p.sanitize(body.html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href'], ALLOWED_URI_REGEXP: SAFE_URI, RETURN_DOM: true }) as unknown as HTMLElement
  return { format: 'html', html: clean.innerHTML, text: body.plain ?? clean.textContent ?? '' }
}
