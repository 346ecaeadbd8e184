// Writes the WebRTC dialect the bridge offers or answers to the renderer: what Chromium accepts (../shared/sfb-media.md).
import { write, type SessionDescription } from 'sdp-transform'
import { codecs, type BridgeCodec } from './codecs'
import { defaultCandidate, formatWebrtcCandidate, ipVersion } from './ice'
import type { WebrtcLeg, WebrtcLegSection, WrittenSdp } from './leg'

type Media = SessionDescription['media'][number]

/**
 * The WebRTC-dialect SDP for `leg` (JSEP, RFC 8829): UDP/TLS/RTP/SAVPF with the bridge's DTLS fingerprint
 * (RFC 8122) and setup (RFC 5763), one BUNDLE group (RFC 8843) of the live sections, rtcp-mux, mids,
 * a=msid and a=ssrc cname; X-H264UC written as H264/90000 packetization-mode=1 profile-level-id=42e01f,
 * the profile Chromium answers; RFC 6544 tcptype for TCP candidates. Payload types: the section's own, else
 * the dialect's defaults (the same numbers as SfB's).
 */
export function writeWebrtcSdp(leg: WebrtcLeg, origin = { sessionId: 0, sessionVersion: 0 }): WrittenSdp {
  const payloadTypes = leg.sections.map((s) => Object.fromEntries(s.codecs.map((c) => [c, s.payloadTypes?.[c] ?? codecs[c].webrtcPayloadType])) as Partial<Record<BridgeCodec, number>>)
  const live = leg.sections.filter((s) => !s.rejected).map((s) => s.mid)
  const session: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: origin.sessionId, sessionVersion: origin.sessionVersion, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
    name: '-',
    timing: { start: 0, stop: 0 },
    ...(live.length && { groups: [{ type: 'BUNDLE', mids: live.join(' ') }] }),
    msidSemantic: { semantic: 'WMS', token: '*' },
    media: leg.sections.map((s, i) => writeSection(s, payloadTypes[i]!, leg)),
  }
  return { sdp: write(session), payloadTypes }
}

function writeSection(s: WebrtcLegSection, pts: Partial<Record<BridgeCodec, number>>, leg: WebrtcLeg): Media {
  if (s.rejected) return { type: s.rejected.type, port: 0, protocol: s.rejected.protocol, payloads: s.rejected.formats, mid: s.mid, rtp: [], fmtp: [], direction: 'inactive' }
  const base = { type: s.kind, protocol: 'UDP/TLS/RTP/SAVPF', payloads: s.codecs.map((c) => pts[c]!).join(' '), mid: s.mid }
  const rtp = defaultCandidate(s.candidates, 1)
  return {
    ...base,
    port: rtp?.port ?? 9,
    connection: { version: ipVersion(rtp?.address ?? '0.0.0.0'), ip: rtp?.address ?? '0.0.0.0' },
    rtp: s.codecs.map((c) => ({ payload: pts[c]!, codec: codecs[c].webrtcName, rate: codecs[c].clockRate })),
    fmtp: s.codecs.filter((c) => codecs[c].webrtcFmtp).map((c) => ({ payload: pts[c]!, config: codecs[c].webrtcFmtp! })),
    // RFC 4585 / 5104 feedback Chromium uses for H.264; the bridge maps PLI to SfB's x-pli / source request
    rtcpFb: s.codecs.includes('H264')
      ? [
          { payload: String(pts.H264), type: 'nack' },
          { payload: String(pts.H264), type: 'nack', subtype: 'pli' },
          { payload: String(pts.H264), type: 'ccm', subtype: 'fir' },
        ]
      : [],
    iceUfrag: s.ice.ufrag,
    icePwd: s.ice.pwd,
    fingerprint: { type: leg.fingerprint.hash, hash: leg.fingerprint.value },
    setup: leg.setup,
    direction: s.direction ?? 'sendrecv',
    rtcpMux: 'rtcp-mux',
    rtcpRsize: 'rtcp-rsize',
    msid: [{ id: s.msid.stream, appdata: s.msid.track }],
    ssrcs: [{ id: s.ssrcs.first, attribute: 'cname', value: s.cname }],
    candidates: s.candidates
      .filter((c) => c.component === 1)
      .map((c) => {
        const [foundation, component, transport, priority, ip, port, , type] = formatWebrtcCandidate(c).split(' ') as string[]
        return {
          foundation: foundation!,
          component: Number(component),
          transport: transport!,
          priority: Number(priority),
          ip: ip!,
          port: Number(port),
          type: type!,
          ...(c.relAddress !== undefined && { raddr: c.relAddress, rport: c.relPort }),
          ...(c.tcpType && { tcptype: c.tcpType }),
        }
      }),
  }
}
