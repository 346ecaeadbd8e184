// The conferencing unit alone, werift on both ends: every member gets every other member's media.
import { afterEach, describe, expect, it } from 'vitest'
import { Conference, MediaNegotiationError } from '../conference/mcu'
import { TestPeer } from '../conference/test-peer'

/** the MSIs each member's media is forwarded with, as the pool gives them */
const msi = { alice: { audio: 100, video: 101 }, bob: { audio: 200, video: 201 }, carol: { audio: 300, video: 301 } }
const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()))
})

describe('conference unit (werift)', () => {
  it('members joining by offer and by answer all hear and see each other', async () => {
    const conf = new Conference('c1')
    const [a, b, c] = ['alice', 'bob', 'carol'].map((t) => new TestPeer(t))
    open.push(conf, a!, b!, c!)
    // alice offers (escalateAudioVideo)
    const joined = await conf.joinWithOffer('alice', await a!.offer(), msi.alice)
    await a!.accept(joined.answer)
    // bob and carol answer the unit's offers (moved peer, invited participant)
    for (const [id, peer] of [['bob', b!], ['carol', c!]] as const) {
      const o = await conf.offerTo(id, msi[id])
      const done = await o.complete(await peer.answer(o.offer))
      await done.connected
    }
    await joined.connected
    for (const p of [a!, b!, c!]) p.startSending()
    const pairs = [[a!, 'bob'], [a!, 'carol'], [b!, 'alice'], [b!, 'carol'], [c!, 'alice'], [c!, 'bob']] as const
    await expect
      .poll(() => pairs.every(([p, from]) => p.count(from, 'audio') > 10 && p.count(from, 'video') > 10), { timeout: 8000, interval: 100 })
      .toBe(true)
    // each forwarded packet names its source (CSRC = the member's MSI): that is how a client labels a slot
    for (const [p, from] of pairs) expect(p.sourceOf.get(from)).toEqual(msi[from])
    // slots follow the order members connected in, which the machine's load decides: alice and bob fill carol's first two
    const carol = conf.forwarder.sources('carol')
    for (const kind of ['audio', 'video'] as const) expect([[...carol[kind].slice(0, 2)].sort(), carol[kind].slice(2)]).toEqual([['alice', 'bob'], [null, null]])
    // nobody gets their own media back
    for (const p of [a!, b!, c!]) expect(p.count(p.tag, 'audio')).toBe(0)

    // bob leaves: carol's main slot now carries alice only, and bob's packets stop
    await conf.leave('bob')
    expect(conf.forwarder.sources('carol').audio).toEqual(['alice', null, null, null])
  })

  it('refuses an offer it has no codec in common with', async () => {
    const conf = new Conference('c2')
    open.push(conf)
    const pcmaOnly = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 8', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx', 'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF', 'a=setup:actpass', 'a=rtcp-mux', ''].join('\r\n')
    await expect(conf.joinWithOffer('x', pcmaOnly, msi.alice)).rejects.toBeInstanceOf(MediaNegotiationError)
  })
})
