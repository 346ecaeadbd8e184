// Parley's own offer through the bridge as calls make it (BridgeCall.offer, on loopback): the SfB part for the pool, and
// werift's answer for the renderer. Pure parts: test/unit/media-bridge/own-offer.test.ts; media both ways: calls-through-bridge.
import fc from 'fast-check'
import { parse } from 'sdp-transform'
import { afterEach, describe, expect, it } from 'vitest'
import { BridgeCall } from '../../../main/media-bridge/bridge-call'
import { BridgeFault } from '../../../main/media-bridge/fault'
import { planBridge, type BridgePlan } from '../../../main/media-bridge/plan'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { rendererOffer } from '../../unit/media-bridge/samples'

const calls: BridgeCall[] = []
afterEach(async () => {
  await Promise.all(calls.splice(0).map((c) => c.close()))
})

async function offer(sdp: string): Promise<{ sfbOffer: string; webrtcAnswer: string }> {
  const call = new BridgeCall()
  calls.push(call)
  return call.offer(sdp)
}

describe('Parley’s own offer through the bridge (BridgeCall.offer)', () => {
  it('writes the SfB part with SfB payload types, a fresh key per line, mux offered beside component 2, each line in the renderer’s direction', async () => {
    const own = await offer(rendererOffer)
    const sfb = readSfbSdp(own.sfbOffer)
    expect(sfb.sections.map((s) => [s.kind, s.profile, s.formats, s.direction])).toEqual([
      ['audio', 'RTP/SAVP', ['9', '0', '8'], 'sendrecv'],
      ['video', 'RTP/SAVP', ['122'], 'recvonly'],
    ])
    for (const s of sfb.sections) {
      expect([s.rtcpMux, s.candidates.map((c) => c.component)]).toEqual([true, [1, 2]])
      expect(s.rtcp?.port).toBe(s.candidates.find((c) => c.component === 2)!.port)
    }
    expect(sfb.sections.map((s) => s.keys.length)).toEqual([1, 1])
    expect(sfb.sections[0]!.keys[0]!.keySalt.equals(sfb.sections[1]!.keys[0]!.keySalt)).toBe(false)
    // what an SfB endpoint reads of it, the bridge itself would take
    const plan = planBridge(sfb) as BridgePlan
    expect([plan.audio.codecs.map((c) => c.name), plan.video?.codecs.map((c) => c.name), plan.notices]).toEqual([['G722', 'PCMU', 'PCMA'], ['X-H264UC'], []])
  })

  it('answers the renderer on every m= line with its mids and mirrored directions, video in H.264 constrained baseline mode 1 (106), what X-H264UC carries', async () => {
    const answer = parse((await offer(rendererOffer)).webrtcAnswer)
    expect(answer.media.map((m) => [m.type, String(m.mid), m.direction ?? null])).toEqual([
      ['audio', '0', 'sendrecv'],
      ['video', '1', 'sendonly'],
      ['application', '2', null],
    ])
    expect(answer.media[0]!.rtp.map((r) => [r.payload, r.codec])).toEqual([[9, 'G722'], [0, 'PCMU'], [8, 'PCMA']])
    expect(answer.media[1]!.rtp.map((r) => [r.payload, r.codec])).toEqual([[106, 'H264']])
  })

  it('refuses, with the reason, a renderer offer with no audio the bridge can carry', async () => {
    const opusOnly = rendererOffer
      .replace('m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 13 110 126', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 13 110 126')
      .replace(/a=rtpmap:(9|0|8) [A-Z0-9]+\/8000\r\n/g, '')
    await expect(offer(opusOnly)).rejects.toMatchObject({ name: 'MediaRefusal', declineReason: 'UnsupportedMedia', subcode: 'MediaNegotiationFailure' })
  })

  it('a mangled renderer offer gives an SfB part the bridge can read, or a typed refusal or fault: never anything else', async () => {
    const lines = rendererOffer.split('\r\n')
    const mangled = fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'repeat', 'garble'), fc.string({ maxLength: 12 })).map(([at, how, junk]) => {
      const copy = [...lines]
      if (how === 'drop') copy.splice(at, 1)
      else if (how === 'repeat') copy.splice(at, 0, copy[at]!)
      else copy[at] = copy[at]!.slice(0, 9) + junk + copy[at]!.slice(9)
      return copy.join('\r\n')
    })
    // each run opens a werift peer and two pool legs: few runs, each a real call's setup
    await fc.assert(
      fc.asyncProperty(mangled, async (sdp) => {
        try {
          expect(readSfbSdp((await offer(sdp)).sfbOffer).sections.length).toBeGreaterThan(0)
        } catch (e) {
          expect(e instanceof MediaRefusal || e instanceof BridgeFault, String((e as Error)?.stack ?? e)).toBe(true)
        } finally {
          await Promise.all(calls.splice(0).map((c) => c.close()))
        }
      }),
      { numRuns: 15 },
    )
  }, 120_000)
})
