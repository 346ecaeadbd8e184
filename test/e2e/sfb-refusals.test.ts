// Issue #20 in Chromium: what an SfB client offers that Parley cannot bridge ends with its typed reason on both sides
// (the page's words, the caller's decline reason from the pool), and a multipart offer is answered naming the part taken.
// Each offer is a real one of the simulator's SfB endpoint (sfb2015), edited the way an older or other client writes it.
import { randomUUID } from 'node:crypto'
import { beforeAll, beforeEach, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { parseMediaBody, readDataUrl, toDataUrl, writeMultipartAlternative } from '../../main/media-bridge/body'
import { demoPoolOf } from '../../main/demo'
import { UcwaClient } from '../../main/ucwa/client'
import type { UcwaEvent } from '../../main/ucwa/events'
import { link, type Resource } from '../../main/ucwa/resource'
import type { CallSnapshot } from '../../preload/contract'
import type { Simulator } from '../simulator/index'
import { declinedFor } from '../simulator/pool/reasons'
import { SfbEndpoint } from '../simulator/sfb/endpoint'
import { testCore } from '../support/core'
import { closeAfterAll, launchClient, signInAs, startPool, type Client } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}
closeAfterAll(clients, () => sim)

/** how long a loaded machine may take for the pool's events to reach both sides */
const EVENTS_MS = 20_000
/** ICE-19 checks against addresses that never answer give up after 10 s (pool-leg.ts); then the decline goes out */
const ICE_GIVES_UP_MS = 40_000
/** a call through the bridge on a loaded machine: ICE, DTLS, the first decoded frames */
const MEDIA_MS = 40_000

/** every state Alice's calls went through, as the core told the page (calls.changed), since the test began */
const callStates: CallSnapshot['state'][] = []

beforeAll(async () => {
  sim = await startPool()
  clients.alice = await launchClient({ core: await testCore({ demo: demoPoolOf(sim) }), beforeLoad: (context) => context.grantPermissions(['camera', 'microphone']) })
  await signInAs(clients.alice.page, 'alice', sim.url)
  clients.alice.core.events.subscribe((name, payload) => name === 'calls.changed' && void callStates.push((payload as CallSnapshot).state))
}, 60_000)

// the page notes every time an incoming call shows, so "never rang" is asserted, not sampled
beforeEach(async () => {
  callStates.length = 0
  await clients.alice!.page.evaluate(() => {
    const w = window as unknown as { rang: number; ringWatch?: MutationObserver }
    w.rang = 0
    w.ringWatch?.disconnect()
    let showing = false
    w.ringWatch = new MutationObserver(() => {
      const now = !!document.querySelector('[data-testid="incoming-call"]')
      if (now && !showing) w.rang++
      showing = now
    })
    w.ringWatch.observe(document.body, { childList: true, subtree: true })
  })
})

const page = () => clients.alice!.page
const rang = () => page().evaluate(() => (window as unknown as { rang: number }).rang)
const recent = () => page().getByRole('region', { name: 'Recent calls' }).locator('li')
const stat = async (name: string) => Number(await page().getByTestId('call-quality').getAttribute(`data-${name}`))

/**
 * Bob on an SfB 2015 client: signs in, calls Alice with `offer` (startAudioVideo with its mediaOffer) and keeps his
 * events. `completed()`: how his invitation ended; `negotiation()`: the last audioVideoNegotiation the pool sent him.
 */
async function bobCalls(offer: { contentType: string; body: string }) {
  const bob = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
  await bob.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
  const events: UcwaEvent[] = []
  bob.on('events', (list) => void events.push(...list))
  await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(offer.contentType, offer.body) } } })
  return {
    signOut: () => bob.signOut(),
    completed: () => events.find((e) => e.link.rel === 'audioVideoInvitation' && e.type === 'completed'),
    negotiation: (): Resource | undefined => events.filter((e) => e.embedded?.rel === 'audioVideoNegotiation').at(-1)?.embedded,
  }
}

/** The SDP a negotiation's `rel` link (mediaProvisionalAnswer or mediaAnswer) carries as its data: URL. */
function answerIn(negotiation: Resource | undefined, rel: 'mediaProvisionalAnswer' | 'mediaAnswer'): string | undefined {
  const href = link(negotiation, rel)
  return href ? readDataUrl(href).body : undefined
}

