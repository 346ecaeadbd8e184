// Audio and video in an online meeting we were let into (addAudioVideo_ref.md): a call of the engine's book whose
// conversation is the meeting's, whose media is the conference connection (the escalation's: one offer with receive
// slots, answered by the conference's audioVideoNegotiation), and whose roster starts from the meeting's one read.
import type { CallSnapshot } from '../../../preload/contract'
import { UcwaError } from '../errors'
import type { ParticipantsRead } from '../participants-read'
import { snapshot } from './call'
import type { CallContext } from './context'
import { outgoingInvitation } from './invitation'
import { learnInvitation } from './learn'
import { follow, learnLinks } from './links'
import { encodeData } from './sdp'

export interface MeetingMediaRequest {
  /** the meeting's conversation (onlineMeetingInvitation's conversation link) */
  conversationHref: string
  /** the conversation and its members as the meeting read them once it let us in (participants-read.ts) */
  read: ParticipantsRead
  /** the conference URI: who the call is with */
  onlineMeetingUri: string
  /** the meeting's subject ('' for Meet now): the call's title */
  subject: string
  /** told the call's id once it is in the book, before its media is asked for */
  added?: (callId: string) => void
}

/**
 * Joins the meeting's audio and video: a call in the book (state preparing → calling → conference), its roster the
 * members the meeting read (no second read), our conference offer POSTed to the conversation's audioVideo addAudioVideo
 * with operationId and sessionContext. The answer, the completion and the roster's events then go through the
 * engine's handlers like any outgoing call's. Throws the pool's UcwaError (409 when not admitted yet).
 */
export async function joinMeetingMedia(ctx: CallContext, r: MeetingMediaRequest): Promise<CallSnapshot> {
  const { book, client, media } = ctx
  const http = client.http
  const call = book.add({ invitation: outgoingInvitation(), remote: { name: r.subject || 'Meeting', uri: r.onlineMeetingUri }, subject: r.subject, state: 'preparing' }, (c) => {
    c.meeting = true
    c.conversation.conferenced = true
    book.index(c, 'conversation', r.conversationHref)
  })
  r.added?.(call.id)
  try {
    const roster = call.conversation.roster
    roster.localHref = r.read.localHref ?? roster.localHref
    roster.fill(r.read.participants)
    learnLinks(call, r.read.conversation) // its audioVideo link: the conversation is not read again
    const audioVideo = await follow(http, call, r.conversationHref, 'audioVideo')
    book.index(call, 'audioVideo', audioVideo)
    const add = await follow(http, call, audioVideo, 'addAudioVideo')
    const offer = await Promise.race([media.createOffer(call.id, 'escalation'), call.ended])
    if (offer === null || call.machine.state !== 'preparing') return snapshot(call)
    const inv = await http.post(add, { operationId: call.operationId, sessionContext: call.sessionContext, _links: { mediaOffer: { href: encodeData(offer) } } })
    if (inv) learnInvitation(ctx, call, inv)
    if (call.machine.state === 'preparing') book.go(call, 'calling')
    ctx.ops.begin(call.operationId, 'call', call.id)
  } catch (e) {
    book.end(call, e instanceof UcwaError ? e : new UcwaError({ status: 0, code: 'ServiceFailure', message: 'The meeting’s audio and video could not start.' }))
    throw e
  }
  return snapshot(call)
}
