// Property tests (fast-check): a mangled media body from the pool or the page gives a MediaRefusal, a plan or null — never a crash.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMediaBody, readDataUrl, toDataUrl } from '../../../main/media-bridge/body'
import { chooseOfferPart } from '../../../main/media-bridge/choose-part'
import { offersBridgeableAudio, withBridgeableH264 } from '../../../main/media-bridge/own-offer'
import { planBridge } from '../../../main/media-bridge/plan'
import { MediaRefusal } from '../../../main/media-bridge/refusal'
import { readSfbSdp } from '../../../main/media-bridge/sfb-read'
import { bridgeDescriptions } from '../../../main/media-bridge/translate'
import { local, multipartSample, sampleNames, sampleSdp } from './samples'

const runs = Number(process.env.PARLEY_FUZZ_RUNS ?? 300)
/** generous: the machine is shared, and `npm run fuzz` sizes runs up */
const timeout = 60_000 + runs * 20

/** Line-level damage (drop, repeat, truncate, garble a line) and character-level damage, as a broken pool or proxy might do. */
function mangle(text: string) {
  const lines = text.split('\n')
  const lineEdit = fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'repeat', 'truncate', 'garble'), fc.nat(80), fc.string({ maxLength: 12 })).map(([at, how, cut, junk]) => {
    const copy = [...lines]
    const line = copy[at] ?? ''
    if (how === 'drop') copy.splice(at, 1)
    else if (how === 'repeat') copy.splice(at, 0, line)
    else if (how === 'truncate') copy[at] = line.slice(0, cut % (line.length + 1))
    else copy[at] = line.slice(0, cut % (line.length + 1)) + junk + line.slice(cut % (line.length + 1))
    return copy.join('\n')
  })
  const charEdit = fc.tuple(fc.nat(text.length), fc.nat(30), fc.string({ maxLength: 30 })).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut))
  return fc.oneof(lineEdit, charEdit, fc.array(lineEdit, { minLength: 2, maxLength: 6 }).map((edits) => edits.at(-1)!))
}

/** The whole incoming path: data: URL, body, part, plan, both descriptions. */
function takeOffer(href: string): void {
  try {
    const { contentType, body } = readDataUrl(href)
    const chosen = chooseOfferPart(parseMediaBody(body, contentType).parts)
    const plan = planBridge(chosen.session)
    if (plan instanceof MediaRefusal) return
    const d = bridgeDescriptions(chosen.session, plan, local)
    expect(readSfbSdp(d.sfbAnswer.sdp).sections).toHaveLength(chosen.session.sections.length)
  } catch (e) {
    expect(e instanceof MediaRefusal, String((e as Error)?.stack ?? e)).toBe(true)
  }
}

describe('fuzzing the media bridge’s SDP layer', () => {
  it('a mangled multipart offer', () => {
    const { contentType, body } = multipartSample()
    fc.assert(fc.property(mangle(body), fc.oneof(fc.constant(contentType), mangle(contentType)), (b, t) => takeOffer(toDataUrl(t, b))), { numRuns: runs })
  }, timeout)

  it('each mangled single-part sample', () => {
    for (const name of sampleNames) fc.assert(fc.property(mangle(sampleSdp(name)), (sdp) => takeOffer(toDataUrl('application/sdp', sdp))), { numRuns: Math.ceil(runs / 3) })
  }, timeout)

  it('arbitrary text and data: URLs', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 60 }), (body, type) => takeOffer(`data:${type},${encodeURIComponent(body)}`)), { numRuns: runs })
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (href) => takeOffer(href)), { numRuns: runs })
  }, timeout)

  // BridgeCall.offer itself on mangled offers (a werift peer and pool legs each): test/integration/media-bridge/own-offer.test.ts
  it('a mangled renderer offer: the BridgingAgent\'s gate answers yes or no, and what werift is given keeps the offer\'s lines', () => {
    const offer = sampleSdp('avmcu-answer.txt').replace(/X-H264UC/g, 'H264').replace('packetization-mode=1;mst-mode=NI-TC', 'packetization-mode=1;profile-level-id=42e01f')
    expect(offersBridgeableAudio(offer)).toBe(true)
    fc.assert(
      fc.property(mangle(offer), (sdp) => {
        expect(typeof offersBridgeableAudio(sdp)).toBe('boolean')
        const narrowed = withBridgeableH264(sdp)
        expect(narrowed.split('\n').filter((l) => l.startsWith('m=')).length).toBe(sdp.split('\n').filter((l) => l.startsWith('m=')).length)
      }),
      { numRuns: runs },
    )
  }, timeout)
})
