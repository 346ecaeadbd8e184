// Messages in a conference are everyone's: a member joins the conference's IM as soon as another member uses it, as a
// Skype for Business client does. The pool tells who uses it with participantMessaging Added, sent by the conversation
// with the participant as `in` (participantMessaging_ref.md; samples in SendAnIM.md and ReceiveAnIM.md), also to a
// member that joins a conference whose IM is already going.
import type { CallEngine } from './calls'
import type { UcwaEvent } from './events'

type Calls = Pick<CallEngine, 'callIn' | 'conversationOf'>

/**
 * The live conference call whose IM to join (addMessaging_ref.md) on this event, if any: a remote participant now
 * uses messaging in a conference conversation of ours. `known(href)`: the conversation has (or had) a chat here, one
 * being added included; then nothing is joined again (a chat the person closed stays closed).
 */
export function conferenceChatToJoin(e: UcwaEvent, calls: Calls, known: (conversationHref: string) => boolean): string | undefined {
  if (e.link.rel !== 'participantMessaging' || e.type !== 'added') return undefined
  const callId = calls.callIn(e.sender.href)
  if (!callId) return undefined
  const conversation = calls.conversationOf(callId)
  if (!conversation.conferenced || !conversation.href || known(conversation.href)) return undefined
  const participant = e.in?.href ?? e.link.href.replace(/\/messaging$/, '')
  if (e.in?.rel === 'localParticipant' || participant === conversation.roster.localHref) return undefined
  return callId
}