/** The endpoint's offer with `edit` applied to the parts `keep` keeps (by their fallback flag); asserts the edit changed something. */
async function offerOf(endpoint: SfbEndpoint, edit: (sdp: string) => string, keep: (fallback: boolean) => boolean = () => true) {
  const o = await endpoint.offer()
  const parts = parseMediaBody(o.body, o.contentType).parts.filter((p) => keep(p.fallback))
  const edited = parts.map((p) => ({ ...p, contentId: p.contentId!, sdp: edit(p.sdp) }))
  expect(edited.some((p, i) => p.sdp !== parts[i]!.sdp), 'the edit applies to the endpoint’s offer').toBe(true)
  return writeMultipartAlternative(edited, 'sfb-refusal-boundary')
}

/** Bob calls with `offer`; the page never rings, its recent calls name Bob and `words`, and Bob is told `declineReason`'s cause by the pool. */
async function refusedBeforeRinging(offer: { contentType: string; body: string }, words: string, declineReason: string) {
  const before = await recent().count()
  const bob = await bobCalls(offer)
  try {
    await expect.poll(() => recent().count(), { timeout: EVENTS_MS }).toBe(before + 1)
    expect(await recent().first().textContent()).toContain('Bob Brennan')
    expect(await recent().first().textContent()).toContain(words)
    await expect.poll(() => bob.completed(), { timeout: EVENTS_MS }).toBeTruthy()
    // the pool's reason for a decline with exactly this CallDeclineReason (another reason reads differently)
    expect(bob.completed()).toMatchObject({ status: 'Failure', reason: declinedFor(declineReason) })
    expect(await rang()).toBe(0)
    // the core reported the call (it ended) without its ever ringing
    expect(callStates.at(-1)).toBe('ended')
    expect(callStates).not.toContain('ringing')
  } finally {
    await bob.signOut()
  }
}

it('only SILK and RTAudio (x-msrta) audio: declined CodecMismatch before ringing; the page says which codecs, the caller is told no codec is in common', async () => {
  const endpoint = new SfbEndpoint()
  try {
    const silkAndRta = (sdp: string) =>
      sdp
        .replace(/^(m=audio \d+ RTP\/SAVP) 9 0\r$/m, '$1 103 104\r')
        .replace(/^a=rtpmap:9 G722\/8000\r$/m, 'a=rtpmap:103 SILK/16000\r')
        .replace(/^a=rtpmap:0 PCMU\/8000\r$/m, 'a=rtpmap:104 x-msrta/16000\r')
    await refusedBeforeRinging(await offerOf(endpoint, silkAndRta), 'The other side offered no audio codec Parley can use (it offered SILK, x-msrta; Parley needs G.722, PCMU or PCMA).', 'CodecMismatch')
  } finally {
    await endpoint.close()
  }
}, 60_000)

it('only ICE version 6 (an Office Communicator 2007 offer, no ICE-19 part): declined UnsupportedMedia before ringing, the page names the old connection method', async () => {
  const endpoint = new SfbEndpoint()
  try {
    const o = await endpoint.offer()
    const ice6 = parseMediaBody(o.body, o.contentType).parts.find((p) => p.fallback)!.sdp
    expect(ice6).toMatch(/^a=candidate:\S{43} 1 \S{22} UDP 0\.830 127\.0\.0\.1 \d+\r$/m)
    await refusedBeforeRinging({ contentType: 'application/sdp', body: ice6 }, 'The other side uses an old connection method (ICE version 6, Office Communicator 2007) that Parley does not support.', 'UnsupportedMedia')
  } finally {
    await endpoint.close()
  }
}, 60_000)

