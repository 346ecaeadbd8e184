// An offer from the pool as the engine hands it to the media agent (SDP, or a multipart body's `data:` URL), read once:
// refusal(), the provisional answer and the answer of the same call all take the same reading.
import type { MediaNotice } from '../ucwa/call/media-agent'
import { parseMediaBody, readDataUrl } from './body'
import { chooseOfferPart, type ChosenPart } from './choose-part'
import { planBridge, type BridgePlan } from './plan'
import { MediaRefusal } from './refusal'

/** An offer read: its body and Content-Type (what the worker is given), and the part Parley takes; `chosen` null for plain WebRTC SDP. */
export interface IncomingOffer {
  body: string
  contentType: string
  chosen: ChosenPart | null
  /** the bridge's plan for the chosen SfB part, once asked (refusal and notices before it rings) */
  plan?: BridgePlan | MediaRefusal
}

/** Offers kept read: a call's offer is asked about three times within its first seconds, never after its answer. */
const kept = 8

/** Reads each offer once (body.ts, choose-part.ts) and keeps the last few readings, a refusal as much as a part. */
export class IncomingOffers {
  readonly #read = new Map<string, { offer: IncomingOffer } | { error: unknown }>()

  /** The reading of `offer`; throws what reading it threw (MediaRefusal InvalidMediaOffer for a body with no SDP part), each time. */
  read(offer: string): IncomingOffer {
    let r = this.#read.get(offer)
    if (!r) {
      try {
        r = { offer: readOffer(offer) }
      } catch (error) {
        r = { error }
      }
      this.#read.set(offer, r)
      if (this.#read.size > kept) this.#read.delete(this.#read.keys().next().value!)
    }
    if ('error' in r) throw r.error
    return r.offer
  }

  /** Why an incoming offer cannot be taken at all (CallDeclineReason_ref.md), checked before the call rings; null when it can. */
  refusal(offer: string): MediaRefusal | null {
    const plan = this.#plan(offer)
    return plan instanceof MediaRefusal ? plan : null
  }

  /** What an incoming offer that can be taken goes without (its video only as RTVideo, ...), told while it rings. */
  notices(offer: string): MediaNotice[] {
    const plan = this.#plan(offer)
    return plan && !(plan instanceof MediaRefusal) ? plan.notices : []
  }

  /** The bridge's plan for an SfB-dialect offer (plan.ts), made once per reading; null for a WebRTC offer or part, or one unreadable for no stated reason. */
  #plan(offer: string): BridgePlan | MediaRefusal | null {
    try {
      const read = this.read(offer)
      if (!read.chosen || read.chosen.dialect === 'webrtc') return null
      return (read.plan ??= planBridge(read.chosen.session))
    } catch (e) {
      return e instanceof MediaRefusal ? e : null
    }
  }
}

function readOffer(offer: string): IncomingOffer {
  // a single SDP with a DTLS fingerprint (RFC 8122) is WebRTC's dialect, passed on untouched
  if (!offer.startsWith('data:') && /^a=fingerprint:/m.test(offer)) return { body: offer, contentType: 'application/sdp', chosen: null }
  // the engine hands a multipart offer over as its `data:` URL (call/sdp.ts), a plain one as its SDP
  const { body, contentType } = offer.startsWith('data:') ? readDataUrl(offer) : { body: offer, contentType: 'application/sdp' }
  return { body, contentType, chosen: chooseOfferPart(parseMediaBody(body, contentType).parts) }
}
