// Who is in a conversation, read once (conversation_ref.md's participants link, participants_ref.md): members announced
// before anything of ours followed its events (a meeting just joined, a conference ringing here, a call escalated).
import type { UcwaHttp } from './http'
import { link, type Resource } from './resource'

export interface ParticipantsRead {
  /** the conversation resource as read (or as given): its links serve the caller's next step */
  conversation: Resource
  /** my own participant's href (conversation_ref.md localParticipant), when offered */
  localHref?: string
  /** the participant resources of the collection (local one included: readers skip it); empty when not read */
  participants: Resource[]
}

/**
 * GETs the conversation (unless given as a resource) and then its participants collection, each once.
 * `wanted` (given the conversation) decides whether the collection is worth reading, e.g. a conference of more than two.
 * @throws UcwaError the pool's refusal of either GET (the caller decides whether names alone were lost)
 */
export async function readParticipants(http: Pick<UcwaHttp, 'get'>, conversation: string | Resource, wanted: (conversation: Resource) => boolean = () => true): Promise<ParticipantsRead> {
  const conv = typeof conversation === 'string' ? await http.get(conversation) : conversation
  const href = link(conv, 'participants')
  const collection = href && wanted(conv) ? await http.get(href) : undefined
  return { conversation: conv, localHref: link(conv, 'localParticipant'), participants: collection?.embedded.participant ?? [] }
}
