// A signed-in UCWA client with a call engine and werift media, for integration tests against the simulator.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine, type CallEngineOptions, type CallSnapshot } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import type { Simulator } from '../simulator/index'
import { WeriftMedia } from './werift-media'

export type EngineUser = Awaited<ReturnType<typeof engineUser>>

export async function engineUser(sim: Simulator, name: string, cleanup: Array<() => Promise<unknown>>, options: CallEngineOptions = {}) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(name)
  const engine = new CallEngine(client, media, options)
  const seen: CallSnapshot[] = []
  engine.onChange((s) => seen.push(s))
  await client.signIn({ sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: sim.url })
  cleanup.push(() => client.signOut(), () => media.closeAll())
  const last = (pred: (s: CallSnapshot) => boolean = () => true) => [...seen].reverse().find(pred)
  return { client, media, engine, seen, last }
}

/** the newest incoming call still ringing */
export const ringing = (u: EngineUser) => u.last((s) => s.direction === 'incoming' && s.state === 'ringing')

/** caller calls callee and it rings there; returns both call ids */
export async function ringingCall(caller: EngineUser, callee: EngineUser, to: string): Promise<{ callId: string; calleeCallId: string }> {
  const call = await caller.engine.start(to)
  await expect.poll(() => ringing(callee)).toBeTruthy()
  return { callId: call.id, calleeCallId: ringing(callee)!.id }
}

/** caller calls callee, who answers: both sides connected; returns both call ids */
export async function connectedCall(caller: EngineUser, callee: EngineUser, to: string): Promise<{ callId: string; calleeCallId: string }> {
  const ids = await ringingCall(caller, callee, to)
  await callee.engine.accept(ids.calleeCallId)
  await expect.poll(() => caller.engine.get(ids.callId)?.state).toBe('connected')
  return ids
}
