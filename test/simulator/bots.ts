// Simulated people who answer calls by themselves, as in-process UCWA clients with werift media:
// "echo" answers P2P calls and sends your own media back; "answer" also joins conferences it is invited to.
// Chats: "echo" accepts and sends each text back as it came; "answer" (Erin) accepts and replies once.
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift'
import { answerOffer, loopbackPeer } from './conference/media-peer'
import type { EventsBody } from './http/resource'
import type { Application } from './pool/application'
import type { User } from './pool/directory'
import type { World } from './pool/world'
import type { Invitation } from './pool/conversation'
import { SfbAnswerer } from './sfb/answerer'
import { webrtcPart } from './sfb/dialect'
import { MediaRefusal } from '../../main/media-bridge/refusal'

export type BotKind = 'echo' | 'answer'

export class Bot {
  readonly #peers = new Map<string, RTCPeerConnection>()
  readonly #sfbPeers = new Map<string, SfbAnswerer>()
  #stopped = false
  app: Application | null = null

  constructor(
    private readonly world: World,
    private readonly user: User,
    readonly kind: BotKind,
  ) {}

  /** The SfB client's side of a call in `conversationId` (sfb2015 pool), for tests: what its answerer got (SfbAnswerer.reoffers). */
  sfbPeer(conversationId: string): SfbAnswerer | undefined {
    return this.#sfbPeers.get(conversationId)
  }

  start(): void {
    const { app } = this.world.createApplication(this.user, this.user.pool, { userAgent: 'ParleySimulatorBot/1.0', endpointId: `bot-${this.user.key}`, culture: 'en-US' })
    app.available = true
    app.modalities = ['Audio', 'Video', 'Messaging']
    this.app = app
    void this.#loop(app, 1)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await Promise.all([...this.#peers.values()].map((pc) => pc.close()))
    await Promise.all([...this.#sfbPeers.values()].map((p) => p.close()))
  }

  /** The same event channel a remote client reads, read in process. */
  async #loop(app: Application, ack: number): Promise<void> {
    while (!this.#stopped && this.world.apps.get(app.id) === app) {
      let body: EventsBody
      try {
        body = await app.channel.pget({ ack, onAbort: () => {} })
      } catch {
        break
      }
      const next = body.next ?? body.resume ?? body.resync
      ack = Number(new URL(next!, 'http://x').searchParams.get('ack'))
      for (const sender of body.senders) for (const e of sender.events) this.#on(app, e.type, e.link.rel, e.link.href)
    }
    // the pool lost the application (expired, restarted): sign in again, as any client would
    if (!this.#stopped) setTimeout(() => !this.#stopped && this.start(), 100).unref()
  }

  #on(app: Application, type: string, rel: string, href: string): void {
    const id = href.split('/').at(-1)!
    if (rel === 'messagingInvitation' || rel === 'message') return this.#onChat(app, type, rel, href)
    if (rel === 'audioVideoInvitation' && type === 'started') {
      const inv = app.invitations.get(id)
      if (!inv || inv.direction !== 'Incoming') return
      if (inv.handlers && this.kind !== 'answer') return inv.handlers.decline('Local') // echo stays P2P
      // an SfB 2015 pool's people are SfB clients: a P2P offer is answered in that dialect (conferences: see conference/sfb-admission.ts)
      if (this.world.media === 'sfb2015' && !inv.handlers) return void this.#answerSfb(app, inv)
      const offer = webrtcPart({ contentType: inv.mediaOfferType ?? 'application/sdp', body: inv.mediaOffer })
      void this.#answer(app, inv.conversation.id, offer.sdp).then((sdp) => {
        if (inv.handlers) inv.handlers.accept(sdp, `bot-${id}`)
        else this.world.calls.accept(app, inv, sdp, `bot-${id}`, offer.processedOfferId)
      }).catch(() => this.#decline(app, inv, /^a=fingerprint:/m.test(offer.sdp) ? 'UnsupportedMedia' : 'EncryptionMismatch'))
    }
    // an SfB client answers the other side's hold, resume or camera change on its own (RFC 3264 6.1 directions)
    if (rel === 'audioVideoRenegotiation' && type === 'started') {
      const r = this.world.calls.renegotiations.get(id)
      const view = r?.views.find((v) => v.app === app && v.direction === 'Incoming')
      const answerer = view && this.#sfbPeers.get(view.conversation.id)
      if (!r || !answerer) return
      const reanswer = answerer.reanswer(r.offer)
      // a re-offer naming the wrong pair is dismissed with its reason (dismiss_ref.md), as routes/communication.ts records it
      if ('dismissReason' in reanswer) r.dismissReason = reanswer.dismissReason
      this.world.calls.answerRenegotiation(app, r, 'sdp' in reanswer ? reanswer.sdp : null)
      return
    }
    if (rel === 'conversation' && type === 'deleted') {
      void this.#peers.get(id)?.close()
      this.#peers.delete(id)
      void this.#sfbPeers.get(id)?.close()
      this.#sfbPeers.delete(id)
    }
  }

