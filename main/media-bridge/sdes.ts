// SDES keys (RFC 4568) as SfB writes them: a=crypto, a=cryptoscale ([MS-SDPEXT]; section not checked here) and a=encryption.
import { randomBytes } from 'node:crypto'

/** The SRTP suites whose key is 16 bytes plus a 14-byte salt (RFC 4568 6.2). */
export const srtpSuites = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const
export type SrtpSuite = (typeof srtpSuites)[number]

/** One SDES key: RFC 4568 9.1 `a=crypto:<tag> <suite> inline:<key||salt>[|<lifetime>][|<MKI>:<length>]`. */
export interface SdesKey {
  tag: number
  suite: SrtpSuite
  /** master key (16 bytes) then master salt (14 bytes) */
  keySalt: Buffer
  /** packets under this key (`2^31` → 2147483648); absent when not written */
  lifetime?: number
  /** RFC 4568 6.1 MKI: its value and its length in bytes (1 to 128); every SRTP/SRTCP packet then carries it */
  mki?: { value: number; length: number }
}

/** A key line whose suite this layer cannot use, kept to say which ones were offered. */
export interface ForeignKey {
  tag: number
  suite: string
}

/**
 * Reads the value of `a=crypto` (without `crypto:`) into an SdesKey; a suite we do not use gives a
 * ForeignKey, a malformed line null. Only the first key-params is read (SfB writes one).
 */
export function parseCrypto(value: string): SdesKey | ForeignKey | null {
  const m = /^(\d{1,9})\s+(\S+)\s+(\S+)/.exec(value.trim())
  if (!m) return null
  const tag = Number(m[1])
  const suite = m[2]!
  if (!(srtpSuites as readonly string[]).includes(suite)) return { tag, suite }
  const key = parseKeyParams(m[3]!)
  return key && { tag, suite: suite as SrtpSuite, ...key }
}

/** `inline:<base64 key||salt>|<lifetime>|<mki>:<length>` (RFC 4568 6.1; lifetime and MKI optional, either order of presence). */
function parseKeyParams(params: string): Omit<SdesKey, 'tag' | 'suite'> | null {
  const first = params.split(';')[0]!
  if (!first.startsWith('inline:')) return null
  const [b64 = '', ...rest] = first.slice('inline:'.length).split('|')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null
  const keySalt = Buffer.from(b64, 'base64')
  if (keySalt.length !== 30) return null
  const out: Omit<SdesKey, 'tag' | 'suite'> = { keySalt }
  for (const field of rest) {
    const mki = /^(\d+):(\d+)$/.exec(field)
    const life = /^(?:2\^(\d+)|(\d+))$/.exec(field)
    if (mki && Number(mki[2]) >= 1 && Number(mki[2]) <= 128) out.mki = { value: Number(mki[1]), length: Number(mki[2]) }
    else if (life) out.lifetime = life[1] ? 2 ** Number(life[1]) : Number(life[2])
    else return null
  }
  return out
}

export function isSdesKey(k: SdesKey | ForeignKey | null): k is SdesKey {
  return k !== null && 'keySalt' in k
}

/** `a=cryptoscale:<scale> <role> <suite> <key-params>` ([MS-SDPEXT]; section not checked here), as captures show it beside a=crypto: read and reported, not keyed from. */
export function parseCryptoscale(value: string): { scale: number; role: string; key: SdesKey } | null {
  const m = /^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(value.trim())
  if (!m) return null
  const key = parseCrypto(`${m[1]} ${m[3]} ${m[4]}`)
  return isSdesKey(key) ? { scale: Number(m[1]), role: m[2]!, key } : null
}

/** A fresh key of `suite` from the OS's random source (RFC 4568 6.1: key and salt random), lifetime 2^31, no MKI. */
export function newSdesKey(tag: number, suite: SrtpSuite = 'AES_CM_128_HMAC_SHA1_80'): SdesKey {
  return { tag, suite, keySalt: randomBytes(30), lifetime: 2 ** 31 }
}

/** The value of an `a=crypto` line (without `crypto:`) for `key`: lifetime written as 2^n when it is a power of two. */
export function formatCrypto(key: SdesKey): string {
  let params = `inline:${key.keySalt.toString('base64')}`
  if (key.lifetime !== undefined) {
    const exp = Math.log2(key.lifetime)
    params += `|${Number.isInteger(exp) ? `2^${exp}` : key.lifetime}`
  }
  if (key.mki) params += `|${key.mki.value}:${key.mki.length}`
  return `${key.tag} ${key.suite} ${params}`
}
