// SDP as UCWA carries it: data: URLs in mediaOffer/mediaAnswer links (audioVideoInvitation_ref.md, PayloadFormat.md).
import sdpTransform from 'sdp-transform'
import { parseMediaBody, readDataUrl } from '../../media-bridge/body'
import { chooseOfferPart } from '../../media-bridge/choose-part'

/**
 * The SDP inside a `data:application/sdp[;base64],…` link, or null when the link carries none. A
 * `data:multipart/alternative;…` link (an SfB client's offer, [MS-SIPRE] 3.15.4.1) stays the link: the MediaAgent
 * (main/media-bridge/bridging-agent.ts) chooses its part.
 */
export function decodeData(href: string | undefined): string | null {
  if (/^data:multipart\/alternative;/i.test(href ?? '')) return href!
  const m = /^data:application\/sdp(;base64)?,(.*)$/s.exec(href ?? '')
  if (!m) return null
  return m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!)
}

/** An SDP as the `data:` URL startAudioVideo's mediaOffer link takes (startAudioVideo_ref.md). */
export function encodeData(sdp: string): string {
  if (sdp.startsWith('data:')) return sdp // the MediaAgent's multipart/alternative offer, already a data: URL
  return `data:application/sdp;base64,${Buffer.from(sdp).toString('base64')}`
}

/**
 * A video call: the offer's first video section sends (sendrecv or sendonly; RFC 4566 takes sendrecv when none is said).
 * `offer` is an SDP, or a `data:multipart/alternative` link (decodeData keeps those: an SfB-dialect offer, Parley's own
 * included), read by the part Parley takes (choose-part.ts): Parley's own offer is an audio call by its WebRTC part even
 * though its SfB part offers video both ways. An unreadable link is not a video call.
 */
export function sendsVideo(offer: string): boolean {
  if (!offer.startsWith('data:')) return sdpSendsVideo(offer)
  try {
    const { contentType, body } = readDataUrl(offer)
    return sdpSendsVideo(chooseOfferPart(parseMediaBody(body, contentType).parts).part.sdp)
  } catch {
    return false
  }
}

function sdpSendsVideo(sdp: string): boolean {
  const video = sdpTransform.parse(sdp).media.find((m) => m.type === 'video' && m.port !== 0)
  return !!video && (video.direction === undefined || video.direction === 'sendrecv' || video.direction === 'sendonly')
}

/** An offer that sends nothing (every section inactive or receive-only from us): the other side is holding. */
export function isHold(offer: string): boolean {
  const media = sdpTransform.parse(offer).media.filter((m) => m.port !== 0)
  return media.length > 0 && media.every((m) => m.direction === 'inactive' || m.direction === 'sendonly')
}
