import { randomBytes } from 'node:crypto'

/** Ids and tokens: seeded (repeatable runs) or random. */
export interface IdSource {
  id(): string
  token(): string
}

export function randomIds(): IdSource {
  return { id: () => randomBytes(8).toString('hex'), token: () => randomBytes(24).toString('base64url') }
}

export function seededIds(seed: number): IdSource {
  let state = seed >>> 0
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('')
  return { id: () => hex(16), token: () => hex(48) }
}
