// Every SDP edit goes through sdp-transform.
import * as sdpTransform from 'sdp-transform'

export function mediaKinds(sdp: string): string[] {
  return sdpTransform.parse(sdp).media.filter((m) => m.port !== 0).map((m) => m.type)
}

/** escalateAudioVideo_ref.md: "The client must provide sdp for both modalities" — refuse an offer that does not. */
export function assertAudioAndVideo(sdp: string): string {
  const kinds = mediaKinds(sdp)
  if (!kinds.includes('audio') || !kinds.includes('video')) throw new Error('The offer must carry both audio and video.')
  return sdp
}

/** Caps the video bitrate the far end may send us (b=AS on video sections); a round trip through sdp-transform. */
export function capVideoBitrate(sdp: string, kbps: number): string {
  const parsed = sdpTransform.parse(sdp)
  for (const m of parsed.media) if (m.type === 'video' && m.port !== 0) m.bandwidth = [{ type: 'AS', limit: kbps }]
  return sdpTransform.write(parsed)
}
