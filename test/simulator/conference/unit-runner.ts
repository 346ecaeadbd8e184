// The conference unit, apart from the pool (a process or a thread, see unit-port.ts): every conference's
// werift peers and forwarder live here.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { MediaDialect } from '../sfb/dialect'
import { Conference, MediaNegotiationError, type ConferenceMedia } from './mcu'
import { SfbConference } from './sfb-conference'
import { errorOf, type Answers, type Ask, type Reply, type Request, type Settled } from './unit'
import { parentOfUnit } from './unit-port'

const port = parentOfUnit()
const conferences = new Map<string, ConferenceMedia>()
/** the unit's pending offers, by handle, with their conference (closing it withdraws them) */
const offers = new Map<number, { conf: string; offer: Awaited<ReturnType<ConferenceMedia['offerTo']>> }>()
let keys = 0
const loop = monitorEventLoopDelay({ resolution: 5 })

/** The conference `id`, made in `dialect` when it is new (WebRTC's werift peers, or SfB-dialect legs). */
function conference(id: string, dialect: MediaDialect): ConferenceMedia {
  let c = conferences.get(id)
  if (!c) conferences.set(id, (c = dialect === 'sfb2015' ? new SfbConference(id) : new Conference(id)))
  return c
}

/** a key the host waits on; settled here when the member's media flows (or fails) */
function watch(connected: Promise<void>): number {
  const key = ++keys
  connected.then(
    () => port.post({ connected: key } satisfies Settled),
    (e) => port.post({ connected: key, error: errorOf(e) } satisfies Settled),
  )
  return key
}

async function handle(r: Ask): Promise<Answers[Ask['op']]> {
  switch (r.op) {
    case 'join': {
      const joined = await conference(r.conf, r.dialect).joinWithOffer(r.member, r.offer, r.sources, r.offerType)
      return { answer: joined.answer, connected: watch(joined.connected), processedOfferId: joined.processedOfferId ?? null }
    }
    case 'offer': {
      const offer = await conference(r.conf, r.dialect).offerTo(r.member, r.sources)
      const handle = ++keys
      offers.set(handle, { conf: r.conf, offer })
      return { offer: offer.offer, handle }
    }
    case 'complete': {
      const pending = offers.get(r.handle)
      offers.delete(r.handle)
      if (!pending) throw new MediaNegotiationError('The conference offer was withdrawn.')
      return { connected: watch((await pending.offer.complete(r.answer)).connected) }
    }
    case 'cancel':
      await offers.get(r.handle)?.offer.cancel()
      offers.delete(r.handle)
      return
    case 'mute':
      conferences.get(r.conf)?.setMuted(r.member, r.kind, r.muted)
      return
    case 'leave':
      await conferences.get(r.conf)?.leave(r.member)
      return
    case 'close':
      await conferences.get(r.conf)?.close()
      conferences.delete(r.conf)
      for (const [handle, o] of offers) if (o.conf === r.conf) offers.delete(handle)
      return
    case 'watch-loop':
      loop.reset()
      loop.enable()
      return
    case 'loop-stall':
      loop.disable()
      return { longestMs: loop.max / 1e6 }
  }
}

port.onMessage((r: Request) => {
  handle(r).then(
    (value) => port.post({ seq: r.seq, ok: true, value } satisfies Reply),
    (e) => port.post({ seq: r.seq, ok: false, error: errorOf(e) } satisfies Reply),
  )
})
