// Making RTCPeerConnections: UCWA has no trickle ICE, so every SDP leaves with its candidates gathered (a bounded wait),
// and a spare connection gathers ahead so the next call's set-up does not pay for it.

const PC_CONFIG: RTCConfiguration = { iceServers: [], bundlePolicy: 'max-bundle' }
const GATHER_LIMIT_MS = 3000
/** a spare connection is replaced this often, so its candidates follow network changes */
const SPARE_REFRESH_MS = 5 * 60_000

/** Resolves once `pc` gathered its candidates, or after GATHER_LIMIT_MS: what was gathered by then goes out (host candidates come first). */
export function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      pc.removeEventListener('icegatheringstatechange', check)
      resolve()
    }
    const check = () => pc.iceGatheringState === 'complete' && done()
    const timer = setTimeout(done, GATHER_LIMIT_MS)
    pc.addEventListener('icegatheringstatechange', check)
  })
}

/** The next call's connection, its candidates gathered ahead (iceCandidatePoolSize). */
export class SpareConnection {
  #spare: { pc: RTCPeerConnection; timer: ReturnType<typeof setTimeout> } | null = null

  /** A connection starts gathering now (none if one is waiting), replaced every SPARE_REFRESH_MS while unused. */
  warm(): void {
    if (this.#spare) return
    const pc = new RTCPeerConnection({ ...PC_CONFIG, iceCandidatePoolSize: 1 })
    const timer = setTimeout(() => {
      if (this.#spare?.pc !== pc) return
      this.#spare = null
      pc.close()
      this.warm()
    }, SPARE_REFRESH_MS)
    this.#spare = { pc, timer }
  }

  /** The spare connection (a new one if there is none); the next spare is warmed a second later, after this call's set-up. */
  take(): RTCPeerConnection {
    const spare = this.#spare
    if (!spare) return new RTCPeerConnection(PC_CONFIG)
    clearTimeout(spare.timer)
    this.#spare = null
    setTimeout(() => this.warm(), 1000) // the next one after this call's set-up, not during it
    return spare.pc
  }
}
