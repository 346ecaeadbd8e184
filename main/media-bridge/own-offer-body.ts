// Parley's own call offer as the pool carries it: one multipart/alternative body of the renderer's WebRTC part and the bridge's SfB part.
import { randomUUID } from 'node:crypto'
import { toDataUrl, writeMultipartAlternative } from './body'

/**
 * The `data:multipart/alternative;…` URL of Parley's own offer (call/sdp.ts sends it as the mediaOffer): the WebRTC part
 * first, the SfB ICE-19 part last as [MS-SIPRE] 3.15.4.1 orders them, each with a Content-ID the answer names
 * (processedOfferId / msAcceptedContentId).
 */
export function ownOfferUrl(webrtc: string, sfbOffer: string): string {
  const id = randomUUID()
  const body = writeMultipartAlternative(
    [
      { contentId: `<webrtc.${id}@parley.invalid>`, fallback: false, sdp: webrtc },
      { contentId: `<ice19.${id}@parley.invalid>`, fallback: false, sdp: sfbOffer },
    ],
    `parley-${id}`,
  )
  return toDataUrl(body.contentType, body.body)
}
