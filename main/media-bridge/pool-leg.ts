// The pool leg of one media section: UDP on the given host, ICE ([MS-ICE2], draft-19 checks) per component, SDES-SRTP.
import { Candidate, Connection } from 'werift'
import { BridgeFault } from './fault'
import { candidatePriority, type IceCandidate } from './ice'
import type { SdesKey } from './sdes'
import { SdesSrtp } from './srtp-sdes'

/** What this side gives the SDP of its section: credentials and host candidates of component 1 and, unless muxed, 2. */
export interface PoolLegLocal {
  ice: { ufrag: string; pwd: string }
  candidates: IceCandidate[]
}

/** The peer's section as the SDP gave it. */
export interface PoolLegRemote {
  ice: { ufrag: string; pwd: string }
  candidates: IceCandidate[]
  /** RTCP on component 1 ([MS-SDPEXT] 3.1.5.38: only when both sides wrote a=rtcp-mux) */
  rtcpMux: boolean
}

/** The candidate pair ICE selected for one component: this side's address and the peer's. */
export interface SelectedPair {
  component: number
  local: { address: string; port: number }
  remote: { address: string; port: number }
}

export interface PoolLegEvents {
  /** a decrypted RTP packet (RFC 3550 5.1 bytes) */
  rtp(packet: Buffer): void
  /** a decrypted (compound) RTCP packet */
  rtcp(packet: Buffer): void
  /** the leg's media cannot flow: ICE failed, or packets keep failing SRTP authentication */
  fault(fault: BridgeFault): void
}

/**
 * Packets failing authentication in a row, before any packet passed, that make the keys wrong (one bad packet is
 * noise, RFC 3711 3.3). Once media has authenticated, failing packets are only dropped: anyone can send a datagram.
 */
const authFailuresToFault = 20

/**
 * One media section toward the pool (Electron-free): `open` binds a UDP socket per component on `host` and
 * returns what the SDP needs; `start` runs connectivity checks with the peer's ufrag/pwd ([MS-ICE2] is based
 * on ICE draft 19: the same STUN short-term credentials, `remote:local` usernames) and keys SRTP from SDES.
 * RTCP goes on component 2 unless mux was agreed. Each component runs its own werift ICE agent, which pairs
 * only component 1: component 2's candidates are given to it renumbered, and written with component 2.
 */
export class PoolLeg {
  readonly #agents: Connection[] = []
  #srtp: SdesSrtp | null = null
  #mux = false
  #authFailures = 0
  #authenticated = false
  #closed = false

  constructor(
    readonly host: string,
    readonly events: PoolLegEvents,
  ) {}

