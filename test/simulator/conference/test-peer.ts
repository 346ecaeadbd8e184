// A werift participant for Node tests and simulated users: sends tagged RTP, counts what arrives by sender.
import { RtpHeader, RtpPacket, type RTCPeerConnection, type RTCRtpTransceiver } from 'werift'
import { answerOffer, connected, createFullOffer, loopbackPeer } from './media-peer'

export class TestPeer {
  readonly pc: RTCPeerConnection
  /** packets received, by the tag of the member that sent them and kind */
  readonly received = new Map<string, { audio: number; video: number }>()
  /** the CSRC (the unit's source id) last seen on packets from each sender, by kind */
  readonly sourceOf = new Map<string, Partial<Record<'audio' | 'video', number>>>()
  #timer: NodeJS.Timeout | null = null
  /** packets sent on each main section */
  readonly sent = { audio: 0, video: 0 }
  readonly #bySlot = new Map<string, number>()
  #seq = 0

  constructor(readonly tag: string) {
    this.pc = loopbackPeer()
    this.pc.onTransceiverAdded.subscribe((t) => this.#listen(t))
  }

  /** An offer with audio and video sendrecv and `extraSlots` receive-only pairs (as Parley offers). */
  async offer(extraSlots = 3): Promise<string> {
    this.pc.addTransceiver('audio', { direction: 'sendrecv' })
    this.pc.addTransceiver('video', { direction: 'sendrecv' })
    for (let i = 0; i < extraSlots; i++) {
      this.pc.addTransceiver('audio', { direction: 'recvonly' })
      this.pc.addTransceiver('video', { direction: 'recvonly' })
    }
    return createFullOffer(this.pc)
  }

  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer })
  }

  async answer(offer: string): Promise<string> {
    return answerOffer(this.pc, offer, (ts) => ts.forEach((t, i) => t.setDirection(i < 2 ? 'sendrecv' : 'recvonly')))
  }

  connected(): Promise<void> {
    return connected(this.pc)
  }

  /** Sends a tagged packet on the main audio and video sections every 20 ms. */
  startSending(): void {
    const [audio, video] = this.pc.getTransceivers().filter((t) => t.direction === 'sendrecv')
    this.#timer = setInterval(() => {
      const seq = this.#seq++ & 0xffff
      const payload = Buffer.from(`from:${this.tag}`)
      this.sent.audio++
      this.sent.video++
      void audio?.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc: 1 }), payload)).catch(() => {})
      void video?.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 4500, ssrc: 2 }), payload)).catch(() => {})
    }, 20)
  }

  /** packets received on the n-th section of a kind (0 = main, 1 = first extra slot, …) */
  slotCount(n: number, kind: 'audio' | 'video'): number {
    return this.#bySlot.get(`${kind}:${n}`) ?? 0
  }

  stopSending(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  count(from: string, kind: 'audio' | 'video'): number {
    return this.received.get(from)?.[kind] ?? 0
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    await this.pc.close()
  }

  #listen(t: RTCRtpTransceiver): void {
    t.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((packet) => {
        const slot = `${t.kind}:${this.pc.getTransceivers().filter((x) => x.kind === t.kind).indexOf(t)}`
        this.#bySlot.set(slot, (this.#bySlot.get(slot) ?? 0) + 1)
        const text = packet.payload.toString()
        const from = text.startsWith('from:') ? text.slice(5) : '?'
        const c = this.received.get(from) ?? { audio: 0, video: 0 }
        c[t.kind as 'audio' | 'video']++
        this.received.set(from, c)
        this.sourceOf.set(from, { ...this.sourceOf.get(from), [t.kind]: packet.header.csrc[0] })
      }),
    )
  }
}
