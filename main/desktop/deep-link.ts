// sip:, tel: and parley: links (protocol handlers, second-instance argv): parsed strictly, anything odd refused.
export type DeepLink = { kind: 'call'; to: string; scheme: 'sip' | 'tel' | 'parley' }

const SIP = /^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,63}$/i
const TEL = /^\+?[0-9][0-9 ().-]{2,30}$/

/** The call a link asks for, or null. Parameters, headers and anything but an address are refused. */
export function parseDeepLink(raw: string): DeepLink | null {
  // spaces may appear in a tel: number; no other white space or markup characters anywhere
  if (typeof raw !== 'string' || raw.length > 512 || /[<>"'`\\]/.test(raw) || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null
  const m = /^(sip|tel|parley):(\/\/)?(.*)$/i.exec(raw.trim())
  if (!m) return null
  const scheme = m[1]!.toLowerCase() as DeepLink['scheme']
  let rest: string
  try {
    rest = decodeURIComponent(m[3]!)
  } catch {
    return null
  }
  if (scheme === 'parley') {
    const call = /^call\/?\?to=(.+)$/i.exec(rest) ?? /^call\/(.+)$/i.exec(rest)
    if (!call) return null
    rest = call[1]!.replace(/^sip:/i, '')
    return SIP.test(rest) ? { kind: 'call', to: `sip:${rest.toLowerCase()}`, scheme } : null
  }
  if (scheme === 'sip') return SIP.test(rest) ? { kind: 'call', to: `sip:${rest.toLowerCase()}`, scheme } : null
  const digits = rest.replace(/[ ().-]/g, '')
  return TEL.test(rest) && /^\+?\d{3,15}$/.test(digits) ? { kind: 'call', to: `tel:${digits}`, scheme } : null
}

/** The first link in a command line (a second instance's argv, or the first start's). */
export function linkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue
    const link = parseDeepLink(arg)
    if (link) return link
  }
  return null
}
