// One registered application (application_ref.md): its user, its event channel and its view of conversations.
import type { Clock } from '../clock'
import type { Res, UcwaEvent } from '../http/resource'
import type { User } from './directory'
import { EventChannel, type Priority } from './event-channel'
import type { Conversation, Invitation, ParticipantInvitation } from './conversation'

export type Availability = 'Online' | 'Busy' | 'DoNotDisturb' | 'BeRightBack' | 'Away' | 'Offwork' | 'Offline'

export const APPS_ROOT = '/ucwa/oauth/v1/applications'

/** ended invitations of each kind an application keeps readable (tests read the last calls'); a pool keeps no day's worth (issue #24) */
export const ENDED_INVITATIONS_KEPT = 16

export class Application {
  readonly channel: EventChannel
  readonly conversations = new Map<string, Conversation>()
  readonly invitations = new Map<string, Invitation>()
  readonly participantInvitations = new Map<string, ParticipantInvitation>()
  available = false
  modalities: string[] = []
  /** what the user chose (signInAs or presence POST) */
  chosenAvailability: Availability = 'Online'
  lastActivityAt: number
  lastRequestAt: number
  /** set when the pool dropped transient state for lack of P-GETs; cleared by the next P-GET */
  channelReset = false
  /** minutes without reportMyActivity before the user shows Away */
  inactiveTimeoutMinutes = 5
  /** set for a guest's application (anonApplications): the meeting its grant names */
  guest?: { meetingUri: string }

  constructor(
    readonly id: string,
    readonly user: User,
    readonly pool: string,
    readonly endpointId: string,
    readonly userAgent: string,
    readonly culture: string,
    readonly instanceId: string | undefined,
    private readonly clock: Clock,
  ) {
    this.lastActivityAt = clock.now()
    this.lastRequestAt = clock.now()
    this.channel = new EventChannel(clock, this.href('/events'))
  }

  /** Keeps `inv` readable (GET, answer operations) and forgets the oldest ended ones past ENDED_INVITATIONS_KEPT. */
  addInvitation(inv: Invitation): void {
    this.invitations.set(inv.id, inv)
    this.#forgetEnded(this.invitations)
  }

  /** Keeps `pi` readable and forgets the oldest ended participant invitations past ENDED_INVITATIONS_KEPT. */
  addParticipantInvitation(pi: ParticipantInvitation): void {
    this.participantInvitations.set(pi.id, pi)
    this.#forgetEnded(this.participantInvitations)
  }

  /** ended: no longer ringing, and its conversation gone from this application (a live call's invitation stays) */
  #forgetEnded(map: Map<string, Invitation | ParticipantInvitation>): void {
    const ended = [...map.values()].filter((i) => i.state !== 'Connecting' && i.state !== 'Alerting' && this.conversations.get(i.conversation.id) !== i.conversation)
    for (const i of ended.slice(0, Math.max(0, ended.length - ENDED_INVITATIONS_KEPT))) map.delete(i.id)
  }

  href(path = ''): string {
    return `${APPS_ROOT}/${this.id}${path}`
  }

  get endpointUri(): string {
    return `${this.user.uri};opaque=user:epid:${this.endpointId};gruu`
  }

  get inCall(): boolean {
    return [...this.conversations.values()].some((c) => c.audioVideo.state === 'Connected')
  }

  get acceptsAudioVideo(): boolean {
    return this.available && this.modalities.some((m) => /^(audio|video)$/i.test(m))
  }

  /** What others see: the choice, Busy in a call, Away after inactivity. */
  get availability(): Availability {
    if (!this.available) return 'Offline'
    if (this.chosenAvailability !== 'Online') return this.chosenAvailability
    if (this.inCall) return 'Busy'
    if (this.clock.now() - this.lastActivityAt > this.inactiveTimeoutMinutes * 60_000) return 'Away'
    return 'Online'
  }

  /** the world listens: what an application is told may change what others see of its user */
  onEmit: (() => void) | null = null

  /** the world's record of every event sent (tests compare it with the reference pages and with what clients got) */
  onEvent: ((sender: { rel: string; href: string }, event: UcwaEvent, priority: Priority) => void) | null = null

  emit(sender: { rel: string; href: string }, event: UcwaEvent, priority: Priority = 'high'): void {
    this.onEvent?.(sender, event, priority)
    this.channel.enqueue(sender, event, priority)
    this.onEmit?.()
  }

  /** Shorthand for the common case: an event about a resource, with the resource embedded. */
  emitResource(sender: { rel: string; href: string }, type: UcwaEvent['type'], res: Res, extra: Partial<UcwaEvent> = {}, priority: Priority = 'high'): void {
    this.emit(sender, { type, link: { rel: res.rel, href: res.href }, embedded: type === 'deleted' ? undefined : res, ...extra }, priority)
  }

  communicationSender(): { rel: string; href: string } {
    return { rel: 'communication', href: this.href('/communication') }
  }
}
