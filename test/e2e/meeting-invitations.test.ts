// Inviting someone into an online meeting (issue #23), two Chromiums against the simulator: Alice is in a meeting called
// "Quarterly review" and adds Carol from the call view; Carol's Parley rings with the subject and who invites her; she
// joins, and each sees and hears the other; the call view is titled with the subject.
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { createMeeting } from '../../main/ucwa/meetings'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, screenshot, type Client, closeAfterAll, signInAs } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}

const stat = async (page: Page, name: string) => Number(await page.getByTestId('call-quality').getAttribute(`data-${name}`))
const state = (page: Page) => page.getByTestId('call-state').textContent()

beforeAll(async () => {
  sim = await startSimulator({ events: 'link-only' })
  for (const name of ['alice', 'carol']) {
    clients[name] = await launchClient({ core: await testCore({ discoveryUrl: sim.url }), beforeLoad: (context) => context.grantPermissions(['camera', 'microphone']) })
  }
}, 60_000)
closeAfterAll(clients, () => sim)

describe('inviting into a meeting in Chromium', () => {
  it('Alice adds Carol from the meeting; Carol rings with the subject, joins, and both see and hear each other', async () => {
    const [alice, carol] = [clients.alice!.page, clients.carol!.page]
    // a scheduled meeting with a subject, as Outlook would have made it for Alice
    const organizer = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID() })
    await organizer.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    const meeting = await createMeeting(organizer.http, organizer.app!, { subject: 'Quarterly review' })
    await organizer.signOut()

    await signInAs(alice, 'alice')
    await signInAs(carol, 'carol')
    await alice.getByLabel('Meeting link').fill(meeting.joinUrl)
    await alice.getByRole('button', { name: 'Join', exact: true }).click()
    // alone in it, the meeting reads as a call connected (call-view.ts); its audio and video are up
    await expect.poll(() => alice.getByTestId('call-view').getAttribute('data-state'), { timeout: 20_000 }).toBe('conference')
    expect(await alice.locator('#call-title').textContent()).toBe('Quarterly review')

    // Add people, as in any call
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.locator('#add-search').fill('Carol')
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click({ timeout: 15_000 })

    const invitation = carol.getByTestId('meeting-invitation')
    await expect.poll(() => invitation.locator('h2').textContent(), { timeout: 15_000 }).toBe('Alice Ahlberg invites you to a meeting')
    expect(await invitation.getByTestId('meeting-invitation-subject').textContent()).toBe('Quarterly review')
    await screenshot(carol, 'meeting-invitation')
    await invitation.getByRole('button', { name: 'Join' }).click()
    await expect.poll(() => carol.getByTestId('call-view').getAttribute('data-state'), { timeout: 20_000 }).toBe('conference')
    await expect.poll(() => state(carol), { timeout: 20_000 }).toMatch(/^Connected/) // two people: it reads as a call
    expect(await carol.locator('#call-title').textContent()).toBe('Quarterly review')

    // each sees and hears the other: a picture decoding frames, the other's voice
    for (const p of [alice, carol]) await expect.poll(() => stat(p, 'video-tracks'), { timeout: 25_000 }).toBeGreaterThanOrEqual(1)
    for (const p of [alice, carol]) await expect.poll(() => stat(p, 'frames'), { timeout: 15_000 }).toBeGreaterThan(10)
    await expect.poll(() => alice.getByTestId('participant').filter({ hasText: 'Carol Castillo' }).getAttribute('data-speaking'), { timeout: 15_000 }).toBe('true')
    await expect.poll(() => carol.getByTestId('participant').filter({ hasText: 'Alice Ahlberg' }).getAttribute('data-speaking'), { timeout: 15_000 }).toBe('true')
    await screenshot(carol, 'meeting-invited-joined')
    await screenshot(alice, 'meeting-inviter')
  }, 150_000)
})
