// A signed-in UCWA client hosting messaging modalities the way a Conversation will: incoming invitations become a
// Messaging, and each event goes to the modality that owns it. For integration tests against the simulator.
import { randomUUID } from 'node:crypto'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import type { Format } from '../../main/ucwa/http'
import { Messaging } from '../../main/ucwa/messaging'
import type { Simulator } from '../simulator/index'

export type ChatUser = Awaited<ReturnType<typeof chatUser>>

export async function chatUser(sim: Simulator, name: string, cleanup: Array<() => Promise<unknown>>, given?: UcwaClient, format?: Format) {
  const client = given ?? new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), format, channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const chats: Messaging[] = []
  let me = given?.me ? { name: given.me.name, uri: given.me.uri } : { name, uri: `sip:${name}@contoso.test` }
  const host = { http: client.http, communicationLink: (rel: string) => client.communicationLink(rel) }
  const log: string[] = []
  const options = () => ({ me, changed: () => {}, log: (line: string) => log.push(line) })
  client.eventResources.read(Messaging.reads)
  client.on('events', async (events) => {
    for (const e of events) {
      if (Messaging.isInvitation(e) && e.embedded) chats.push(await Messaging.invited(host, e.embedded, options()))
      else for (const m of chats) if (m.owns(e)) await m.onEvent(e)
    }
  })
  if (!given) {
    const signedIn = await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
    me = { name: signedIn.name, uri: signedIn.uri }
    cleanup.push(() => client.signOut())
  }
  /** a new outgoing chat (start or add it) */
  const chat = () => {
    const m = new Messaging(host, options())
    chats.push(m)
    return m
  }
  return { client, chats, chat, log, invited: () => chats.filter((m) => m.snapshot().from) }
}
