// The renderer's held answer to its own offer, made to follow the pool's answer before the renderer applies it.
import { parse, write, type MediaDescription } from 'sdp-transform'
import { bridgeCodecOf, type BridgeCodec } from './codecs'
import { planBridge } from './plan'
import { MediaRefusal } from './refusal'
import { readSfbSdp } from './sfb-read'

/**
 * `webrtcAnswer` (the renderer leg's answer to Chromium's offer, SDP) with each audio/video line's bridgeable codecs
 * narrowed to the ones the pool's SfB `sfbAnswer` took, in the pool's order: RFC 3264 6.1 makes the answer's order the
 * answerer's preference, and Chromium sends the first codec of the answer it applies, so it sends what the pool takes
 * first (G.722 from an AVMCU answering `9 0 8`, PCMU from one answering `0 9`) and never a codec the relay would drop.
 * Other payload types (RTX, CN, telephone-event) keep their place after them. A line the pool took nothing of, or an
 * answer the bridge cannot read (poolAnswered refuses it), leaves the answer as it was. Never throws.
 */
export function followPoolAnswer(webrtcAnswer: string, sfbAnswer: string): string {
  let plan
  try {
    plan = planBridge(readSfbSdp(sfbAnswer))
  } catch {
    return webrtcAnswer
  }
  if (plan instanceof MediaRefusal) return webrtcAnswer
  const session = parse(webrtcAnswer)
  for (const m of session.media) {
    const taken = m.type === 'audio' ? plan.audio : m.type === 'video' ? plan.video : null
    if (!taken || m.port === 0) continue
    const order = taken.codecs.map((c) => c.bridge).filter((c): c is BridgeCodec => c !== null)
    reorder(m, order)
  }
  return write(session)
}

function reorder(m: MediaDescription, order: BridgeCodec[]): void {
  const payloads = String(m.payloads ?? '').split(' ').filter(Boolean).map(Number)
  const codecOf = new Map(m.rtp.map((r) => [r.payload, bridgeCodecOf(r.codec, r.rate ?? 0, r.encoding === undefined ? undefined : Number(r.encoding))]))
  const rank = (pt: number) => {
    const codec = codecOf.get(pt)
    return codec && codec !== 'CN' && codec !== 'telephone-event' ? order.indexOf(codec) : null
  }
  const media = payloads.filter((pt) => (rank(pt) ?? -1) >= 0).sort((a, b) => rank(a)! - rank(b)!)
  if (media.length === 0) return
  const dropped = new Set(payloads.filter((pt) => rank(pt) === -1))
  const others = payloads.filter((pt) => rank(pt) === null && !repairs(m, pt, dropped))
  const kept = new Set([...media, ...others])
  m.payloads = [...media, ...others].join(' ')
  m.rtp = m.rtp.filter((r) => kept.has(r.payload))
  m.fmtp = m.fmtp.filter((f) => kept.has(f.payload))
  if (m.rtcpFb) m.rtcpFb = m.rtcpFb.filter((f) => f.payload === '*' || kept.has(Number(f.payload)))
}

/** Whether `pt` is an RTX type repairing one of `dropped` (RFC 4588 apt=). */
function repairs(m: MediaDescription, pt: number, dropped: Set<number>): boolean {
  const apt = /(?:^|;)\s*apt=(\d+)/.exec(m.fmtp.find((f) => f.payload === pt)?.config ?? '')
  return apt !== null && dropped.has(Number(apt[1]))
}
