// What an SfB 2015 conference unit (AVMCU) refuses of a join offer, before any media is set up.
import { parseMediaBody, type MediaPart } from '../../../main/media-bridge/body'
import { chooseOfferPart, type ChosenPart } from '../../../main/media-bridge/choose-part'
import type { SfbMediaSection } from '../../../main/media-bridge/sfb-read'
import type { Reason } from '../http/errors'
import { MediaNegotiationError } from './mcu'

/** A join the unit will not take: the reason block (ErrorsAndInformationalMessages.md) the member's invitation fails with. */
export class UnitRefusal extends MediaNegotiationError {
  constructor(readonly reason: Reason & { subcode: string; message: string }) {
    super(reason.message)
    this.name = 'UnitRefusal'
  }
}

/**
 * Voice codecs the AVMCU answers with in ../shared/sfb-sdp/avmcu-answer.txt (G.722, PCMU, PCMA), by rtpmap name in
 * lower case; CN and telephone-event carry no voice and do not count. Other SfB codecs are left out: no page lists them.
 */
const avmcuAudio = new Set(['g722', 'pcmu', 'pcma'])

/**
 * In 'sfb2015' the unit keys media with SDES only ([MS-SDPEXT]: no a=fingerprint, no DTLS; sfb-media.md "Keys"):
 * an offer whose audio has a fingerprint and no a=crypto fails with MediaEncryptionRequired (ErrorSubcode_ref.md),
 * one whose audio has no codec the unit mixes with MediaNegotiationFailure, the message naming CodecMismatch
 * (CallDeclineReason_ref.md's reason for it). `offer` is the body as the pool keeps it, with its Content-Type.
 * Returns null when the unit takes the offer.
 */
export function sfbRefusal(offer: string, contentType = 'application/sdp'): UnitRefusal | null {
  let parts: MediaPart[]
  try {
    parts = parseMediaBody(offer, contentType).parts
  } catch {
    return new UnitRefusal({ code: 'RemoteFailure', subcode: 'InvalidMediaDescription', message: 'The conference could not read the media description.' })
  }
  let audio: SfbMediaSection | undefined
  try {
    audio = avmcuPart(parts).session.sections.find((s) => s.kind === 'audio' && s.port !== 0)
  } catch {
    audio = undefined
  }
  if (!audio) return new UnitRefusal({ code: 'RemoteFailure', subcode: 'InvalidMediaDescription', message: 'The conference needs an audio section in the offer.' })
  if (audio.keys.length === 0 && (audio.fingerprint || audio.encryption === 'rejected'))
    return new UnitRefusal({ code: 'RemoteFailure', subcode: 'MediaEncryptionRequired', message: 'The conference requires SRTP keyed by SDES (a=crypto); the offer has none (DTLS is not supported).' })
  const names = audio.codecs.map((c) => c.name)
  if (!names.some((n) => avmcuAudio.has(n.toLowerCase())))
    return new UnitRefusal({ code: 'RemoteFailure', subcode: 'MediaNegotiationFailure', message: `CodecMismatch: the conference has no audio codec in common with the offer (it offered ${names.join(', ') || 'none'}).` })
  return null
}

/**
 * The part of an offer the unit answers: the SfB ICE-19 part over the ICE-6 fallback ([MS-SIPRE] 3.15.4.1, as
 * chooseOfferPart ranks them), never a WebRTC part (DTLS, which an AVMCU does not speak) while the body has another,
 * as in Parley's own offers, an SfB part beside a WebRTC one. A WebRTC part alone is returned, to be refused for
 * its encryption. Throws MediaRefusal (InvalidMediaOffer) when no part is SDP.
 */
export function avmcuPart(parts: MediaPart[]): ChosenPart {
  const first = chooseOfferPart(parts)
  if (first.dialect !== 'webrtc') return first
  try {
    const other = chooseOfferPart(parts.filter((p) => p !== first.part))
    return other.dialect === 'webrtc' ? first : other
  } catch {
    return first
  }
}
