// sip: and parley: links (protocol handlers, argv, open-url): parsed strictly, anything odd refused.
// tel: is not handled: a pool routes a phone number only through Enterprise Voice or call-via-work
// (startPhoneAudio_ref.md rings the caller's own phone first), and Parley places audio/video calls to contacts
// (startAudioVideo_ref.md: `to` is a contact), so tel: is neither registered nor accepted.
// A meeting link (issue #23): https://meet.<domain>/<organizer>/<id> (or .../meet/...) as handed to Parley by "open with" or
// a second start's argv, or parley://meet?url=<that link, percent-encoded>; meeting-url.ts checks it strictly.
import { meetingAddressFromUrl } from '../ucwa/meeting-url'

export type DeepLink = { kind: 'call'; to: string; scheme: 'sip' | 'parley' } | { kind: 'meeting'; url: string; scheme: 'https' | 'parley'; to?: undefined }

/** the schemes Parley registers with the OS (electron-builder.yml protocols and Linux mimeTypes list the same) */
export const LINK_SCHEMES = ['sip', 'parley'] as const

const SIP = /^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,63}$/i

/**
 * The address of a SIP URI (RFC 3261 §19.1.1: `sip:user@host[:port][;uri-parameters][?headers]`): parameters,
 * headers and a port are dropped, as they say how to reach the address, not whom. '' when there is none.
 */
function sipAddress(uri: string): string {
  const address = uri.split(/[;?]/, 1)[0]!
  return address.replace(/:\d{1,5}$/, '')
}

/**
 * The call a link asks for, or null. Forms (as the OSes and browsers hand them over):
 * `sip:bob@contoso.com`, with parameters or headers (`;transport=tls`, `?subject=x`), `sip://…`, percent-encoded
 * (`sip:bob%40contoso.com`, as some browsers pass it), `parley://call?to=sip:…`, `parley://call/bob@contoso.com`,
 * each with the trailing `/` Windows may add to a URL it hands to a protocol handler.
 * Returns `{ to: 'sip:<address, lower case>' }`.
 */
export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > 512 || /[<>"'`\\\s]/.test(raw.trim()) || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null
  const meeting = meetingLink(raw.trim())
  if (meeting !== undefined) return meeting
  const m = /^(sip|parley):(\/\/)?(.*?)\/?$/i.exec(raw.trim())
  if (!m) return null
  const scheme = m[1]!.toLowerCase() as 'sip' | 'parley'
  let address: string | null
  if (scheme === 'parley') {
    const call = /^call\/?\?to=([^&]+)/i.exec(m[3]!) ?? /^call\/([^?]+)$/i.exec(m[3]!)
    if (!call) return null
    // the target is one percent-encoded value (to=sip%3Abob%40…), itself a SIP URI or a bare address
    address = sipAddress((decoded(call[1]!) ?? '').replace(/^sip:/i, ''))
  } else {
    // the address alone is decoded: a header's value (subject=a%20b) is not ours to read
    address = decoded(sipAddress(m[3]!))
  }
  return address && SIP.test(address) ? { kind: 'call', to: `sip:${address.toLowerCase()}`, scheme } : null
}

/** undefined: not a meeting link's form; null: one, but not a meeting (meeting-url.ts refused it); else the link */
function meetingLink(raw: string): DeepLink | null | undefined {
  const wrapped = /^parley:(\/\/)?meet\/?\?url=([^&]+)$/i.exec(raw)
  if (!wrapped && !/^https:\/\//i.test(raw)) return undefined
  const url = wrapped ? decoded(wrapped[2]!) : raw
  try {
    meetingAddressFromUrl(url ?? '')
    return { kind: 'meeting', url: url!, scheme: wrapped ? 'parley' : 'https' }
  } catch {
    return null
  }
}

function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

/**
 * The first link in a command line: the first start's `process.argv` on Windows and Linux (the registry's
 * `"Parley.exe" "%1"`, the desktop entry's `%U`), or the argv a second start hands the running one through
 * `second-instance` (Chromium adds its own `--switches` there, and in development `electron .` comes first).
 */
export function linkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue
    const link = parseDeepLink(arg)
    if (link) return link
  }
  return null
}

/**
 * Holds links that arrive before the app can act on them (macOS sends `open-url` for the link that started the app
 * before `ready`), then hands them over in order once `deliver` is set.
 */
export class LinkInbox {
  #pending: DeepLink[] = []
  #deliver: ((link: DeepLink) => void) | null = null

  /** a raw link from the OS; returns whether it was a link Parley takes */
  receive(raw: string): boolean {
    const link = parseDeepLink(raw)
    if (!link) return false
    if (this.#deliver) this.#deliver(link)
    else this.#pending.push(link)
    return true
  }

  /** from now on links go to `deliver`; the ones held so far go first */
  open(deliver: (link: DeepLink) => void): void {
    this.#deliver = deliver
    for (const link of this.#pending.splice(0)) deliver(link)
  }
}
