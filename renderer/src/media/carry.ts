// Make before break, to the packet: when a call moves to a conference, the P2P connection goes once the conference one
// receives audio (or after a bounded wait), so the person hears no gap while the call moves.

/** how long the P2P connection may outlive a conference that carries no audio yet */
const CARRY_LIMIT_MS = 2000
/** the P2P connection stays this long after the conference's first audio (the person hears P2P until then) */
const CARRY_MARGIN_MS = 250

async function audioPackets(pc: RTCPeerConnection): Promise<number> {
  let n = 0
  ;(await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived ?? 0
  })
  return n
}

/**
 * Resolves when `p2p` may close: CARRY_MARGIN_MS after `conference` first received audio (`heard` is called then: the
 * person hears the conference from that moment), or after CARRY_LIMIT_MS, or as soon as either connection closed.
 */
export async function conferenceCarries(p2p: RTCPeerConnection, conference: RTCPeerConnection, heard: () => void): Promise<void> {
  const end = performance.now() + CARRY_LIMIT_MS
  while (performance.now() < end && conference.connectionState !== 'closed' && p2p.connectionState !== 'closed') {
    if ((await audioPackets(conference)) > 0) {
      // we hear the conference at once; the far end's leg may need a moment more, and it hears us over P2P till we close
      heard()
      await new Promise((r) => setTimeout(r, CARRY_MARGIN_MS))
      return
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}
