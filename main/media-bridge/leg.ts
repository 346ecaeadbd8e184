// A neutral description of one leg of the bridge, from which either dialect's SDP is written.
import type { BridgeCodec } from './codecs'
import type { IceCandidate } from './ice'
import type { SdesKey } from './sdes'

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'

export interface LegSection {
  kind: 'audio' | 'video'
  /** in preference order; a media codec (G722, PCMU, PCMA, H264) must be among them */
  codecs: BridgeCodec[]
  /** payload types to use instead of the dialect's defaults: when answering, the offer's own numbers */
  payloadTypes?: Partial<Record<BridgeCodec, number>>
  /** the SSRCs this side sends from: SfB announces a range (audio 1 wide, video 100, [MS-SDPEXT] 3.1.5.31), WebRTC uses `first` */
  ssrcs: { first: number; last: number }
  direction?: Direction
  ice: { ufrag: string; pwd: string }
  /** this side's candidates, component 1 (RTP) and 2 (RTCP): an answer that muxes gives component 1 only */
  candidates: IceCandidate[]
  /** write a=rtcp-mux: SfB offers it beside component 2, and answers with it only when both offered it ([MS-SDPEXT] 3.1.5.38); WebRTC always */
  rtcpMux: boolean
  /** an m= line the answer rejects: port 0 and the offer's media type, protocol and formats, repeated (RFC 3264 6) */
  rejected?: { type: string; protocol: string; formats: string }
}

export interface SfbLegSection extends LegSection {
  /** the key this side sends with (RFC 4568): a fresh one from newSdesKey, tagged as the offer's line when answering */
  key: SdesKey
  /** the re-offer after ICE completes, by the controlling side: the pair chosen per component (RFC 5245 9.1.2.2, [MS-ICE2]) */
  remoteCandidates?: { component: number; address: string; port: number }[]
  /** TCP/RTP/SAVP once ICE chose a TCP pair ([MS-SDPEXT] 3.1.5.9); RTP/SAVP otherwise */
  profile?: 'RTP/SAVP' | 'TCP/RTP/SAVP'
}

export interface SfbLeg {
  sections: SfbLegSection[]
  /** session `b=CT` in kbps, when the bridge limits the call */
  bandwidthCt?: number
}

export interface WebrtcLegSection extends LegSection {
  mid: string
  /** `a=msid` (RFC 8830) and cname (RFC 7022) for the track this side sends */
  msid: { stream: string; track: string }
  cname: string
}

export interface WebrtcLeg {
  sections: WebrtcLegSection[]
  /** the bridge's DTLS certificate fingerprint (RFC 8122) */
  fingerprint: { hash: 'sha-256'; value: string }
  /** RFC 5763 5: an offer is actpass; an answer active or passive */
  setup: 'actpass' | 'active' | 'passive'
}

/** One written description: its SDP and, per section, which payload type each codec got in it. */
export interface WrittenSdp {
  sdp: string
  payloadTypes: Partial<Record<BridgeCodec, number>>[]
}
