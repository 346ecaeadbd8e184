// Reads an SfB 2015 dialect SDP ([MS-SDPEXT]) into typed media sections, with sdp-transform for the standard lines.
import { parse, type SessionDescription } from 'sdp-transform'
import { bridgeCodecOf, staticPayloadTypes, type BridgeCodec } from './codecs'
import { parseIce19Candidate, parseIce6Candidate, type Ice6Candidate, type IceCandidate } from './ice'
import { refuse } from './refusal'
import { isSdesKey, parseCrypto, parseCryptoscale, type ForeignKey, type SdesKey } from './sdes'

export interface SfbCodec {
  payloadType: number
  name: string
  clockRate: number
  channels?: number
  fmtp?: string
  /** what the bridge would carry it as, or null (SILK, x-msrta, SIREN, G7221, RED, x-rtvc1, x-ulpfecuc, CN/16000, G722/8000/2…) */
  bridge: BridgeCodec | null
}

/** `a=rtcp-fb:<pt|*> x-message app send:<list> recv:<list>` ([MS-SDPEXT]; section not checked here): dsh, src (video source request), x-pli. */
export interface XMessageFeedback {
  payload: '*' | number
  send: string[]
  recv: string[]
}

export interface SfbMediaSection {
  kind: string
  /** 0 when the section is rejected (RFC 3264 6) */
  port: number
  /** RTP/SAVP, RTP/AVP, or TCP/RTP/SAVP and TCP/RTP/AVP once ICE chose a TCP pair ([MS-SDPEXT] 3.1.5.9) */
  profile: string
  /** the m= line's formats as written (payload types; a rejected line may name one without rtpmap) */
  formats: string[]
  codecs: SfbCodec[]
  /** the section's `a=crypto` keys we can use, in the order written */
  keys: SdesKey[]
  /** `a=crypto` lines of suites we cannot use */
  foreignKeys: ForeignKey[]
  /** `a=cryptoscale` ([MS-SDPEXT]; section not checked here) */
  cryptoscale: { scale: number; role: string; key: SdesKey }[]
  /** `a=encryption` ([MS-SDPEXT]; section not checked here), absent when not written */
  encryption?: 'required' | 'optional' | 'rejected'
  /** `a=fingerprint` (RFC 8122): present only in a WebRTC-dialect part */
  fingerprint?: { hash: string; value: string }
  iceUfrag?: string
  icePwd?: string
  /** ICE-19 candidates, `a=x-candidate-ipv6` ones included */
  candidates: IceCandidate[]
  /** ICE 6 candidates (the fallback part's 7-field form) */
  ice6Candidates: Ice6Candidate[]
  /** 19 when ufrag, pwd and ICE-19 candidates are there; 6 when only ICE 6 candidates are; null when neither */
  iceVersion: 19 | 6 | null
  rtcpMux: boolean
  /** `a=rtcp:<port> [IN IP4 <address>]` (RFC 3605) */
  rtcp?: { port: number; address?: string }
  /** `a=remote-candidates` (RFC 5245 15.2): component, address, port of each */
  remoteCandidates: { component: number; address: string; port: number }[]
  /** `a=x-ssrc-range:<first>-<last>` ([MS-SDPEXT] 3.1.5.31) */
  ssrcRange?: { first: number; last: number }
  /** `a=label` (main-audio, main-video, panoramic-video, applicationsharing-video) */
  label?: string
  /** `a=x-source` ([MS-SDPEXT]; section not checked here) */
  source?: string
  /** `a=x-source-streamid` ([MS-SDPEXT] 3.1.5.32): the media source id (MSI) the AVMCU gave this client */
  sourceStreamId?: string
  xMessages: XMessageFeedback[]
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'
  /** media-level `b=CT` / `b=AS` in kbps, when written */
  bandwidth: { type: string; limit: number }[]
}

export interface SfbSession {
  address?: string
  /** session-level `b=CT:<kbps>` */
  bandwidthCt?: number
  /** `a=x-mediabw:<label> send=<kbps>;recv=<kbps>` ([MS-SDPEXT]; section not checked here) */
  mediaBandwidth: { label: string; send?: number; recv?: number }[]
  sections: SfbMediaSection[]
}

/**
 * Reads an SDP of either dialect into SfbSession (per media section, in order). Lines sdp-transform's
 * grammar does not know (x-*, cryptoscale, encryption, ICE 6 candidates) are read from its `invalid`
 * list. Throws MediaRefusal (InvalidMediaOffer) when the text is not an SDP with a media section.
 */
export function readSfbSdp(sdp: string): SfbSession {
  if (!/^v=0\r?$/m.test(sdp.split('\n', 1)[0] ?? '')) throw refuse.invalidOffer('it does not start with v=0')
  const parsed = parse(sdp)
  if (parsed.media.length === 0) throw refuse.invalidOffer('it has no m= line')
  const raw = rawMediaAttributes(sdp)
  const session: SfbSession = { mediaBandwidth: [], sections: parsed.media.map((m, i) => readSection(m, raw[i] ?? [], parsed.fingerprint)) }
  if (parsed.connection?.ip) session.address = parsed.connection.ip
  const ct = parsed.bandwidth?.find((b) => b.type === 'CT')
  if (ct) session.bandwidthCt = Number(ct.limit)
  for (const { value } of parsed.invalid ?? []) {
    const m = /^x-mediabw:(\S+)\s+(.*)$/.exec(value)
    if (!m) continue
    const rates = Object.fromEntries(m[2]!.split(';').map((kv) => kv.trim().split('=') as [string, string]))
    session.mediaBandwidth.push({ label: m[1]!, ...(rates.send && { send: Number(rates.send) }), ...(rates.recv && { recv: Number(rates.recv) }) })
  }
  return session
}