it('only IPv6 candidates (a=x-candidate-ipv6): declined IPv6NotSupported before ringing, the page says IPv6 is not supported yet', async () => {
  const endpoint = new SfbEndpoint()
  try {
    const ipv6Only = (sdp: string) => sdp.replace(/^a=candidate:(\S+ \d \S+ \d+) 127\.0\.0\.1 (\d+ typ host)\r$/gm, 'a=x-candidate-ipv6:$1 ::1 $2\r')
    const offer = await offerOf(endpoint, ipv6Only, (fallback) => !fallback)
    expect(offer.body).not.toMatch(/^a=candidate:/m)
    await refusedBeforeRinging(offer, 'The other side can only be reached over IPv6, which Parley does not support yet.', 'IPv6NotSupported')
  } finally {
    await endpoint.close()
  }
}, 60_000)

it('no candidate at all in the ICE-19 part: declined MediaConnectivityFailure before ringing, the page says there is no address to send media to', async () => {
  const endpoint = new SfbEndpoint()
  try {
    const noCandidates = (sdp: string) => sdp.replace(/^a=(candidate|x-candidate-ipv6):.*\r\n/gm, '')
    await refusedBeforeRinging(await offerOf(endpoint, noCandidates, (fallback) => !fallback), 'The other side gave no address Parley can send media to.', 'MediaConnectivityFailure')
  } finally {
    await endpoint.close()
  }
}, 60_000)

it('no address of the SfB client answers while it rings: the ringing stops by itself before anyone answers, declined MediaConnectivityFailure; the page says no network path was found', async () => {
  const endpoint = new SfbEndpoint()
  const before = await recent().count()
  // the endpoint never runs its connectivity checks (it never gets the answer): none of its addresses answers Parley's
  const bob = await bobCalls(await endpoint.offer())
  try {
    // connectivity is known only from the checks, which run while the call rings (sendProvisionalAnswer_ref.md)
    await page().getByTestId('incoming-call').waitFor({ timeout: EVENTS_MS })
    await expect.poll(() => bob.completed(), { timeout: ICE_GIVES_UP_MS }).toBeTruthy()
    expect(bob.completed()).toMatchObject({ status: 'Failure', reason: declinedFor('MediaConnectivityFailure') })
    await expect.poll(() => page().getByTestId('incoming-call').count(), { timeout: EVENTS_MS }).toBe(0)
    await expect.poll(() => recent().count(), { timeout: EVENTS_MS }).toBe(before + 1)
    expect(await recent().first().textContent()).toContain('Bob Brennan')
    expect(await recent().first().textContent()).toContain("The call could not be taken: no network path to the other side's media was found (its addresses did not answer).")
    // it rang once, and nobody answered it: the decline went out on its own
    expect(await rang()).toBe(1)
    expect(callStates).toContain('ringing')
    expect(callStates.at(-1)).toBe('ended')
  } finally {
    await bob.signOut()
    await endpoint.close()
  }
}, 90_000)

/** The endpoint's audio line again as a video line whose only codec is RTVideo (x-rtvc1), as a Lync 2010 client offers video. */
function withRtvc1Video(sdp: string): string {
  const audio = sdp.slice(sdp.indexOf('m=audio'))
  const video = audio
    .replace(/^m=audio (\d+) RTP\/SAVP [\d ]+\r$/m, 'm=video $1 RTP/SAVP 121\r')
    .replace(/^a=(rtpmap|fmtp|ptime):.*\r\n/gm, '')
    .replace(/^a=label:main-audio\r$/m, 'a=label:main-video\r')
  return `${sdp}${video}a=rtpmap:121 x-rtvc1/90000\r\n`
}

/** Every camera and microphone track the page opens from now on (getUserMedia wrapped), as `kind readyState`. */
async function watchOpenedTracks(): Promise<() => Promise<string[]>> {
  await page().evaluate(() => {
    const w = window as unknown as { opened: MediaStreamTrack[] }
    w.opened = []
    const devices = navigator.mediaDevices
    const open = devices.getUserMedia.bind(devices)
    devices.getUserMedia = async (c) => {
      const stream = await open(c)
      w.opened.push(...stream.getTracks())
      return stream
    }
  })
  return () => page().evaluate(() => (window as unknown as { opened: MediaStreamTrack[] }).opened.map((t) => `${t.kind} ${t.readyState}`))
}

