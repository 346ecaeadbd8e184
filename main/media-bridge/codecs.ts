// The codecs the bridge can carry between the two dialects, and how each dialect names and numbers them.

/** What the bridge forwards unchanged (no transcoding): the audio codecs Chromium and SfB share, and H.264. */
export type BridgeCodec = 'G722' | 'PCMU' | 'PCMA' | 'CN' | 'telephone-event' | 'H264'

export interface CodecSpec {
  kind: 'audio' | 'video'
  clockRate: number
  /** rtpmap encoding name in the SfB dialect, and in WebRTC's */
  sfbName: string
  webrtcName: string
  /** payload type an SfB client uses ([MS-SDPEXT] captures; RFC 3551 static types) */
  sfbPayloadType: number
  /** payload type the bridge offers Chromium: the same number, so a rewrite is needed only when a peer chose others */
  webrtcPayloadType: number
  /** fmtp in each dialect: X-H264UC's (MS-H264PF) and the one Chromium answers for constrained baseline */
  sfbFmtp?: string
  webrtcFmtp?: string
}

export const codecs: Record<BridgeCodec, CodecSpec> = {
  G722: { kind: 'audio', clockRate: 8000, sfbName: 'G722', webrtcName: 'G722', sfbPayloadType: 9, webrtcPayloadType: 9 },
  PCMU: { kind: 'audio', clockRate: 8000, sfbName: 'PCMU', webrtcName: 'PCMU', sfbPayloadType: 0, webrtcPayloadType: 0 },
  PCMA: { kind: 'audio', clockRate: 8000, sfbName: 'PCMA', webrtcName: 'PCMA', sfbPayloadType: 8, webrtcPayloadType: 8 },
  CN: { kind: 'audio', clockRate: 8000, sfbName: 'CN', webrtcName: 'CN', sfbPayloadType: 13, webrtcPayloadType: 13 },
  'telephone-event': { kind: 'audio', clockRate: 8000, sfbName: 'telephone-event', webrtcName: 'telephone-event', sfbPayloadType: 101, webrtcPayloadType: 101, sfbFmtp: '0-16', webrtcFmtp: '0-16' },
  H264: {
    kind: 'video',
    clockRate: 90000,
    sfbName: 'X-H264UC',
    webrtcName: 'H264',
    sfbPayloadType: 122,
    webrtcPayloadType: 122,
    sfbFmtp: 'packetization-mode=1;mst-mode=NI-TC',
    webrtcFmtp: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  },
}

/** RFC 3551 6: the static payload types an SDP may use without an rtpmap. */
export const staticPayloadTypes: Record<number, { name: string; clockRate: number }> = {
  0: { name: 'PCMU', clockRate: 8000 },
  8: { name: 'PCMA', clockRate: 8000 },
  9: { name: 'G722', clockRate: 8000 },
  13: { name: 'CN', clockRate: 8000 },
}

/**
 * The BridgeCodec an rtpmap names in either dialect, or null: G722/8000 mono only (117 G722/8000/2
 * is Microsoft's stereo variant, which Chromium drops), CN at 8000 only, X-H264UC or H264 at 90000.
 */
export function bridgeCodecOf(name: string, clockRate: number, channels?: number): BridgeCodec | null {
  if (channels !== undefined && channels !== 1) return null
  const n = name.toLowerCase()
  for (const [codec, spec] of Object.entries(codecs) as [BridgeCodec, CodecSpec][]) {
    if ((n === spec.sfbName.toLowerCase() || n === spec.webrtcName.toLowerCase()) && clockRate === spec.clockRate) return codec
  }
  return null
}

/** Codecs that make a section worth carrying: without one of these, CN and telephone-event alone carry nothing. */
export const mediaCodecs: readonly BridgeCodec[] = ['G722', 'PCMU', 'PCMA', 'H264']
