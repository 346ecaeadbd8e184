// Writes the SfB 2015 dialect ([MS-SDPEXT]) the bridge sends to the pool: RTP/SAVP, SDES, ICE 19, no mids, no BUNDLE.
import { write, type SessionDescription } from 'sdp-transform'
import { codecs, type BridgeCodec } from './codecs'
import { defaultCandidate, formatSfbCandidate, ipVersion } from './ice'
import type { SfbLeg, SfbLegSection, WrittenSdp } from './leg'
import { formatCrypto } from './sdes'

type Media = SessionDescription['media'][number]

/** The x-message feedback SfB clients offer ([MS-SDPEXT]; section not checked here): dominant speaker history on audio; source requests and PLI on video. */
const xMessage = { audio: 'send:dsh recv:dsh', video: 'send:src,x-pli recv:src,x-pli' }

/**
 * The SfB-dialect SDP for `leg`: per section `m=<kind> <port> RTP/SAVP`, one `a=crypto` with the leg's key,
 * ICE-19 candidates (TCP as TCP-ACT/TCP-PASS, IPv6 as x-candidate-ipv6), `a=rtcp` when there is a component 2,
 * `a=x-ssrc-range`, `a=label`/`a=x-source` main-audio|main-video, SfB payload types (G722 9, PCMU 0, PCMA 8,
 * CN 13, telephone-event 101, X-H264UC 122) unless the section names its own.
 */
export function writeSfbSdp(leg: SfbLeg, origin = { sessionId: 0, sessionVersion: 0 }): WrittenSdp {
  const address = leg.sections.map((s) => defaultCandidate(s.candidates, 1)?.address).find(Boolean) ?? '0.0.0.0'
  const payloadTypes = leg.sections.map(payloadTypesOf)
  const session: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: origin.sessionId, sessionVersion: origin.sessionVersion, netType: 'IN', ipVer: ipVersion(address), address },
    name: 'session',
    connection: { version: ipVersion(address), ip: address },
    ...(leg.bandwidthCt !== undefined && { bandwidth: [{ type: 'CT' as const, limit: leg.bandwidthCt }] }),
    timing: { start: 0, stop: 0 },
    media: leg.sections.map((s, i) => writeSection(s, payloadTypes[i]!)),
  }
  return { sdp: write(session), payloadTypes }
}

function payloadTypesOf(s: SfbLegSection): Partial<Record<BridgeCodec, number>> {
  return Object.fromEntries(s.codecs.map((c) => [c, s.payloadTypes?.[c] ?? codecs[c].sfbPayloadType]))
}

function writeSection(s: SfbLegSection, pts: Partial<Record<BridgeCodec, number>>): Media {
  const label = `main-${s.kind}`
  if (s.rejected) return { type: s.rejected.type, port: 0, protocol: s.rejected.protocol, payloads: s.rejected.formats, rtp: [], fmtp: [] }
  const payloads = s.codecs.map((c) => pts[c]!)
  const rtp = defaultCandidate(s.candidates, 1)
  // an offer may give both: SfB 2016 offers a=rtcp-mux beside a=rtcp and component 2 ([MS-SDPEXT] 3.1.5.38)
  const rtcp = defaultCandidate(s.candidates, 2)
  const candidates = s.candidates.map(formatSfbCandidate)
  const media: Media = {
    type: s.kind,
    port: rtp?.port ?? 9,
    protocol: s.profile ?? 'RTP/SAVP',
    payloads: payloads.join(' '),
    rtp: s.codecs.map((c) => ({ payload: pts[c]!, codec: codecs[c].sfbName, rate: codecs[c].clockRate })),
    fmtp: s.codecs.filter((c) => codecs[c].sfbFmtp).map((c) => ({ payload: pts[c]!, config: codecs[c].sfbFmtp! })),
    label,
    iceUfrag: s.ice.ufrag,
    icePwd: s.ice.pwd,
    crypto: [{ id: s.key.tag, suite: s.key.suite, config: formatCrypto(s.key).split(' ').slice(2).join(' ') }],
    ...(rtcp && { rtcp: { port: rtcp.port, netType: 'IN', ipVer: ipVersion(rtcp.address), address: rtcp.address } }),
    ...(s.rtcpMux && { rtcpMux: 'rtcp-mux' }),
    ...(s.remoteCandidates?.length && { remoteCandidates: s.remoteCandidates.map((c) => `${c.component} ${c.address} ${c.port}`).join(' ') }),
    ...(s.direction && s.direction !== 'sendrecv' && { direction: s.direction }),
    // attributes sdp-transform's grammar does not know are written verbatim from `invalid`, after the others
    invalid: [
      { value: `x-ssrc-range:${s.ssrcs.first}-${s.ssrcs.last}` },
      { value: `rtcp-fb:* x-message app ${xMessage[s.kind]}` },
      { value: `x-source:${label}` },
      ...candidates.map((c) => ({ value: `${c.attribute}:${c.value}` })),
    ],
  }
  return media
}
