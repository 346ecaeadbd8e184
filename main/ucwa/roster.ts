// Who is in a call and how: participant, participantAudio and participantVideo events (participant_ref.md,
// participantAudio_ref.md, participantVideo_ref.md), and my own mute on the conference server (muteAudio_ref.md).
import type { Participant, ParticipantMedia, Person } from '../../preload/contract'
import type { UcwaEvent } from './events'
import type { UcwaHttp } from './http'
import { isTyping } from './messaging'
import { link, prop, type Resource } from './resource'

export type MediaKind = 'audio' | 'video'
export type { Participant, ParticipantMedia, Person } from '../../preload/contract'

type MediaOf = Pick<Participant, MediaKind | 'audioSource' | 'videoSource'>

const Kind = { audio: 'Audio', video: 'Video' } as const

interface Self {
  muted: boolean
  /** the mute or unmute link the server offers now (hrefs are followed, never built) */
  toggle?: string
}

export class Roster {
  readonly #people = new Map<string, Person>()
  readonly #media = new Map<string, MediaOf>()
  /** participantAudio/Video href → whose and which, so a deleted event (no body) finds its participant */
  readonly #mediaOf = new Map<string, { participant: string; kind: MediaKind }>()
  readonly #self: Partial<Record<MediaKind, Self>> = {}
  readonly #want: Record<MediaKind, boolean> = { audio: false, video: false }
  readonly #sending = new Set<MediaKind>()
  /** the mute state I sent the server and whose update has not come yet: a muted update I did not ask for is a leader's */
  readonly #awaiting: Partial<Record<MediaKind, boolean>> = {}
  localHref?: string

  constructor(
    private readonly http: Pick<UcwaHttp, 'get' | 'post'>,
    private readonly changed: () => void,
  ) {}

  /**
   * A new audio/video call in this conversation (a chat's, call/conversations.ts): the members stay, their media and
   * mine are the new call's (`muted`: what the person asked for before the call joined the conversation).
   */
  newAudioVideo(muted: Record<MediaKind, boolean>): void {
    this.#media.clear()
    this.#mediaOf.clear()
    for (const kind of ['audio', 'video'] as const) {
      delete this.#self[kind]
      delete this.#awaiting[kind]
    }
    Object.assign(this.#want, muted)
  }

  /** What I asked for: the renderer mutes its tracks itself; the server is told in a conference. */
  get muted(): Record<MediaKind, boolean> {
    return { ...this.#want }
  }

  /** the events a roster follows, all sent by the call's conversation */
  static readonly rels: ReadonlySet<string> = new Set(['participant', 'localParticipant', 'participantAudio', 'participantVideo'])

  /** the rels whose resource the roster reads (localParticipant: its href is enough) */
  static readonly reads: readonly string[] = ['participant', 'participantAudio', 'participantVideo']

  /** One of `Roster.rels`; a resource the event only linked was read by the client (event-resources.ts). */
  async onEvent(e: UcwaEvent): Promise<void> {
    // someone typing (typingParticipants_ref.md) is a participant event too: the messaging modality's, not a member
    if (isTyping(e, undefined)) return
    if (e.link.rel === 'participant' || e.link.rel === 'localParticipant') this.#onParticipant(e)
    else await this.#onMedia(e)
  }

  list(): Participant[] {
    return [...this.#people.entries()].map(([href, p]) => ({ ...p, ...this.#media.get(href) }))
  }

  #onParticipant(e: UcwaEvent): void {
    if (e.link.rel === 'localParticipant') {
      this.localHref = e.link.href
      return
    }
    if (e.type === 'deleted') {
      this.#people.delete(e.link.href)
      this.#media.delete(e.link.href)
    } else if (e.embedded) this.#person(e.embedded)
    this.changed()
  }

  /** The participants collection's members (participants-read.ts: a conference whose members came before the call). */
  fill(participants: readonly Resource[]): void {
    for (const p of participants) this.#person(p)
    this.changed()
  }

  async #onMedia(e: UcwaEvent): Promise<void> {
    const kind: MediaKind = e.link.rel === 'participantAudio' ? 'audio' : 'video'
    if (e.type === 'deleted') {
      const of = this.#mediaOf.get(e.link.href)
      this.#mediaOf.delete(e.link.href)
      if (of) this.#set(of.participant, kind, 'off')
      return
    }
    const res = e.embedded
    const participant = link(res, 'participant')
    if (!participant) return
    this.#mediaOf.set(e.link.href, { participant, kind })
    const muted = prop<boolean>(res, `${kind}Muted`) === true
    if (participant === this.localHref) {
      this.#self[kind] = { muted, toggle: link(res, muted ? `unmute${Kind[kind]}` : `mute${Kind[kind]}`) }
      // muted, and not the echo of my own mute: a leader muted me (muteAudio_ref.md, an online meeting); I stay muted
      if (this.#awaiting[kind] === muted) delete this.#awaiting[kind]
      else if (muted && !this.#want[kind]) {
        this.#want[kind] = true
        return this.changed()
      }
      return this.#reconcile(kind)
    }
    // a string of digits (participantVideo_ref.md); anything else names no source we could match
    const id = Number(prop<string>(res, `${kind}SourceId`))
    const source = Number.isInteger(id) && id > 0 && id <= 0xffffffff ? id : undefined
    this.#set(participant, kind, muted ? 'muted' : prop(res, `${kind}Direction`) === 'Inactive' ? 'off' : 'on', source)
  }

  /** Mute or unmute me; in a conference the server is told through the link it offers. */
  async want(kind: MediaKind, muted: boolean): Promise<void> {
    if (this.#want[kind] === muted) return
    this.#want[kind] = muted
    this.changed()
    await this.#reconcile(kind)
  }

  async #reconcile(kind: MediaKind): Promise<void> {
    const self = this.#self[kind]
    if (!self?.toggle || self.muted === this.#want[kind] || this.#sending.has(kind)) return
    this.#sending.add(kind)
    this.#awaiting[kind] = this.#want[kind]
    try {
      await this.http.post(self.toggle)
      self.toggle = undefined // the server's updated event brings the new state and the opposite link
    } catch (e) {
      // refused (403: a leader's audience mute lock keeps me muted): I am as the server says, and I am told why
      delete this.#awaiting[kind]
      if (this.#self[kind] === self) {
        this.#want[kind] = self.muted
        this.changed()
      }
      throw e
    } finally {
      this.#sending.delete(kind)
    }
    // that event came while we posted: the person may have changed their mind since
    if (this.#self[kind] !== self) await this.#reconcile(kind)
  }

  #person(res: Resource): void {
    if (res.href === this.localHref || prop<boolean>(res, 'local') === true) return
    // an online meeting's lobby (participant_ref.md inLobby; JSON true, XML "true"): waiting, not in the call
    if (String(prop(res, 'inLobby')).toLowerCase() === 'true') return void this.#people.delete(res.href)
    this.#people.set(res.href, { name: prop(res, 'name') ?? '', uri: prop(res, 'uri') ?? '' })
  }

  #set(participant: string, kind: MediaKind, state: ParticipantMedia, source?: number): void {
    this.#media.set(participant, { ...this.#media.get(participant), [kind]: state, [`${kind}Source`]: source })
    this.changed()
  }
}
