// Which part of an incoming multipart offer Parley takes, and the Content-ID the answer names.
import type { MediaPart } from './body'
import { readSfbSdp, type SfbSession } from './sfb-read'
import { refuse } from './refusal'

/** webrtc: a part with a fingerprint (another Parley; taken directly); sfb-ice19 / sfb-ice6: the SfB dialect's parts. */
export type PartDialect = 'webrtc' | 'sfb-ice19' | 'sfb-ice6'

export interface ChosenPart {
  part: MediaPart
  session: SfbSession
  dialect: PartDialect
  /** what acceptWithAnswer / sendProvisionalAnswer send as processedOfferId (null for a plain body, which has none) */
  processedOfferId: string | null
}

const parleyRank: Record<PartDialect, number> = { webrtc: 0, 'sfb-ice19': 1, 'sfb-ice6': 2 }
const sfbRank: Record<PartDialect, number> = { 'sfb-ice19': 0, 'sfb-ice6': 1, webrtc: 2 }

/**
 * The best part of an offer: a WebRTC part (every media section has a fingerprint) over an ICE-19 part
 * over the ICE-6 fallback ([MS-SIPRE] 3.15.4.1); among equals, the later one (the ICE-19 part is last).
 * `as: 'sfb'` chooses as an SfB endpoint does: ICE 19, then ICE 6, a WebRTC part last.
 * Parts that are not SDP are skipped; throws MediaRefusal (InvalidMediaOffer) when no part is.
 */
export function chooseOfferPart(parts: MediaPart[], o: { as?: 'parley' | 'sfb' } = {}): ChosenPart {
  // an SfB endpoint cannot use a WebRTC part: it takes one only when nothing else is there (and then refuses it)
  const rank = o.as === 'sfb' ? sfbRank : parleyRank
  let best: ChosenPart | null = null
  let lastError: unknown = null
  for (const part of parts) {
    let session: SfbSession
    try {
      session = readSfbSdp(part.sdp)
    } catch (e) {
      lastError = e
      continue
    }
    const dialect = dialectOf(session, part)
    if (!best || rank[dialect] <= rank[best.dialect]) best = { part, session, dialect, processedOfferId: part.contentId }
  }
  if (best) return best
  throw lastError ?? refuse.invalidOffer('no part')
}

function dialectOf(session: SfbSession, part: MediaPart): PartDialect {
  const live = session.sections.filter((s) => s.port !== 0)
  if (live.length && live.every((s) => s.fingerprint)) return 'webrtc'
  if (part.fallback || (live.length && live.every((s) => s.iceVersion === 6))) return 'sfb-ice6'
  return 'sfb-ice19'
}
