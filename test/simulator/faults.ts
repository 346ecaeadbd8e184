// Fault injection for tests and the chaos run: reachable only through the control handle.
export interface FailRule {
  kind: 'fail'
  /** the route's resource name (e.g. "startAudioVideo", "events", "oauthtoken"); "*" for any */
  resource: string
  method?: string
  /** only requests whose URL contains this (an application's id: one user's requests) */
  url?: string
  status: number
  code?: string
  subcode?: string
  message?: string
  times: number
}

export interface DelayRule {
  kind: 'delay'
  resource: string
  method?: string
  /** only requests whose URL contains this (an application's id: one user's requests) */
  url?: string
  ms: number
  times: number
}

export interface DropRule {
  kind: 'drop'
  resource: string
  method?: string
  /** only requests whose URL contains this (an application's id: one user's requests) */
  url?: string
  times: number
}

/** The error rows the seed pages share (makeMeAvailable2_ref.md, escalateAudioVideo_ref.md, phones_ref.md, …): status, code, the page's words. */
export const seedErrors = {
  CallbackChannelError: { status: 500, code: 'ServiceFailure', message: 'The remote event channel is not reachable' },
  InvalidExchangeServerVersion: {
    status: 500,
    code: 'ServiceFailure',
    message: 'Invalid exchange server version.The exchange mailbox of the server might have moved to an unsupported version for the required feature.',
  },
  AlreadyExists: { status: 409, code: 'Conflict', message: 'The already exists error.' },
  TooManyGroups: { status: 409, code: 'Conflict', message: 'The too many groups error.' },
  CannotRedirect: { status: 410, code: 'Gone', message: 'Cannot redirect since there is no back up pool configured.' },
} as const

export type SeedSubcode = keyof typeof seedErrors

/** One of the seed pages' error rows, exactly as the page lists it. */
export interface SeedRule {
  kind: 'seed'
  resource: string
  method?: string
  /** only requests whose URL contains this (an application's id: one user's requests) */
  url?: string
  subcode: SeedSubcode
  times: number
}

/** A 200 answer whose body is not a UCWA document: cut in half, an HTML page (a proxy's), or nested 100,000 deep. */
export interface MalformRule {
  kind: 'malform'
  resource: string
  method?: string
  /** only requests whose URL contains this (an application's id: one user's requests) */
  url?: string
  as: 'truncated' | 'html' | 'deep'
  times: number
}

export type FaultRule = FailRule | DelayRule | DropRule | SeedRule | MalformRule

/** A rule as callers give it: times defaults to 1. */
export type FaultInput = { [K in FaultRule['kind']]: Omit<Extract<FaultRule, { kind: K }>, 'times'> & { times?: number } }[FaultRule['kind']]

export class Faults {
  #rules: FaultRule[] = []
  /** how many times each kind fired, for tests that check a fault was seen */
  fired = { fail: 0, delay: 0, drop: 0, seed: 0, malform: 0 }

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule })
  }

  clear(): void {
    this.#rules = []
  }

  /** The first live rule matching this request, consumed once. */
  take(resource: string, method: string, url = ''): FaultRule | null {
    const i = this.#rules.findIndex(
      (r) =>
        r.times > 0 &&
        (r.resource === '*' || r.resource === resource) &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.url || url.includes(r.url)),
    )
    if (i < 0) return null
    const rule = this.#rules[i]!
    rule.times--
    if (rule.times === 0) this.#rules.splice(i, 1)
    this.fired[rule.kind]++
    return rule
  }
}

/** A body nested this deep: no UCWA document is, and a recursive reader would run out of stack. */
export const MALFORMED_DEPTH = 100_000

/** The body a malform rule sends instead of the real one, and its content type. */
export function malformed(as: MalformRule['as'], body: string, type: string): { body: string; type: string } {
  if (as === 'truncated') return { body: body.slice(0, Math.max(1, Math.floor(body.length / 2))), type }
  // a proxy or load balancer in front of the pool answering with its own page
  if (as === 'html') return { body: '<!DOCTYPE html><html><head><title>Service</title></head><body><h1>The service is temporarily busy.</h1></body></html>', type: 'text/html; charset=utf-8' }
  if (type.includes('xml')) return { body: `<?xml version="1.0" encoding="utf-8"?>${'<events>'.repeat(MALFORMED_DEPTH)}${'</events>'.repeat(MALFORMED_DEPTH)}`, type }
  return { body: `${'{"sender":['.repeat(MALFORMED_DEPTH)}${']}'.repeat(MALFORMED_DEPTH)}`, type }
}