  /**
   * As an SfB client: the answer names the part it took (processedOfferId, acceptWithAnswer_ref.md) and echoes
   * the media; an offer it cannot take is declined with the reason an SfB client gives (CallDeclineReason_ref.md).
   */
  async #answerSfb(app: Application, inv: Invitation): Promise<void> {
    const answerer = new SfbAnswerer(undefined, this.world.sfbRtcpMux)
    this.#sfbPeers.set(inv.conversation.id, answerer)
    try {
      const { sdp, processedOfferId } = await answerer.answer({ contentType: inv.mediaOfferType ?? 'application/sdp', body: inv.mediaOffer })
      this.world.calls.accept(app, inv, sdp, `bot-${inv.id}`, processedOfferId ?? undefined)
    } catch (e) {
      await answerer.close()
      this.#sfbPeers.delete(inv.conversation.id)
      this.#decline(app, inv, e instanceof MediaRefusal ? e.declineReason : 'Unknown')
    }
  }

  /** An offer this endpoint cannot take: declined with the reason a client gives (CallDeclineReason_ref.md: a WebRTC one with no DTLS offered, EncryptionMismatch). */
  #decline(app: Application, inv: Invitation, reason: string): void {
    if (inv.handlers || (inv.state !== 'Connecting' && inv.state !== 'Alerting')) return // a conference's, or cancelled meanwhile
    try {
      this.world.calls.decline(app, inv, reason)
    } catch {
      // the call ended while we looked at its offer
    }
  }

  readonly #replied = new Set<string>()

  #onChat(app: Application, type: string, rel: string, href: string): void {
    const im = this.world.messaging
    if (rel === 'messagingInvitation' && type === 'started') {
      const inv = im.invitations.get(href.split('/').at(-1)!)?.invitation
      if (!inv || inv.direction !== 'Incoming') return
      im.accept(app, inv)
      if (inv.message) this.#reply(app, inv.conversation.id, inv.message)
      return
    }
    // an incoming message completed: /communication/conversations/{id}/messaging/messages/{id}
    const m = /\/conversations\/([^/]+)\/messaging\/messages\/([^/]+)$/.exec(href)
    const c = m && app.conversations.get(m[1]!)
    const message = c && im.message(c, m[2]!)
    if (c && type === 'completed' && message?.direction === 'Incoming') this.#reply(app, c.id, message.body)
  }

  #reply(app: Application, conversationId: string, body: { type: 'text/plain' | 'text/html'; text: string }): void {
    const c = app.conversations.get(conversationId)
    if (!c || c.messaging?.state !== 'Connected') return
    if (this.kind === 'echo') return void this.world.messaging.send(app, c, { body })
    if (this.#replied.has(c.threadId)) return
    this.#replied.add(c.threadId)
    this.world.messaging.send(app, c, { body: { type: 'text/plain', text: `Hi, this is ${this.user.name}. I got your message.` } })
  }

  /** Answers with every section it can send on, and reflects whatever arrives on each main section. */
  async #answer(app: Application, conversationId: string, offer: string): Promise<string> {
    const pc = loopbackPeer()
    this.#peers.set(conversationId, pc)
    const main = new Set<RTCRtpTransceiver>()
    // subscribe before the offer is applied: tracks appear while it is
    pc.onTransceiverAdded.subscribe((t) =>
      t.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((p) => main.has(t) && void t.sender.sendRtp(p).catch(() => {}))),
    )
    return answerOffer(pc, offer, (ts) => {
      const kinds = new Set<string>()
      for (const t of ts) {
        const first = !kinds.has(t.kind)
        kinds.add(t.kind)
        t.setDirection(first ? 'sendrecv' : 'recvonly')
        if (first) main.add(t)
      }
    })
  }
}