  /** Gathers host candidates (components 1 and 2, or 1 only when `mux`), RFC 5245 4.1.2 priorities, UDP. */
  async open(options: { mux: boolean; controlling: boolean }): Promise<PoolLegLocal> {
    this.#mux = options.mux
    const components = options.mux ? [1] : [1, 2]
    const ice = { ufrag: randomToken(4), pwd: randomToken(22) }
    const candidates: IceCandidate[] = []
    for (const component of components) {
      const agent = new Connection(options.controlling, {
        useIpv4: true,
        useIpv6: false,
        additionalHostAddresses: [this.host],
        interfaceAddresses: { udp4: this.host },
        filterCandidatePair: (pair) => pair.remoteCandidate.host === this.host,
      })
      agent.localUsername = ice.ufrag
      agent.localPassword = ice.pwd
      await agent.gatherCandidates()
      const own = agent.localCandidates.find((c) => c.host === this.host && c.transport.toLowerCase() === 'udp')
      if (!own) throw new BridgeFault('IceFailed', `No UDP socket could be opened on ${this.host}.`)
      candidates.push({ foundation: String(component), component, transport: 'udp', priority: candidatePriority(126, 65535, component), address: own.host, port: own.port, type: 'host' })
      agent.onData.subscribe((data) => this.#receive(data, component))
      this.#agents.push(agent)
    }
    return { ice, candidates }
  }

  /** Runs ICE to the peer's candidates and keys SRTP; resolves when every component has a pair, or rejects with BridgeFault IceFailed. */
  async start(remote: PoolLegRemote, keys: { send: SdesKey; receive: SdesKey }, timeoutMs = 10_000): Promise<void> {
    this.#srtp = new SdesSrtp(keys.send, keys.receive)
    this.#mux = this.#mux || remote.rtcpMux
    // an offer of mux beside component 2 that the answer took ([MS-SDPEXT] 3.1.5.38): component 2 is not used
    if (this.#mux && this.#agents.length > 1) await Promise.all(this.#agents.splice(1).map((a) => a.close().catch(() => undefined)))
    const checks = this.#agents.map(async (agent, i) => {
      const component = i + 1
      agent.setRemoteParams({ iceLite: false, usernameFragment: remote.ice.ufrag, password: remote.ice.pwd })
      for (const c of remote.candidates.filter((c) => c.component === component && c.transport === 'udp')) {
        await agent.addRemoteCandidate(new Candidate(c.foundation, 1, 'udp', c.priority, c.address, c.port, c.type))
      }
      await agent.addRemoteCandidate(undefined)
      await agent.connect()
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))
    try {
      await Promise.race([Promise.all(checks), timeout])
    } catch {
      throw new BridgeFault('IceFailed', 'No network path to the other side\'s media was found (ICE connectivity checks failed).')
    } finally {
      clearTimeout(timer)
    }
    for (const agent of this.#agents) agent.stateChanged.subscribe((state) => this.#lost(state))
  }

  /** After ICE: the peer stopped answering (consent expired, RFC 7675) or the agent failed: the leg is down. */
  #lost(state: string): void {
    if (this.#closed || (state !== 'failed' && state !== 'closed')) return
    this.#closed = true
    this.events.fault(new BridgeFault('IceFailed', 'The network path to the other side\'s media was lost (it stopped answering connectivity checks).'))
  }

  /**
   * The pair ICE selected per component (RFC 5245 9.1.2.2: what the re-offer after ICE names), component 1 first;
   * [] until start() resolved, or when a component has none nominated.
   */
  selectedPairs(): SelectedPair[] {
    const pairs = this.#agents.map((agent, i) => {
      const n = agent.nominated
      return n && { component: i + 1, local: { address: n.localCandidate.host, port: n.localCandidate.port }, remote: { address: n.remoteCandidate.host, port: n.remoteCandidate.port } }
    })
    return pairs.every(Boolean) ? (pairs as SelectedPair[]) : []
  }

  /** Protects and sends one RTP packet on component 1. */
  sendRtp(packet: Buffer): void {
    if (!this.#srtp || this.#closed) return
    void this.#agents[0]!.send(this.#srtp.protectRtp(packet)).catch(() => undefined)
  }

  /** Protects and sends one RTCP packet on component 2 (component 1 when muxed). */
  sendRtcp(packet: Buffer): void {
    if (!this.#srtp || this.#closed) return
    const agent = this.#mux ? this.#agents[0]! : (this.#agents[1] ?? this.#agents[0]!)
    void agent.send(this.#srtp.protectRtcp(packet)).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#agents.map((a) => a.close().catch(() => undefined)))
  }

  #receive(data: Buffer, component: number): void {
    if (!this.#srtp || this.#closed || data.length < 12) return
    // RFC 5761 4: with mux, payload types 64-95 (RTCP packet types 192-223) are RTCP
    const isRtcp = component === 2 || (data[1]! >= 192 && data[1]! <= 223)
    try {
      const plain = isRtcp ? this.#srtp.unprotectRtcp(data) : this.#srtp.unprotectRtp(data)
      this.#authFailures = 0
      this.#authenticated = true
      if (isRtcp) this.events.rtcp(plain)
      else this.events.rtp(plain)
    } catch (e) {
      if (!(e instanceof BridgeFault)) throw e
      if (!this.#authenticated && ++this.#authFailures === authFailuresToFault) this.events.fault(e)
    }
  }
}

/** ICE-chars (RFC 5245 15.1) from the OS's random source. */
function randomToken(length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (b) => chars[b % 64]).join('')
}
