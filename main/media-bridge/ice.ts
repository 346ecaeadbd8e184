// ICE candidates in both forms SfB writes ([MS-ICE2], based on ICE draft 19, and the OCS 2007 ICE 6 form), and in WebRTC's.
import { isIPv6 } from 'node:net'

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'

/** An ICE-19 candidate (RFC 5245 15.1 fields); TCP ones with their RFC 6544 role. */
export interface IceCandidate {
  foundation: string
  /** 1 RTP, 2 RTCP */
  component: number
  transport: 'udp' | 'tcp'
  /** SfB `TCP-ACT` = active, `TCP-PASS` = passive, `TCP-SO` = so (RFC 6544 tcptype) */
  tcpType?: 'active' | 'passive' | 'so'
  priority: number
  address: string
  port: number
  type: CandidateType
  relAddress?: string
  relPort?: number
}

/** An ICE 6 candidate: `<username> <component> <password> UDP|TCP <q-value> <address> <port>` (the fallback part). */
export interface Ice6Candidate {
  username: string
  component: number
  password: string
  transport: 'udp' | 'tcp'
  /** q-value, 0 to 1, instead of a priority */
  quality: number
  address: string
  port: number
}

const transports: Record<string, Pick<IceCandidate, 'transport' | 'tcpType'>> = {
  udp: { transport: 'udp' },
  tcp: { transport: 'tcp' },
  'tcp-act': { transport: 'tcp', tcpType: 'active' },
  'tcp-pass': { transport: 'tcp', tcpType: 'passive' },
  'tcp-so': { transport: 'tcp', tcpType: 'so' },
}

/**
 * Reads the value of `a=candidate` or `a=x-candidate-ipv6` ([MS-SDPEXT] 3.1.5.21; same fields) as an
 * ICE-19 candidate: transport UDP, TCP-ACT, TCP-PASS, TCP-SO, or RFC 6544 `tcp … tcptype`; null if not that form.
 */
export function parseIce19Candidate(value: string): IceCandidate | null {
  const f = value.trim().split(/\s+/)
  if (f.length < 8 || f[6] !== 'typ') return null
  const [foundation, component, transport, priority, address, port, , type] = f as [string, string, string, string, string, string, string, string]
  const t = transports[transport.toLowerCase()]
  if (!t || !/^\d+$/.test(component) || !/^\d+$/.test(priority) || !/^\d+$/.test(port) || !['host', 'srflx', 'prflx', 'relay'].includes(type)) return null
  const c: IceCandidate = { foundation, component: Number(component), ...t, priority: Number(priority), address, port: Number(port), type: type as CandidateType }
  for (let i = 8; i + 1 < f.length; i += 2) {
    if (f[i] === 'raddr') c.relAddress = f[i + 1]
    else if (f[i] === 'rport') c.relPort = Number(f[i + 1])
    else if (f[i] === 'tcptype' && ['active', 'passive', 'so'].includes(f[i + 1]!)) c.tcpType = f[i + 1] as IceCandidate['tcpType']
  }
  return c
}

/** Reads an ICE 6 candidate (7 fields, a q-value where ICE 19 has a priority); null if not that form. */
export function parseIce6Candidate(value: string): Ice6Candidate | null {
  const f = value.trim().split(/\s+/)
  if (f.length !== 7) return null
  const [username, component, password, transport, quality, address, port] = f as [string, string, string, string, string, string, string]
  if (!/^\d+$/.test(component) || !/^(udp|tcp)$/i.test(transport) || !/^[01](\.\d+)?$/.test(quality) || !/^\d+$/.test(port)) return null
  return { username, component: Number(component), password, transport: transport.toLowerCase() as 'udp' | 'tcp', quality: Number(quality), address, port: Number(port) }
}

export function isIPv6Candidate(c: { address: string }): boolean {
  return isIPv6(c.address)
}

/** The address type of an SDP c=/o=/a=rtcp line (RFC 4566 5.7): 6 for an IPv6 address, else 4. */
export function ipVersion(address: string): 4 | 6 {
  return isIPv6(address) ? 6 : 4
}

/** RFC 5245 4.1.2.1: (2^24)·type preference + (2^8)·local preference + (256 − component). */
export function candidatePriority(typePreference: number, localPreference: number, component: number): number {
  return typePreference * 2 ** 24 + localPreference * 2 ** 8 + (256 - component)
}

function tail(c: IceCandidate): string {
  return c.relAddress !== undefined && c.relPort !== undefined ? ` raddr ${c.relAddress} rport ${c.relPort}` : ''
}

/**
 * An SfB `a=` attribute for `c`: `candidate` with UDP / TCP-ACT / TCP-PASS / TCP-SO, or
 * `x-candidate-ipv6` for an IPv6 address, as a peer not known to parse IPv6 expects ([MS-SDPEXT] 3.1.5.21).
 */
export function formatSfbCandidate(c: IceCandidate): { attribute: 'candidate' | 'x-candidate-ipv6'; value: string } {
  const transport = c.transport === 'udp' ? 'UDP' : { active: 'TCP-ACT', passive: 'TCP-PASS', so: 'TCP-SO' }[c.tcpType ?? 'passive']
  const value = `${c.foundation} ${c.component} ${transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}${tail(c)}`
  return { attribute: isIPv6Candidate(c) ? 'x-candidate-ipv6' : 'candidate', value }
}

/** The `a=candidate` value Chromium parses: RFC 5245 15.1 with `udp`/`tcp` and RFC 6544's `tcptype`. */
export function formatWebrtcCandidate(c: IceCandidate): string {
  const tcp = c.transport === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : ''
  return `${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}${tail(c)}${tcp}`
}

/** RFC 5245 4.3: the default candidate of a component, the highest-priority UDP IPv4 one (else any), for m=/c=/a=rtcp. */
export function defaultCandidate(candidates: IceCandidate[], component: number): IceCandidate | undefined {
  const of = candidates.filter((c) => c.component === component).sort((a, b) => b.priority - a.priority)
  return of.find((c) => c.transport === 'udp' && !isIPv6Candidate(c)) ?? of[0]
}
