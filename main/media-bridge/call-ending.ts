// How one bridged call ends: once, with its fault (or none, on close), its listeners told, every leg closed.
import { BridgeFault } from './fault'

export class CallEnding {
  #ended = false
  readonly #listeners: ((fault: BridgeFault | null) => void)[] = []

  /** `closeLegs` closes every leg opened so far; `onEnd` runs first (what stops using the legs) */
  constructor(
    private readonly closeLegs: () => Promise<void>,
    private readonly onEnd: () => void,
  ) {}

  get ended(): boolean {
    return this.#ended
  }

  /** Calls `listener` once when the call ends: with the fault, or null on close. */
  listen(listener: (fault: BridgeFault | null) => void): void {
    this.#listeners.push(listener)
  }

  /** Ends the call (the first time only) and closes its legs. */
  async end(fault: BridgeFault | null): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    this.onEnd()
    for (const l of this.#listeners) l(fault)
    await this.closeLegs()
  }

  /** Ends the call with `e` as a BridgeFault (RelayCrashed, `what` failed, when it was not one); returns that fault once the legs are closed. */
  async failed(e: unknown, what = 'The media bridge failed'): Promise<BridgeFault> {
    const fault = e instanceof BridgeFault ? e : new BridgeFault('RelayCrashed', `${what}: ${String(e)}`)
    await this.end(fault)
    return fault
  }

  /** `result` of opening legs, unless the call ended meanwhile: then what opened after it is closed too, and RelayCrashed thrown. */
  unlessEnded<T>(result: T): T {
    if (!this.#ended) return result
    void this.closeLegs()
    throw new BridgeFault('RelayCrashed', 'The call\'s media was closed while it was being set up.')
  }
}
