// A fault in the media worker ends the bridged call with its reason, on this side and at the pool; the process goes on.
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../../main/credentials/token-store'
import { toDataUrl } from '../../../main/media-bridge/body'
import { BridgingAgent } from '../../../main/media-bridge/bridging-agent'
import { MediaWorker } from '../../../main/media-bridge/media-worker-host'
import { CallEngine, type CallSnapshot, type MediaAgent } from '../../../main/ucwa/calls'
import { UcwaClient } from '../../../main/ucwa/client'
import { startSimulator, type Simulator } from '../../simulator/index'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { rendererPeer, until, type RendererPeer } from './renderer-peer'

let sim: Simulator
const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined)
  await sim?.close()
})

/** The renderer as a MediaAgent of werift peers (answers only: this call comes in). */
function peerAgent(peers: Map<string, RendererPeer>): MediaAgent {
  const peer = (id: string) => peers.get(id) ?? (peers.set(id, rendererPeer()), peers.get(id)!)
  return {
    createOffer: () => Promise.reject(new Error('not in this test')),
    createAnswer: (id, offer) => peer(id).answer(offer),
    applyAnswer: () => undefined,
    reoffer: () => Promise.reject(new Error('not in this test')),
    answerReoffer: () => Promise.reject(new Error('not in this test')),
    applyReanswer: () => undefined,
    close: (id) => void peers.get(id)?.close(),
  }
}

async function signedIn(name: string): Promise<UcwaClient> {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  cleanup.push(() => client.signOut())
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  return client
}

it('the media worker dies mid-call: the call ends with MediaFailure (RelayCrashed), the pool hears the hang-up, the engine takes the next call', { timeout: 60_000 }, async () => {
  sim = await startSimulator({ port: 0, media: 'sfb2015' })
  const workers: MediaWorker[] = []
  const peers = new Map<string, RendererPeer>()
  const agent = new BridgingAgent(peerAgent(peers), { worker: () => (workers.push(new MediaWorker()), workers.at(-1)!) })
  cleanup.push(() => agent.stop(), () => Promise.all([...peers.values()].map((p) => p.close())))
  const engine = new CallEngine(await signedIn('alice'), agent)
  const seen: CallSnapshot[] = []
  engine.onChange((s) => seen.push(s))

  const endpoint = new SfbEndpoint()
  cleanup.push(() => endpoint.close())
  const bob = await signedIn('bob')
  const offer = await endpoint.offer()
  await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
  await expect.poll(() => engine.list()[0]?.state, { timeout: 20_000 }).toBe('ringing')
  const callId = engine.list()[0]!.id
  await engine.accept(callId)
  const bobApp = sim.control.world.apps.get(sim.control.applications('bob@contoso.test')[0]!.id)!
  const bobInv = () => [...bobApp.invitations.values()].at(-1)!
  await expect.poll(() => bobInv().negotiation?.answer, { timeout: 20_000 }).toBeTruthy()
  await endpoint.answered(bobInv().negotiation!.answer!)
  endpoint.sendTone(440)
  await until(() => (peers.get(callId)?.received.length ?? 0) >= 10, 'media through the bridge', 20_000)

  await workers[0]!.thread.terminate()
  await expect.poll(() => seen.find((s) => s.id === callId && s.state === 'ended'), { timeout: 20_000 }).toBeTruthy()
  expect(seen.find((s) => s.id === callId && s.state === 'ended')!.endReason).toMatchObject({ code: 'LocalFailure', subcode: 'MediaFailure', message: expect.stringMatching(/^The media bridge stopped \(exit 1\); the call's media has ended\.$/) })
  await expect.poll(() => bobInv().conversation.audioVideo.state, { timeout: 10_000 }).toBe('Disconnected')

  // the next bridged call gets a new worker and carries media
  const again = new SfbEndpoint()
  cleanup.push(() => again.close())
  const second = await again.offer()
  await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(second.contentType, second.body) } } })
  await expect.poll(() => engine.list().find((s) => s.id !== callId && s.state === 'ringing'), { timeout: 20_000 }).toBeTruthy()
  const next = engine.list().find((s) => s.id !== callId)!.id
  await engine.accept(next)
  await expect.poll(() => bobInv().negotiation?.answer, { timeout: 20_000 }).toBeTruthy()
  await again.answered(bobInv().negotiation!.answer!)
  again.sendTone(440)
  await until(() => (peers.get(next)?.received.length ?? 0) >= 10, 'media through the new worker', 20_000)
  expect(workers).toHaveLength(2)
})
