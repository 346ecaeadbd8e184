// Fault injection for tests and the chaos run: reachable only through the control handle.
export interface FailRule {
  kind: 'fail'
  /** the route's resource name (e.g. "startAudioVideo", "events", "oauthtoken"); "*" for any */
  resource: string
  method?: string
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
  ms: number
  times: number
}

export interface DropRule {
  kind: 'drop'
  resource: string
  method?: string
  times: number
}

export type FaultRule = FailRule | DelayRule | DropRule

/** A rule as callers give it: times defaults to 1. */
export type FaultInput = { [K in FaultRule['kind']]: Omit<Extract<FaultRule, { kind: K }>, 'times'> & { times?: number } }[FaultRule['kind']]

export class Faults {
  #rules: FaultRule[] = []
  /** how many times each kind fired, for tests that check a fault was seen */
  fired = { fail: 0, delay: 0, drop: 0 }

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule })
  }

  clear(): void {
    this.#rules = []
  }

  /** The first live rule matching this request, consumed once. */
  take(resource: string, method: string): FaultRule | null {
    const i = this.#rules.findIndex(
      (r) => r.times > 0 && (r.resource === '*' || r.resource === resource) && (!r.method || r.method.toUpperCase() === method.toUpperCase()),
    )
    if (i < 0) return null
    const rule = this.#rules[i]!
    rule.times--
    if (rule.times === 0) this.#rules.splice(i, 1)
    this.fired[rule.kind]++
    return rule
  }
}