it('video only as RTVideo (x-rtvc1): it rings as an audio call saying why, connects with audio only, both ways, and the caller’s answer rejects the video line', async () => {
  const endpoint = new SfbEndpoint()
  const offer = await offerOf(endpoint, withRtvc1Video)
  const opened = await watchOpenedTracks()
  const bob = await bobCalls(offer)
  try {
    await page().getByTestId('incoming-call').waitFor({ timeout: EVENTS_MS })
    // the caller's client runs ICE on the answer it got while it rang (its audio line; the video line was refused)
    await expect.poll(() => answerIn(bob.negotiation(), 'mediaProvisionalAnswer'), { timeout: EVENTS_MS }).toBeTruthy()
    await endpoint.answered(answerIn(bob.negotiation(), 'mediaProvisionalAnswer')!)
    endpoint.sendTone(440)
    // the card says so before anyone answers: an audio call, the reason, and no way to accept with video
    const why = "Neither of you can see the other: the other side's video uses an older Microsoft format (RTVideo) that Parley cannot show or send. The call goes on with audio only."
    expect(await page().getByTestId('incoming-kind').textContent()).toBe('Audio call · video not possible')
    expect(await page().getByTestId('incoming-notice').textContent()).toBe(why)
    expect(await page().getByRole('button', { name: 'Accept with video' }).count()).toBe(0)
    await page().getByRole('button', { name: 'Accept', exact: true }).click()
    await expect.poll(() => page().getByTestId('call-state').textContent(), { timeout: MEDIA_MS }).toMatch(/^Connected/)
    await expect.poll(() => page().getByTestId('call-notice').textContent(), { timeout: EVENTS_MS }).toBe(why)

    // the far side: the final answer takes the ICE-19 part, carries audio and rejects the RTVideo line (port 0)
    await expect.poll(() => answerIn(bob.negotiation(), 'mediaAnswer'), { timeout: EVENTS_MS }).toBeTruthy()
    const answer = answerIn(bob.negotiation(), 'mediaAnswer')!
    expect(answer).toMatch(/^m=audio [1-9]\d* RTP\/SAVP /m)
    expect(answer).toMatch(/^m=video 0 RTP\/SAVP 121\r$/m)
    expect(bob.negotiation()!.props.msAcceptedContentId).toBe('<ice19@sfb.test>')

    // audio goes both ways: the page hears the endpoint's tone, the endpoint gets the page's microphone
    await expect.poll(() => stat('audio-level'), { timeout: MEDIA_MS }).toBeGreaterThan(0.01)
    await expect.poll(() => endpoint.received.length, { timeout: MEDIA_MS }).toBeGreaterThan(50)
    expect(await stat('frames')).toBe(0)

    // no camera is held for a call that cannot carry it: the microphone is live, no camera track is
    expect(await opened()).toContain('audio live')
    expect((await opened()).filter((t) => t === 'video live')).toEqual([])
    expect(await page().getByLabel('Your camera', { exact: true }).count()).toBe(0)
    // the camera is not offered (disabled, with the reason), and nothing pretends it is on
    const camera = page().getByRole('button', { name: 'Camera on' })
    expect(await camera.isDisabled()).toBe(true)
    expect(await camera.getAttribute('aria-description')).toBe('Video is not possible in this call: it goes on with audio only.')
    expect(await page().getByRole('button', { name: 'Camera off' }).count()).toBe(0)
    // Bob's camera is on at his end: his tile makes no "camera off" claim
    const caption = await page().getByTestId('remote-tile').locator('figcaption').textContent()
    expect(caption).toMatch(/^Bob Brennan · video unavailable/)
    expect(caption).not.toContain('camera off')

    // hold and resume still work: Bob's client answers each re-offer as SfB does, the rejected video line staying rejected
    const calls = sim.control.world.calls
    const bobApp = sim.control.world.apps.get(sim.control.applications('bob@contoso.test').at(-1)!.id)!
    const pending = () => [...calls.renegotiations.values()].find((r) => r.state === 'Pending')
    const ice19 = parseMediaBody(offer.body, offer.contentType).parts.find((p) => !p.fallback)!.sdp.replace(/^m=video \d+ /m, 'm=video 0 ')
    await page().getByRole('button', { name: 'Hold' }).click()
    await expect.poll(() => pending(), { timeout: EVENTS_MS }).toBeTruthy()
    calls.answerRenegotiation(bobApp, pending()!, ice19.replace(/^(m=audio .*\r\n)/m, '$1a=inactive\r\n'))
    await expect.poll(() => page().getByTestId('call-state').textContent(), { timeout: EVENTS_MS }).toMatch(/^On hold/)
    await page().getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => pending(), { timeout: EVENTS_MS }).toBeTruthy()
    calls.answerRenegotiation(bobApp, pending()!, ice19)
    await expect.poll(() => page().getByTestId('call-state').textContent(), { timeout: EVENTS_MS }).toMatch(/^Connected/)
    // audio goes on after the resume; still no camera
    const heard = endpoint.received.length
    await expect.poll(() => endpoint.received.length, { timeout: MEDIA_MS }).toBeGreaterThan(heard + 50)
    expect((await opened()).filter((t) => t === 'video live')).toEqual([])
    expect(await page().getByRole('button', { name: 'Camera on' }).isDisabled()).toBe(true)

    await page().getByRole('button', { name: 'Hang up' }).click()
    await expect.poll(() => page().getByTestId('call-state').count(), { timeout: EVENTS_MS }).toBe(0)
  } finally {
    await bob.signOut()
    await endpoint.close()
  }
}, 150_000)

