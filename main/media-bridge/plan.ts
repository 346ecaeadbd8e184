// Whether an SfB-dialect offer can be bridged, and what of it: the refusals CallDeclineReason_ref.md names.
import { mediaCodecs } from './codecs'
import { isIPv6Candidate, type IceCandidate } from './ice'
import { MediaRefusal, refuse } from './refusal'
import type { SdesKey } from './sdes'
import type { SfbCodec, SfbMediaSection, SfbSession } from './sfb-read'
import type { MediaNotice } from '../ucwa/call/media-agent'

/** One section the bridge will carry: the offer's bridgeable codecs in its order, the key to receive with, the usable candidates. */
export interface PlannedSection {
  /** index of the m= line in the offer (an answer keeps every m= line, RFC 3264 6) */
  index: number
  section: SfbMediaSection
  codecs: SfbCodec[]
  /** the offer's key to take: the first line without MKI (SIPE takes only those), else the first */
  key: SdesKey
  /** ICE-19 IPv4 candidates, both components */
  candidates: IceCandidate[]
  ice: { ufrag: string; pwd: string }
}

// what the call engine is told a call goes on without (call/media-agent.ts onNotice)
export type { MediaNotice } from '../ucwa/call/media-agent'

export interface BridgePlan {
  audio: PlannedSection
  video: PlannedSection | null
  notices: MediaNotice[]
}

/**
 * Checks an SfB-dialect offer (or answer) section by section: audio must be bridgeable or the whole
 * offer is refused; video that is not (x-rtvc1 only, no key, ICE 6 only, IPv6 only) is dropped with a
 * notice and audio goes on. Returns the plan, or the MediaRefusal to decline (decline_ref.md) or
 * dismiss (dismiss_ref.md) with.
 */
export function planBridge(session: SfbSession): BridgePlan | MediaRefusal {
  const audioIndex = session.sections.findIndex((s) => s.kind === 'audio' && s.port !== 0)
  if (audioIndex < 0) return refuse.noAudio()
  const audio = planSection(session.sections[audioIndex]!, audioIndex)
  if (audio instanceof MediaRefusal) return audio
  const plan: BridgePlan = { audio, video: null, notices: [] }
  const videoIndex = session.sections.findIndex((s) => s.kind === 'video' && s.port !== 0)
  if (videoIndex >= 0) {
    const video = planSection(session.sections[videoIndex]!, videoIndex)
    if (video instanceof MediaRefusal) plan.notices.push({ kind: 'videoDropped', message: `${videoMessage(session.sections[videoIndex]!, video)} The call goes on with audio only.` })
    else plan.video = video
  }
  return plan
}

function videoMessage(s: SfbMediaSection, refusal: MediaRefusal): string {
  if (refusal.declineReason === 'CodecMismatch' && s.codecs.some((c) => c.name.toLowerCase() === 'x-rtvc1')) return "Neither of you can see the other: the other side's video uses an older Microsoft format (RTVideo) that Parley cannot show or send."
  return `Video cannot be shown: ${refusal.message}`
}

/** The checks in the order a person would want the reason: encryption, connection method, codecs, addresses. */
function planSection(s: SfbMediaSection, index: number): PlannedSection | MediaRefusal {
  // a=cryptoscale alone is not keyed from: what its scale and role mean is not in the material we have
  if (s.encryption === 'rejected' || (s.keys.length === 0 && s.foreignKeys.length === 0)) return refuse.encryptionRejected()
  const key = s.keys.find((k) => !k.mki) ?? s.keys[0]
  if (!key) return refuse.unsupportedKey(s.foreignKeys.map((k) => k.suite))
  if (s.iceVersion === 6) return refuse.ice6Only()
  if (s.iceVersion !== 19) return refuse.noCandidates()
  const codecs = s.codecs.filter((c) => c.bridge !== null)
  if (!codecs.some((c) => mediaCodecs.includes(c.bridge!))) return refuse.codecMismatch(s.kind, s.codecs.map((c) => c.name))
  const candidates = s.candidates.filter((c) => !isIPv6Candidate(c))
  if (!candidates.some((c) => c.component === 1)) return s.candidates.some((c) => c.component === 1) ? refuse.ipv6Only() : refuse.noCandidates()
  return { index, section: s, codecs, key, candidates, ice: { ufrag: s.iceUfrag!, pwd: s.icePwd! } }
}
