// A P2P video call from the real renderer in Chromium to a simulated Skype for Business endpoint (simulator in sfb2015):
// the renderer speaks WebRTC, the pool's endpoint SDES-SRTP with X-H264UC, the media bridge in the core carries both ways.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { toDataUrl } from '../../main/media-bridge/body'
import { UcwaClient } from '../../main/ucwa/client'
import type { UcwaEvent } from '../../main/ucwa/events'
import { SfbEndpoint } from '../simulator/sfb/endpoint'
import { parseMediaBody } from '../../main/media-bridge/body'
import { MediaWorker } from '../../main/media-bridge/media-worker-host'
import { demoPoolOf } from '../../main/demo'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, startPool, type Client } from './harness'

let sim: Simulator
let alice: Client

const stat = async (page: Page, name: string) => Number(await page.getByTestId('call-quality').getAttribute(`data-${name}`))

beforeAll(async () => {
  sim = await startPool()
  alice = await launchClient({ core: await testCore({ demo: demoPoolOf(sim) }), beforeLoad: (context) => context.grantPermissions(['camera', 'microphone']) })
}, 60_000)
afterAll(async () => {
  await alice?.close()
  await sim?.close()
})

it('video call to the SfB echo endpoint: the pool gets Parley’s multipart offer, the endpoint answers its SfB part, the page decodes the echoed video and hears the echoed audio, and hold and resume go through the bridge', async () => {
  const page = alice.page
  await page.getByLabel('Sign-in address').fill('alice@contoso.test')
  await page.getByLabel('Password', { exact: true }).fill('alice-pass')
  if (!(await page.getByLabel('Discovery URL').isVisible())) await page.getByText('Advanced').click()
  await page.getByLabel('Discovery URL').fill(sim.url)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect.poll(() => page.getByTestId('me').textContent(), { timeout: 15_000 }).toBe('Alice Ahlberg')

  await page.getByRole('button', { name: 'Video call Echo Test Service' }).click()
  await expect.poll(() => page.getByTestId('call-state').textContent(), { timeout: 30_000 }).toMatch(/^Connected/)
  // the endpoint took the SfB-dialect part (X-H264UC video with it) and named it
  const echoApp = sim.control.world.apps.get(sim.control.applications('echo@contoso.test')[0]!.id)!
  const inv = [...echoApp.invitations.values()].at(-1)!
  const parts = parseMediaBody(inv.mediaOffer, inv.mediaOfferType!).parts
  expect(parts[1]!.sdp).toMatch(/^a=rtpmap:122 X-H264UC\/90000\r$/m)
  const aliceApp = sim.control.world.apps.get(sim.control.applications('alice@contoso.test')[0]!.id)!
  expect([...aliceApp.invitations.values()].at(-1)!.negotiation?.acceptedContentId).toBe(parts[1]!.contentId)

  // inbound-rtp through the bridge: decoded H.264 frames and audio energy (Chromium's fake microphone beeps)
  await expect.poll(() => stat(page, 'frames'), { timeout: 30_000 }).toBeGreaterThan(30)
  await expect.poll(() => stat(page, 'audio-level'), { timeout: 20_000 }).toBeGreaterThan(0.01)

  // hold and resume through the bridge: the endpoint answers SfB re-offers, the page's WebRTC connection follows
  await page.getByRole('button', { name: 'Hold' }).click()
  await expect.poll(() => page.getByTestId('hold-banner').textContent(), { timeout: 15_000 }).toBe('On hold. Resume to talk again.')
  const held = [...sim.control.world.calls.renegotiations.values()].at(-1)!
  expect(held.state).toBe('Answered')
  expect(held.offer).toMatch(/^a=crypto:/m)
  expect(held.offer).not.toMatch(/a=fingerprint/)
  await page.getByRole('button', { name: 'Resume' }).click()
  await expect.poll(() => page.getByTestId('hold-banner').count(), { timeout: 15_000 }).toBe(0)
  const frames = await stat(page, 'frames')
  await expect.poll(() => stat(page, 'frames'), { timeout: 20_000 }).toBeGreaterThan(frames + 30)
  await page.getByRole('button', { name: 'Hang up' }).click()
}, 120_000)

it('an SfB client calls with only SILK audio: the page never rings, its recent calls say why, and the caller is told the media cause', async () => {
  const page = alice.page
  // this call's entries, told by their reason: the previous test's call may still be entering the list
  const refused = page.getByRole('region', { name: 'Recent calls' }).locator('li', { hasText: 'it offered SILK' })
  const bob = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
  await bob.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
  const events: UcwaEvent[] = []
  bob.on('events', (list) => void events.push(...list))
  const endpoint = new SfbEndpoint()
  try {
    const o = await endpoint.offer()
    const silk = o.body.replace(/^(m=audio \d+ RTP\/SAVP) 9 0\r$/gm, '$1 103\r').replace(/^a=rtpmap:9 G722\/8000\r\n/gm, 'a=rtpmap:103 SILK/16000\r\n').replace(/^a=rtpmap:0 PCMU\/8000\r\n/gm, '')
    await bob.http.post(bob.communicationLink('startAudioVideo'), { to: 'sip:alice@contoso.test', operationId: randomUUID(), _links: { mediaOffer: { href: toDataUrl(o.contentType, silk) } } })
    await expect.poll(() => refused.count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => page.getByRole('region', { name: 'Recent calls' }).locator('li').first().textContent()).toMatch(/Bob Brennan.*The other side offered no audio codec Parley can use \(it offered SILK; Parley needs G\.722, PCMU or PCMA\)\./)
    expect(await page.getByTestId('incoming-call').count()).toBe(0)
    await expect.poll(() => events.find((e) => e.link.rel === 'audioVideoInvitation' && e.type === 'completed')).toMatchObject({ status: 'Failure', reason: { subcode: 'MediaNegotiationFailure' } })
  } finally {
    await endpoint.close()
    await bob.signOut()
  }
}, 60_000)

it('the built media worker (out/main/media-worker.js, what the app and browser mode start) runs and refuses with a typed reason', async () => {
  const worker = new MediaWorker(resolve(import.meta.dirname, '../../out/main/media-worker.js'))
  try {
    const rtvc1Only = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 5000 RTP/SAVP 121\r\na=rtpmap:121 x-rtvc1/90000\r\n'
    await expect(worker.answer('c', { contentType: 'application/sdp', body: rtvc1Only }, () => undefined)).rejects.toMatchObject({ subcode: 'MediaNegotiationFailure', declineReason: 'UnsupportedMedia' })
  } finally {
    await worker.stop()
  }
})
