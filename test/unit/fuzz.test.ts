// Property tests (fast-check): hostile or mangled input from the network, the OS or the page gives typed
// errors or null — never a crash, never an untyped exception.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseChallenge } from '../../main/ucwa/auth'
import { UcwaError, errorFromBody } from '../../main/ucwa/errors'
import { eventsFromJson, eventsFromXml } from '../../main/ucwa/events'
import { fromJson, fromXml } from '../../main/ucwa/resource'
import { parseDeepLink } from '../../main/desktop/deep-link'
import { createDispatcher, type Handlers } from '../../main/core/dispatcher'
import { requestNames } from '../../preload/contract'
import { missingCodecs } from '../simulator/conference/mcu'
import { capVideoBitrate, mediaKinds } from '../../renderer/src/media/sdp'

export const runs = Number(process.env.PARLEY_FUZZ_RUNS ?? 300)

const validEvents = {
  _links: { self: { href: '/e?ack=1' }, next: { href: '/e?ack=2' } },
  sender: [{ rel: 'communication', href: '/c', events: [{ link: { rel: 'audioVideoInvitation', href: '/i/1' }, _embedded: { audioVideoInvitation: { rel: 'audioVideoInvitation', direction: 'Incoming', _links: { self: { href: '/i/1' } } } }, type: 'started' }] }],
}
const validXml =
  '<?xml version="1.0" encoding="utf-8"?><events href="/e?ack=1" xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><link rel="next" href="/e?ack=2" /><sender rel="me" href="/me"><updated rel="me" href="/me" /><added rel="presence" href="/me/presence"><resource rel="presence" href="/me/presence"><property name="availability">Online</property></resource></added></sender></events>'

/** Only TypeError (documented by the parsers) or UcwaError may escape; anything else is a bug. */
function typedOrNothing(fn: () => unknown): void {
  try {
    fn()
  } catch (e) {
    expect(e instanceof TypeError || e instanceof UcwaError, String(e)).toBe(true)
  }
}

function mutate(text: string) {
  return fc.tuple(fc.nat(text.length), fc.nat(20), fc.string({ maxLength: 20 })).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut))
}

describe('fuzzing', () => {
  it('event-channel bodies, JSON: valid, mutated and arbitrary', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(JSON.stringify(validEvents)), mutate(JSON.stringify(validEvents)), fc.json()), (text) => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          return
        }
        typedOrNothing(() => eventsFromJson(json))
      }),
      { numRuns: runs },
    )
    expect(eventsFromJson(validEvents).events).toHaveLength(1)
  })

  it('event-channel and resource bodies, XML: mutated', () => {
    fc.assert(fc.property(mutate(validXml), (xml) => typedOrNothing(() => eventsFromXml(xml))), { numRuns: runs })
    fc.assert(fc.property(mutate(validXml.replace(/events/g, 'resource')), (xml) => typedOrNothing(() => fromXml(xml))), { numRuns: runs })
    fc.assert(fc.property(fc.anything(), (v) => typedOrNothing(() => fromJson(v))), { numRuns: runs })
  })

  it('error bodies always become a UcwaError with a message', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), fc.option(fc.dictionary(fc.constantFrom('code', 'subcode', 'message', 'debugInfo', 'x'), fc.anything())), (status, body) => {
        const e = errorFromBody(status, body as Record<string, unknown> | null)
        expect(e).toBeInstanceOf(UcwaError)
        expect(e.message.length).toBeGreaterThan(0)
      }),
      { numRuns: runs },
    )
  })

  it('WWW-Authenticate headers: a challenge only with a real URL', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutate('MsRtcOAuth href="https://p/WebTicket/oauthtoken",grant_type="password"'), fc.array(fc.string())), (h) => {
        const c = parseChallenge(h)
        if (c) expect(() => new URL(c.href)).not.toThrow()
      }),
      { numRuns: runs },
    )
  })

  it('deep links: only clean sip addresses come through', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutate('sip:bob@contoso.com;transport=tls?subject=x'), mutate('tel:+14255550100'), mutate('parley://call?to=sip%3Aa%40b.com')), (raw) => {
        const link = parseDeepLink(raw)
        if (link) expect(link.to).toMatch(/^sip:[a-z0-9._%+-]+@[a-z0-9.-]+$/)
      }),
      { numRuns: runs },
    )
  })

  it('SDP: mutated browser offers never crash the conference unit’s check or the renderer’s edits', () => {
    const offer = [
      'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'a=msid-semantic: WMS',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0', 'a=ice-ufrag:2Qxy', 'a=ice-pwd:Jg2mFv0pQnY0c6yq9yJw7nBb',
      'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08', 'a=setup:actpass', 'a=mid:0',
      'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:0 PCMU/8000',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack pli', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96', '',
    ].join('\r\n')
    expect(missingCodecs(offer)).toBeNull()
    expect(mediaKinds(offer)).toEqual(['audio', 'video'])
    // found by `npm run fuzz`: an rtpmap with a space before the payload type parses without a codec
    expect(missingCodecs(offer.replace('a=rtpmap:96', 'a=rtpmap: 96'))).toBe('No video codec in common with the conference (it needs VP8).')
    fc.assert(
      fc.property(mutate(offer), (sdp) => {
        const why = missingCodecs(sdp)
        expect(why === null || typeof why === 'string').toBe(true)
        typedOrNothing(() => capVideoBitrate(sdp, 1000))
        typedOrNothing(() => mediaKinds(sdp))
      }),
      { numRuns: runs },
    )
  })

  it('IPC payloads: any method name and input gives a value or a typed error', async () => {
    const ok = async () => ({}) as never
    const handlers = Object.fromEntries(requestNames.map((n) => [n, ok])) as unknown as Handlers
    const dispatch = createDispatcher(handlers)
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...requestNames), fc.string()), fc.anything(), async (method, input) => {
        const r = await dispatch(method, input)
        if (!r.ok) expect(['validation', 'unknown-method']).toContain(r.error.kind)
      }),
      { numRuns: runs },
    )
  })
})
