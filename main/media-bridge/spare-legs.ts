// Pool legs gathered before the call (as the renderer keeps a spare connection): Parley's own offer takes them at once.
import type { BridgeFault } from './fault'
import { PoolLeg, type PoolLegEvents, type PoolLegLocal } from './pool-leg'

type Kind = 'audio' | 'video'

/** One kind's leg, gathered (components 1 and 2, controlling: what an offer needs), whose events go to the call that takes it. */
export interface SpareLeg {
  leg: PoolLeg
  local: PoolLegLocal
  /** from now on the leg's packets and faults go to `events` (before: dropped; a spare has no keys, so no packet is read) */
  bind(events: PoolLegEvents): void
}

/**
 * One spare set (an audio and a video leg) kept open in the media worker for Parley's next own offer, and the next
 * set gathered once it is taken, so an outgoing call never waits for its UDP sockets and candidates. Host candidates
 * only (loopback-free sockets on `host`); nothing is sent before the taker starts ICE (RFC 5245 7: checks begin only
 * once the peer's candidates are known). `take` resolves null when gathering failed: the call then opens its own.
 */
export class SpareLegs {
  #next: Promise<Record<Kind, SpareLeg> | null> | null = null
  #closed = false

  constructor(readonly host: string) {}

  /** Starts gathering a set unless one is ready or on its way. Returns the set's ports once gathered (tests and the bench read them). */
  async fill(): Promise<number[]> {
    this.#next ??= this.#gather()
    const set = await this.#next
    return set ? [...set.audio.local.candidates, ...set.video.local.candidates].map((c) => c.port) : []
  }

  /** The ready (or gathering) set, and the next one started; null when none could be gathered. */
  async take(): Promise<Record<Kind, SpareLeg> | null> {
    const set = await (this.#next ?? this.#gather())
    this.#next = null
    if (!this.#closed) void this.fill()
    return set
  }

  async close(): Promise<void> {
    this.#closed = true
    const set = await this.#next?.catch(() => null)
    this.#next = null
    if (set) await closeLegs(set)
  }

  async #gather(): Promise<Record<Kind, SpareLeg> | null> {
    const set = await gatherLegs(this.host).catch(() => null)
    if (set && this.#closed) {
      await closeLegs(set)
      return null
    }
    return set
  }
}

/** An audio and a video pool leg gathered at once (components 1 and 2, controlling); BridgeFault IceFailed when a socket cannot open (none is left open). */
export async function gatherLegs(host: string): Promise<Record<Kind, SpareLeg>> {
  const [audio, video] = await Promise.allSettled([one(host), one(host)])
  if (audio.status === 'fulfilled' && video.status === 'fulfilled') return { audio: audio.value, video: video.value }
  await Promise.all([audio, video].map((r) => (r.status === 'fulfilled' ? r.value.leg.close() : undefined)))
  throw [audio, video].find((r) => r.status === 'rejected')!.reason
}

/**
 * Waits for `answering` (the renderer leg's answer) and `legs` together; returns the answer and the legs of the kinds
 * `kept` names from it, the others closed. Either failing closes every leg that opened and throws that error.
 */
export async function answerBesideLegs<T>(answering: Promise<T>, legs: Promise<Record<Kind, SpareLeg>>, kept: (answer: T) => Kind[]): Promise<{ answer: T; legs: Partial<Record<Kind, SpareLeg>> }> {
  const [answer, set] = await Promise.allSettled([answering, legs])
  if (answer.status === 'rejected' || set.status === 'rejected') {
    if (set.status === 'fulfilled') await closeLegs(set.value)
    throw answer.status === 'rejected' ? answer.reason : (set as PromiseRejectedResult).reason
  }
  const kinds = kept(answer.value)
  await Promise.all((['audio', 'video'] as const).filter((k) => !kinds.includes(k)).map((k) => set.value[k].leg.close()))
  return { answer: answer.value, legs: Object.fromEntries(kinds.map((k) => [k, set.value[k]])) }
}

export async function closeLegs(set: Record<Kind, SpareLeg>): Promise<void> {
  await Promise.all([set.audio.leg.close(), set.video.leg.close()])
}

async function one(host: string): Promise<SpareLeg> {
  let target: PoolLegEvents | null = null
  const leg = new PoolLeg(host, {
    rtp: (p) => target?.rtp(p),
    rtcp: (p) => target?.rtcp(p),
    fault: (f: BridgeFault) => target?.fault(f),
  })
  try {
    const local = await leg.open({ mux: false, controlling: true })
    return { leg, local, bind: (events) => void (target = events) }
  } catch (e) {
    await leg.close()
    throw e
  }
}
