// Log lines never carry secrets: tokens, passwords, ICE credentials and DTLS fingerprints are masked.
const rules: Array<[RegExp, string]> = [
  [/cwt=[A-Za-z0-9._~+/=-]+/g, 'cwt=[redacted]'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]'],
  [/("?(?:password|access_token|accessToken|refresh_token)"?\s*[:=]\s*)("[^"]*"|[^\s&,}]+)/gi, '$1[redacted]'],
  [/(a=ice-(?:pwd|ufrag):)\S+/g, '$1[redacted]'],
  [/(a=fingerprint:\S+\s+)[0-9A-F:]+/gi, '$1[redacted]'],
]

export function redact(text: string): string {
  return rules.reduce((t, [re, to]) => t.replace(re, to), text)
}

/** Deep copies objects and arrays with every string redacted (what a logger passes through). */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map(redactValue)
  if (value instanceof Error) return redact(`${value.name}: ${value.message}`)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /password|token/i.test(k) ? '[redacted]' : redactValue(v)]))
  return value
}
