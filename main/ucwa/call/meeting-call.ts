// Audio and video in an online meeting we were let into (addAudioVideo_ref.md): a call of the engine's book whose
// conversation is the meeting's, whose media is the conference connection (the escalation's: one offer with receive
// slots, answered by the conference's audioVideoNegotiation), and whose roster is the meeting's.
import type { CallSnapshot } from '../../../preload/contract'
import { UcwaError } from '../errors'
import { describe } from '../log'
import { link } from '../resource'
import { snapshot, type Call } from './call'
import type { CallContext } from './context'
import { outgoingInvitation } from './invitation'
import { learnInvitation } from './learn'
import { follow } from './links'
import { encodeData } from './sdp'

export interface MeetingMediaRequest {
  /** the meeting's conversation (onlineMeetingInvitation's conversation link) */
  conversationHref: string
  /** the conference URI: who the call is with */
  onlineMeetingUri: string
  /** the meeting's subject ('' for Meet now): the call's title */
  subject: string
  /** told the call's id once it is in the book, before its media is asked for */
  added?: (callId: string) => void
}

/**
 * Joins the meeting's audio and video: a call in the book (state preparing → calling → conference), the roster read
 * from the conversation's participants, our conference offer POSTed to the conversation's audioVideo addAudioVideo
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
    void fillRoster(ctx, call, r.conversationHref)
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

/** The members admitted before the call existed (their events came while we joined): the participants collection. */
async function fillRoster(ctx: CallContext, call: Call, conversationHref: string): Promise<void> {
  try {
    const conv = await ctx.client.http.get(conversationHref)
    const roster = call.conversation.roster
    roster.localHref = link(conv, 'localParticipant') ?? roster.localHref
    const participants = link(conv, 'participants')
    if (participants) roster.fill(await ctx.client.http.get(participants))
  } catch (e) {
    ctx.log(`call ${call.id}: the meeting's participants could not be read: ${describe(e)}`)
  }
}
