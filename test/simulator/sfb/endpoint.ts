// A simulated Skype for Business 2015 endpoint on loopback: multipart SfB offer (ICE 6 + ICE 19 parts), SDES-SRTP, RTCP on its own port, real PCMU.
import { randomBytes } from 'node:crypto'
import { RtpHeader, RtpPacket } from 'werift'
import { writeMultipartAlternative } from '../../../main/media-bridge/body'
import type { SfbLegSection } from '../../../main/media-bridge/leg'
import { PoolLeg, type PoolLegLocal } from '../../../main/media-bridge/pool-leg'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { writeSfbSdp } from '../../../main/media-bridge/sfb-write'
import type { BridgeFault } from '../../../main/media-bridge/fault'
import { mulawRms, mulawTone } from './g711'

/** What the endpoint got: every RTP packet's payload type, SSRC and payload, decrypted. */
export interface ReceivedRtp {
  payloadType: number
  ssrc: number
  payload: Buffer
}

/**
 * An SfB client's audio side built from the bridge's own pool-leg pieces. It offers audio with G.722 (9)
 * and PCMU (0), SfB's order, `a=x-ssrc-range` 1 wide, RTCP on component 2 (no mux), as a multipart
 * body whose ICE-6 part is the fallback and the ICE-19 part last ([MS-SIPRE] 3.15.4.1; ../shared/sfb-sdp).
 * It sends a 440 Hz PCMU tone and keeps what it decrypts.
 */
export class SfbEndpoint {
  readonly received: ReceivedRtp[] = []
  readonly rtcpReceived: Buffer[] = []
  readonly faults: BridgeFault[] = []
  readonly ssrc = 0x5fb00000 + Math.floor(Math.random() * 0xffff)
  #leg: PoolLeg
  #local: PoolLegLocal | null = null
  #key: SdesKey = newSdesKey(1)
  #timer: NodeJS.Timeout | null = null

  constructor(readonly host = '127.0.0.1') {
    this.#leg = new PoolLeg(host, {
      rtp: (p) => {
        const packet = RtpPacket.deSerialize(p)
        this.received.push({ payloadType: packet.header.payloadType, ssrc: packet.header.ssrc, payload: packet.payload })
      },
      rtcp: (p) => this.rtcpReceived.push(p),
      fault: (f) => this.faults.push(f),
    })
  }

  /** The offer a UCWA client receives in an invitation: Content-Type and multipart body. */
  async offer(): Promise<{ contentType: string; body: string }> {
    this.#local = await this.#leg.open({ mux: false, controlling: true })
    const section: SfbLegSection = { kind: 'audio', codecs: ['G722', 'PCMU'], ssrcs: { first: this.ssrc, last: this.ssrc }, ice: this.#local.ice, candidates: this.#local.candidates, rtcpMux: false, key: this.#key }
    const ice19 = writeSfbSdp({ sections: [section] }).sdp
    return writeMultipartAlternative(
      [
        { contentId: '<ice6@sfb.test>', fallback: true, sdp: ice6Part(ice19, this.#local) },
        { contentId: '<ice19@sfb.test>', fallback: false, sdp: ice19 },
      ],
      'sfb-endpoint-boundary',
    )
  }

  /** Takes the other side's SfB answer and runs ICE as the controlling agent; `wrongKeys` sends with / receives with other keys than the SDP says (fault tests). */
  async answered(sdp: string, wrongKeys: { send?: SdesKey; receive?: SdesKey } = {}): Promise<void> {
    const s = readSfbSdp(sdp).sections.find((x) => x.kind === 'audio' && x.port !== 0)
    if (!s || !s.iceUfrag || !s.icePwd || !s.keys[0]) throw new Error('the answer has no usable audio section')
    await this.#leg.start({ ice: { ufrag: s.iceUfrag, pwd: s.icePwd }, candidates: s.candidates, rtcpMux: s.rtcpMux }, { send: wrongKeys.send ?? this.#key, receive: wrongKeys.receive ?? s.keys[0] })
  }

  /** Sends a 440 Hz tone as PCMU, 20 ms (160 samples) per packet, until stop(). */
  sendTone(hz = 440): void {
    let seq = Math.floor(Math.random() * 0xffff)
    let ts = Math.floor(Math.random() * 0xffffffff)
    let sample = 0
    this.#timer = setInterval(() => {
      const header = new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: seq, timestamp: ts, ssrc: this.ssrc, marker: sample === 0 })
      this.#leg.sendRtp(new RtpPacket(header, mulawTone(hz, sample, 160)).serialize())
      seq = (seq + 1) & 0xffff
      ts = (ts + 160) >>> 0
      sample += 160
    }, 20)
  }

  /** RMS (0..32767) of the PCMU received so far: a tone through the bridge is far above 0. */
  receivedEnergy(): number {
    return mulawRms(Buffer.concat(this.received.filter((r) => r.payloadType === 0).map((r) => r.payload)))
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    await this.#leg.close()
  }
}

/** The OCS 2007 fallback part: the same section with ICE 6 candidates (`<user> <component> <password> UDP <q> <address> <port>`) and no ice-ufrag/pwd. */
function ice6Part(ice19: string, local: PoolLegLocal): string {
  // ../shared/sfb-media.md: 32-byte username and 16-byte password, base64 without padding (43 and 22 characters)
  const user = randomBytes(32).toString('base64').slice(0, 43)
  const pass = randomBytes(16).toString('base64').slice(0, 22)
  const lines = ice19.split('\r\n').filter((l) => l && !/^a=(candidate|ice-ufrag|ice-pwd|x-candidate-ipv6):/.test(l))
  const candidates = local.candidates.map((c) => `a=candidate:${user} ${c.component} ${pass} UDP 0.830 ${c.address} ${c.port}`)
  return [...lines, ...candidates, ''].join('\r\n')
}
