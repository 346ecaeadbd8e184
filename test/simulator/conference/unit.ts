// The pool's handle on its conference unit, which runs apart, as the AVMCU is a server role of its own:
// forwarding media (werift's SRTP, a packet at a time) never waits on the pool's HTTP work, its event
// channels, or the garbage of whatever else shares the pool's process (the app's core, the tests).
import type { Kind, MediaSources } from './forwarding'
import { MediaNegotiationError, type ConferenceMedia } from './mcu'
import type { MediaDialect } from '../sfb/dialect'
import { sfbRefusal, UnitRefusal } from './sfb-admission'
import { unitProcess, unitThread, type UnitPort } from './unit-port'

/** A request to the unit (without its seq); each is answered by a Reply with the same seq. */
export type Ask =
  | { op: 'join'; conf: string; dialect: MediaDialect; member: string; offer: string; offerType?: string; sources: MediaSources }
  | { op: 'offer'; conf: string; dialect: MediaDialect; member: string; sources: MediaSources }
  | { op: 'complete'; handle: number; answer: string }
  | { op: 'cancel'; handle: number }
  | { op: 'mute'; conf: string; member: string; kind: Kind; muted: boolean }
  | { op: 'leave'; conf: string; member: string }
  | { op: 'close'; conf: string }
  | { op: 'watch-loop' }
  | { op: 'loop-stall' }
export type Request = Ask & { seq: number }

/** what each request is answered with; `connected` is a key the unit settles later (a Settled message) when media flows */
export interface Answers {
  join: { answer: string; connected: number; processedOfferId?: string | null }
  offer: { offer: string; handle: number }
  complete: { connected: number }
  cancel: void
  mute: void
  leave: void
  close: void
  'watch-loop': void
  'loop-stall': { longestMs: number }
}

/** `reason`: a UnitRefusal's reason block, which crosses to the pool with it */
export type UnitError = { name: string; message: string; reason?: UnitRefusal['reason'] }
export type Reply = { seq: number } & ({ ok: true; value: Answers[Ask['op']] } | { ok: false; error: UnitError })
export type Settled = { connected: number; error?: UnitError }

export function errorOf(e: unknown): UnitError {
  if (e instanceof UnitRefusal) return { name: 'UnitRefusal', message: e.message, reason: e.reason }
  return { name: e instanceof MediaNegotiationError ? 'MediaNegotiationError' : 'Error', message: (e as Error)?.message ?? String(e) }
}

function rebuild(e: UnitError): Error {
  if (e.name === 'UnitRefusal' && e.reason) return new UnitRefusal(e.reason)
  return e.name === 'MediaNegotiationError' ? new MediaNegotiationError(e.message) : new Error(e.message)
}

export class MediaUnit {
  #port: UnitPort | null = null
  #seq = 0
  readonly #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  readonly #connecting = new Map<number, { resolve(): void; reject(e: Error): void }>()
  /**
   * Settlements that came before the reply naming their key was taken up: a child's IPC hands every message of one
   * read to its listeners before any promise continuation runs, so a member whose checks finish at once (a loaded
   * host reading late) has its Settled delivered before the `complete` reply's continuation waits on it.
   */
  readonly #settledFirst = new Map<number, UnitError | null>()

  /**
   * `script`: the app's bundled runner, run on a thread; without it, the source runs as a process of its own.
   * `port`: where the unit runs instead (tests drive the message order with it).
   */
  constructor(
    private readonly script?: string,
    private readonly port?: () => UnitPort,
  ) {}

  /** the dialect joins are judged in: in 'sfb2015' what an AVMCU refuses fails before the unit sees it (sfb-admission.ts) */
  dialect: MediaDialect = 'webrtc'

