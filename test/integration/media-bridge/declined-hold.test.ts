// A hold the far side declines on a bridged call (RFC 3264 8: a declined re-offer leaves the session as it was): the
// bridge's SfB description keeps the directions last agreed, so what it writes next does not carry the declined hold.
import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createCore } from '../../../main/core/core'
import { parseMediaBody, toDataUrl } from '../../../main/media-bridge/body'
import { MemoryTokenStore } from '../../../main/credentials/token-store'
import { UcwaClient } from '../../../main/ucwa/client'
import type { CallSnapshot } from '../../../preload/contract'
import { SfbEndpoint } from '../../simulator/sfb/endpoint'
import { startSimulator, type Simulator } from '../../simulator/index'
import { closeAfterEach } from '../../support/close-after-each'
import { ok } from '../../support/dispatch-result'
import { coreRenderer } from './core-renderer'

let sim: Simulator
const cleanup: (() => Promise<unknown>)[] = []
closeAfterEach(cleanup, () => sim)

describe('a declined hold on a bridged call', () => {
  it('Bob declines Alice\'s hold: the call shows not held, and Bob\'s next re-offer with no change is answered sendrecv without renegotiating the renderer', { timeout: 60_000 }, async () => {
    sim = await startSimulator({ port: 0, media: 'sfb2015' })
    const core = await createCore({ host: 'browser', version: '1.2.3', tokenStore: new MemoryTokenStore(), settingsFile: null, clockIntervalMs: 60_000, log: () => {}, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
    const renderer = coreRenderer(core)
    cleanup.push(() => core.close(), () => renderer.close())
    await ok(core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }))
    const calls = async () => (await ok(core.dispatch('calls.list', undefined))) as CallSnapshot[]
    // Bob, an SfB 2015 client, calls Alice
    const endpoint = new SfbEndpoint()
    cleanup.push(() => endpoint.close())
    const offer = await endpoint.offer()
    const bob = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
    cleanup.push(() => bob.signOut())
    await bob.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
    await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
    await expect.poll(async () => (await calls())[0]?.state, { timeout: 20_000 }).toBe('ringing')
    const callId = (await calls())[0]!.id
    await ok(core.dispatch('calls.accept', { callId }))
    await expect.poll(async () => (await calls())[0]?.state, { timeout: 20_000 }).toBe('connected')
    const world = sim.control.world
    const bobApp = world.apps.get(sim.control.applications('bob@contoso.test')[0]!.id)!
    const pending = () => [...world.calls.renegotiations.values()].find((r) => r.state === 'Pending')

    await ok(core.dispatch('calls.change', { callId, change: 'hold' }))
    await expect.poll(() => pending(), { timeout: 20_000 }).toBeTruthy()
    world.calls.answerRenegotiation(bobApp, pending()!, null)
    await expect.poll(async () => (await calls())[0]?.notice, { timeout: 20_000 }).toMatch(/could not take that change/)
    expect((await calls())[0]?.held).toBe(false)
    expect(renderer.rolledBack).toEqual([callId]) // the renderer is told to take its hold offer back (and unhold its connection)

    // Bob re-offers what was agreed (sendrecv): nothing changes, so the renderer is not asked and the re-answer is sendrecv
    const seen = renderer.seen.length
    const ice19 = parseMediaBody(offer.body, offer.contentType).parts.at(-1)!.sdp
    const same = world.calls.renegotiate(bobApp, [...bobApp.conversations.values()].at(-1)!, ice19, 'bob-same')
    await expect.poll(() => same.state, { timeout: 20_000 }).toBe('Answered')
    expect(same.answer).not.toMatch(/^a=(inactive|sendonly|recvonly)\r$/m)
    expect(renderer.seen.length).toBe(seen)
  })
})
