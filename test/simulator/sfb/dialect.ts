// Which media dialect a simulated pool speaks, and how a UCWA media body travels in it.
import { parseMediaBody, readDataUrl } from '../../../main/media-bridge/body'
import { chooseOfferPart } from '../../../main/media-bridge/choose-part'

/**
 * 'webrtc': every simulated endpoint (bots, conference unit) speaks WebRTC SDP, as Parley's renderer does today.
 * 'sfb2015': they speak the Skype for Business 2015 dialect (multipart ICE-6/ICE-19 offers, SDES-SRTP, RTCP on its
 * own port; ../shared/sfb-media.md). The default stays 'webrtc' until the client speaks through main/media-bridge.
 */
export type MediaDialect = 'webrtc' | 'sfb2015'

/** A media offer as the pool keeps it: the body and its Content-Type (application/sdp or multipart/alternative;boundary=…). */
export interface MediaOfferBody {
  contentType: string
  body: string
}

/**
 * A startAudioVideo mediaOffer `data:` URL of type multipart/alternative (the SfB endpoints' form, [MS-SIPRE]
 * 3.15.4.1) with at least one SDP part; null for any other URL (application/sdp is read as before).
 */
export function readMultipartOffer(href: string): MediaOfferBody | null {
  try {
    const read = readDataUrl(href)
    if (read.contentType.split(';')[0]!.trim().toLowerCase() !== 'multipart/alternative') return null
    return parseMediaBody(read.body, read.contentType).parts.some((p) => /^v=0\r?\n/.test(p.sdp)) ? read : null
  } catch {
    return null
  }
}

/** What a WebRTC endpoint (the 'webrtc' dialect's bots) takes of an offer: the SDP as it came, or a multipart body's WebRTC part and its Content-ID. */
export function webrtcPart(offer: MediaOfferBody): { sdp: string; processedOfferId?: string } {
  if (!offer.contentType.toLowerCase().startsWith('multipart/')) return { sdp: offer.body }
  let chosen
  try {
    chosen = chooseOfferPart(parseMediaBody(offer.body, offer.contentType).parts)
  } catch {
    return { sdp: offer.body } // not SDP at all: the endpoint's own answer fails on it, as with any bad offer
  }
  return { sdp: chosen.part.sdp, ...(chosen.processedOfferId && { processedOfferId: chosen.processedOfferId }) }
}
