// Memory over a working day (issue #24): a call, once over, leaves nothing of its media behind in either page —
// no peer connection, stream, track, media element or audio node more after four calls than after one.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { censusCounts, heapCensus, retainerChains, WATCHED } from '../bench/heap-census'
import { signIn } from '../bench/browser'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, type Client } from './harness'

let sim: Simulator
let clients: Client[] = []

beforeAll(async () => {
  sim = await startSimulator()
  clients = [await launchClient({ core: await testCore() }), await launchClient({ core: await testCore() })]
  await signIn(clients[0]!.page, 'alice@contoso.test', 'alice-pass', sim.url)
  await signIn(clients[1]!.page, 'bob@contoso.test', 'bob-pass', sim.url)
}, 60_000)
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await sim?.close()
})

const framesDecoded = (p: Page) => p.getByTestId('call-quality').getAttribute('data-frames').then(Number)

/** Alice video-calls Bob, he accepts, both decode the other's video, Alice hangs up and both are back home. */
async function oneCall(alice: Page, bob: Page): Promise<void> {
  await alice.getByRole('button', { name: 'Video call Bob Brennan' }).click()
  await bob.getByRole('button', { name: 'Accept with video' }).click({ timeout: 15_000 })
  for (const p of [alice, bob]) await expect.poll(() => framesDecoded(p), { timeout: 15_000 }).toBeGreaterThan(0)
  await alice.getByRole('button', { name: 'Hang up' }).click()
  for (const p of [alice, bob]) await p.getByTestId('call-view').waitFor({ state: 'detached', timeout: 15_000 })
}

/** each watched kind's count in each page, after a full GC */
const counts = (pages: Page[]) => Promise.all(pages.map(async (p) => censusCounts(await heapCensus(p))))
/** the spare connection for the next call is made a second after set-up: counted once it is there */
const settle = () => new Promise((r) => setTimeout(r, 1500))

describe('a page’s heap across calls', () => {
  it('keeps no peer connection, stream, track, media element or audio node per call: none grows by one a call over three calls', async () => {
    const pages = clients.map((c) => c.page) as [Page, Page]
    for (let i = 0; i < 2; i++) await oneCall(...pages)
    await settle()
    const before = await counts(pages)
    for (let i = 0; i < 3; i++) await oneCall(...pages)
    await settle()
    const after = await counts(pages)
    if (process.env.PARLEY_RETAINERS) for (const p of pages) console.error((await retainerChains(p, process.env.PARLEY_RETAINERS)).join('\n'))
    // Chromium itself holds a recent getUserMedia result for a while (its request's promise tracker), so a kind may be
    // one or two up at any moment; what a call leaves behind is at least one more per call: three here
    for (const [i, page] of after.entries()) for (const kind of WATCHED) expect(page[kind] - before[i]![kind], `${kind} in page ${i}`).toBeLessThan(3)
    // the census sees what a page keeps: three connections held by the page count as three more
    await pages[0].evaluate(() => ((window as unknown as { kept: unknown[] }).kept = [1, 2, 3].map(() => new RTCPeerConnection())))
    const [kept] = await counts([pages[0]])
    expect(kept!.RTCPeerConnection - after[0]!.RTCPeerConnection).toBe(3)
  }, 240_000)
})