/** The `a=` values of each media section, verbatim (what sdp-transform shortens: rtcp-fb x-message, candidates). */
function rawMediaAttributes(sdp: string): string[][] {
  const sections: string[][] = []
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) sections.push([])
    else if (line.startsWith('a=') && sections.length) sections.at(-1)!.push(line.slice(2).trim())
  }
  return sections
}

type Media = SessionDescription['media'][number]

function readSection(m: Media, raw: string[], sessionFingerprint?: { type: string; hash: string }): SfbMediaSection {
  const s: SfbMediaSection = {
    kind: String(m.type),
    port: Number(m.port),
    profile: String(m.protocol),
    formats: String(m.payloads ?? '').trim().split(/\s+/).filter(Boolean),
    codecs: readCodecs(m),
    keys: [],
    foreignKeys: [],
    cryptoscale: [],
    candidates: [],
    ice6Candidates: [],
    iceVersion: null,
    rtcpMux: m.rtcpMux !== undefined,
    remoteCandidates: [],
    xMessages: [],
    direction: m.direction ?? 'sendrecv',
    bandwidth: (m.bandwidth ?? []).map((b) => ({ type: b.type, limit: Number(b.limit) })),
  }
  for (const c of m.crypto ?? []) {
    const key = parseCrypto(`${c.id} ${c.suite} ${c.config}`)
    if (isSdesKey(key)) s.keys.push(key)
    else if (key) s.foreignKeys.push(key)
  }
  const fingerprint = m.fingerprint ?? sessionFingerprint
  if (fingerprint) s.fingerprint = { hash: fingerprint.type, value: fingerprint.hash }
  if (m.iceUfrag !== undefined) s.iceUfrag = String(m.iceUfrag)
  if (m.icePwd !== undefined) s.icePwd = String(m.icePwd)
  if (m.rtcp) s.rtcp = { port: Number(m.rtcp.port), ...(m.rtcp.address && { address: m.rtcp.address }) }
  if (m.label !== undefined) s.label = String(m.label)
  const rc = String(m.remoteCandidates ?? '').trim().split(/\s+/)
  for (let i = 0; i + 2 < rc.length; i += 3) s.remoteCandidates.push({ component: Number(rc[i]), address: rc[i + 1]!, port: Number(rc[i + 2]) })
  for (const a of raw) readRawAttribute(s, a)
  if (s.iceUfrag && s.icePwd && s.candidates.length) s.iceVersion = 19
  else if (s.ice6Candidates.length) s.iceVersion = 6
  return s
}

function readRawAttribute(s: SfbMediaSection, a: string): void {
  const colon = a.indexOf(':')
  const name = colon < 0 ? a : a.slice(0, colon)
  const value = colon < 0 ? '' : a.slice(colon + 1)
  if (name === 'candidate' || name === 'x-candidate-ipv6') {
    const c = parseIce19Candidate(value)
    const c6 = c ? null : parseIce6Candidate(value)
    if (c) s.candidates.push(c)
    else if (c6) s.ice6Candidates.push(c6)
  } else if (name === 'x-ssrc-range') {
    const r = /^(\d+)-(\d+)$/.exec(value.trim())
    if (r && Number(r[1]) <= Number(r[2])) s.ssrcRange = { first: Number(r[1]), last: Number(r[2]) }
  } else if (name === 'x-source') s.source = value.trim()
  else if (name === 'x-source-streamid') s.sourceStreamId = value.trim()
  else if (name === 'cryptoscale') {
    const cs = parseCryptoscale(value)
    if (cs) s.cryptoscale.push(cs)
  } else if (name === 'encryption') {
    const e = value.trim().toLowerCase()
    if (e === 'required' || e === 'optional' || e === 'rejected') s.encryption = e
  } else if (name === 'rtcp-fb') {
    const x = /^(\*|\d+)\s+x-message\s+app\s*(.*)$/.exec(value.trim())
    if (!x) return
    const lists = Object.fromEntries(x[2]!.split(/\s+/).filter(Boolean).map((t) => [t.split(':')[0], (t.split(':')[1] ?? '').split(',').filter(Boolean)]))
    s.xMessages.push({ payload: x[1] === '*' ? '*' : Number(x[1]), send: lists.send ?? [], recv: lists.recv ?? [] })
  }
}

/** The m= line's payload types in order, named by rtpmap or, for static types, RFC 3551. */
function readCodecs(m: Media): SfbCodec[] {
  const out: SfbCodec[] = []
  for (const token of String(m.payloads ?? '').trim().split(/\s+/)) {
    if (!/^\d+$/.test(token)) continue
    const pt = Number(token)
    const map = m.rtp.find((r) => r.payload === pt)
    // sdp-transform turns all-digit fields into numbers: names are made strings again
    const named = map ? { name: String(map.codec), clockRate: Number(map.rate ?? 0), channels: map.encoding } : staticPayloadTypes[pt]
    if (!named) continue
    const fmtp = m.fmtp.find((f) => f.payload === pt)?.config
    const channels = 'channels' in named && named.channels !== undefined ? Number(named.channels) : undefined
    out.push({ payloadType: pt, name: named.name, clockRate: named.clockRate, ...(channels !== undefined && { channels }), ...(fmtp && { fmtp }), bridge: bridgeCodecOf(named.name, named.clockRate, channels) })
  }
  return out
}