it('a multipart offer (ICE-6 part, ICE-19 part): the page rings, the call connects through the bridge with decoded video and audio both ways, and the caller’s answer names the ICE-19 part', async () => {
  const endpoint = new SfbEndpoint({ video: true })
  const offer = await endpoint.offer()
  const parts = parseMediaBody(offer.body, offer.contentType).parts
  expect(parts.map((p) => [p.contentId, p.fallback])).toEqual([
    ['<ice6@sfb.test>', true],
    ['<ice19@sfb.test>', false],
  ])
  const bob = await bobCalls(offer)
  try {
    await page().getByTestId('incoming-call').waitFor({ timeout: EVENTS_MS })
    // while it rings: the provisional answer names the ICE-19 part and is in its dialect (ice-ufrag, SDES keys, no DTLS)
    await expect.poll(() => answerIn(bob.negotiation(), 'mediaProvisionalAnswer'), { timeout: EVENTS_MS }).toBeTruthy()
    expect(bob.negotiation()!.props.msAcceptedContentId).toBe('<ice19@sfb.test>')
    const provisional = answerIn(bob.negotiation(), 'mediaProvisionalAnswer')!
    expect(provisional).toMatch(/^a=ice-ufrag:/m)
    expect(provisional).toMatch(/^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:/m)
    expect(provisional).not.toMatch(/^a=fingerprint:/m)
    expect(provisional).toMatch(/^a=rtpmap:122 X-H264UC\/90000\r$/m)
    await endpoint.answered(provisional)
    endpoint.sendTone(440)

    await page().getByRole('button', { name: 'Accept with video' }).click()
    await expect.poll(() => page().getByTestId('call-state').textContent(), { timeout: MEDIA_MS }).toMatch(/^Connected/)
    await expect.poll(() => answerIn(bob.negotiation(), 'mediaAnswer'), { timeout: EVENTS_MS }).toBeTruthy()
    expect(bob.negotiation()!.props.msAcceptedContentId).toBe('<ice19@sfb.test>')

    // inbound-rtp in Chromium: the camera's H.264 reflected by the endpoint is decoded, the endpoint's tone heard
    await expect.poll(() => stat('frames'), { timeout: MEDIA_MS }).toBeGreaterThan(30)
    await expect.poll(() => stat('audio-level'), { timeout: MEDIA_MS }).toBeGreaterThan(0.01)
    // and the far side got Parley's audio and video on its own payload types
    await expect.poll(() => endpoint.received.length, { timeout: MEDIA_MS }).toBeGreaterThan(50)
    expect(new Set(endpoint.videoReceived.map((r) => r.payloadType))).toEqual(new Set([122]))
    await page().getByRole('button', { name: 'Hang up' }).click()
    await expect.poll(() => page().getByTestId('call-state').count(), { timeout: EVENTS_MS }).toBe(0)
  } finally {
    await bob.signOut()
    await endpoint.close()
  }
}, 120_000)
