// A conference call's remote video sources as the roster last named them (MSIs, participantVideo_ref.md videoSourceId),
// asked of the unit through the call's bridge call whenever they change or that bridge call comes to exist.
export class ConferenceSources {
  readonly #msis = new Map<string, number[]>()

  /** `ask` hands a call's sources to its bridge call (VSR, [MS-RTP]; vsr.ts), if it has one by then */
  constructor(private readonly ask: (callId: string, msis: number[]) => void) {}

  /** The roster named `msis` for `callId`: kept, and asked for unless the list is the same as before. */
  set(callId: string, msis: number[]): void {
    const before = this.#msis.get(callId)
    if (before && before.length === msis.length && before.every((m, i) => m === msis[i])) return
    this.#msis.set(callId, msis)
    this.ask(callId, msis)
  }

  /** The call's bridge call now exists: the sources kept so far are asked for. */
  again(callId: string): void {
    const msis = this.#msis.get(callId)
    if (msis) this.ask(callId, msis)
  }

  delete(callId: string): void {
    this.#msis.delete(callId)
  }
}