  open(id: string): ConferenceMedia {
    const call = <O extends Ask['op']>(r: Extract<Ask, { op: O }>) => this.#call(r)
    const dialect = this.dialect // a conference keeps the dialect it started in
    const refusal = (offer: string, offerType?: string) => (dialect === 'sfb2015' ? sfbRefusal(offer, offerType) : null)
    const connected = (key: number) => this.#connected(key)
    return {
      id,
      async joinWithOffer(member, offer, sources, offerType) {
        const refused = refusal(offer, offerType)
        if (refused) throw refused
        const joined = await call({ op: 'join', conf: id, dialect, member, offer, offerType, sources })
        return { answer: joined.answer, connected: connected(joined.connected), processedOfferId: joined.processedOfferId }
      },
      async offerTo(member, sources) {
        const { offer, handle } = await call({ op: 'offer', conf: id, dialect, member, sources })
        return {
          offer,
          complete: async (answer) => ({ connected: connected((await call({ op: 'complete', handle, answer })).connected) }),
          cancel: () => call({ op: 'cancel', handle }),
        }
      },
      setMuted: (member, kind, muted) => void call({ op: 'mute', conf: id, member, kind, muted }).catch(() => {}),
      // nothing to leave or close on a unit that never started (or stopped)
      leave: async (member) => void (this.#port && (await call({ op: 'leave', conf: id, member }))),
      close: async () => void (this.#port && (await call({ op: 'close', conf: id }))),
    }
  }

  /** The unit's process id while it runs as a process of its own (from source); undefined on a thread or before it starts. */
  get pid(): number | undefined {
    return this.#port?.pid
  }

  /** Starts the unit ahead of the first conference (loading werift takes ~0.6 s of CPU); no-op when running. */
  start(): void {
    this.#running()
  }

  /** The longest event-loop stall of the unit while `during` runs, in ms: how long forwarding waited. */
  async stalls(during: () => Promise<void>): Promise<number> {
    await this.#call({ op: 'watch-loop' })
    await during()
    return (await this.#call({ op: 'loop-stall' })).longestMs
  }

  /** Stops the unit (the pool closes its conferences first). */
  async close(): Promise<void> {
    const port = this.#port
    this.#port = null
    await port?.stop()
  }

  #call<O extends Ask['op']>(r: Extract<Ask, { op: O }>): Promise<Answers[O]> {
    const seq = ++this.#seq
    const port = this.#running()
    port.hold(true)
    return new Promise((resolve, reject) => {
      // the unit answers each op with its Answers entry (unit-runner.ts)
      this.#waiting.set(seq, { resolve: (v) => resolve(v as Answers[O]), reject })
      port.post({ ...r, seq })
    })
  }

  #connected(key: number): Promise<void> {
    const first = this.#settledFirst.get(key)
    this.#settledFirst.delete(key)
    const p = first === undefined ? new Promise<void>((resolve, reject) => this.#connecting.set(key, { resolve, reject })) : first ? Promise.reject(rebuild(first)) : Promise.resolve()
    p.catch(() => {}) // the pool may stop waiting (a cancelled escalation)
    return p
  }

  #running(): UnitPort {
    if (this.#port) return this.#port
    const port = this.port?.() ?? (this.script ? unitThread(this.script) : unitProcess())
    port.onMessage((message) => {
      const m = message as Reply | Settled
      if ('seq' in m) {
        const waiting = this.#waiting.get(m.seq)
        this.#waiting.delete(m.seq)
        if (this.#waiting.size === 0) port.hold(false)
        if (m.ok) waiting?.resolve(m.value)
        else waiting?.reject(rebuild(m.error))
      } else {
        const waiting = this.#connecting.get(m.connected)
        this.#connecting.delete(m.connected)
        if (!waiting) this.#settledFirst.set(m.connected, m.error ?? null)
        else if (m.error) waiting.reject(rebuild(m.error))
        else waiting.resolve()
      }
    })
    port.onStop((why) => {
      if (this.#port === port) this.#port = null // the next conference starts it again
      const e = new MediaNegotiationError(`The conference unit stopped: ${why}`)
      for (const m of [this.#waiting, this.#connecting]) {
        for (const { reject } of m.values()) reject(e)
        m.clear()
      }
      this.#settledFirst.clear()
    })
    this.#port = port
    return port
  }
}
