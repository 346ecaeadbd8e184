// Serves the renderer from app://parley/ instead of file:// (Electron checklist: use a custom protocol).
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { contentSecurityPolicy } from './csp'
import { APP_HOST } from './security'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
}

/**
 * Maps app://parley/<path> to a file under root, or null (the handler's 404) for another host, a path
 * outside root, a URL that does not parse or a malformed percent-escape (`%E0%A4%A`, `%`: RFC 3986 §2.1).
 */
export function resolveAppFile(root: string, url: string): string | null {
  if (!URL.canParse(url)) return null
  const parsed = new URL(url)
  if (parsed.host !== APP_HOST) return null
  const path = decodeEscapes(parsed.pathname)
  if (path === null || path.includes('\0')) return null // a NUL byte names no file (readFile would throw)
  const file = normalize(join(root, path === '/' ? 'index.html' : path))
  return file.startsWith(normalize(root) + sep) ? file : null
}

/** decodeURIComponent without its URIError: a malformed escape is no file */
function decodeEscapes(path: string): string | null {
  try {
    return decodeURIComponent(path)
  } catch {
    return null
  }
}

export async function serveAppRequest(root: string, request: { url: string }): Promise<Response> {
  const file = resolveAppFile(root, request.url)
  if (!file) return new Response('Not found', { status: 404 })
  try {
    const body = await readFile(file)
    return new Response(body, {
      headers: {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch {
    return new Response('Not found', { status: 404 })
  }
}
