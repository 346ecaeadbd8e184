// Online meetings as people use them (issue #23), three Chromiums against the simulator: Alice starts Meet now and shares
// the link, Bob joins by pasting it, a guest is rejected and told, a guest waits in the lobby and is admitted, all three
// see and hear each other, and Alice mutes the guest, who sees it, as Bob does in his roster.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, screenshot, type Client, closeAfterAll, signInAs } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}

const stat = async (page: Page, name: string) => Number(await page.getByTestId('call-quality').getAttribute(`data-${name}`))
const state = (page: Page) => page.getByTestId('call-state').textContent()
/** the call is a conference (a meeting alone or with one other reads "Connected": CallView's label) */
const conference = (page: Page) => page.getByTestId('call-view').getAttribute('data-state')
const inRoster = (page: Page, name: string) => page.getByTestId('participant').filter({ hasText: name })

beforeAll(async () => {
  sim = await startSimulator({ events: 'link-only' })
  for (const name of ['alice', 'bob', 'guest']) {
    clients[name] = await launchClient({
      // the installation's pool: a guest's discovery goes there too (no sign-in form for a guest)
      core: await testCore({ discoveryUrl: sim.url }),
      beforeLoad: (context) => context.grantPermissions(['camera', 'microphone']),
    })
  }
}, 60_000)
closeAfterAll(clients, () => sim)

describe('online meetings in Chromium', () => {
  it('Meet now, join by link, a guest rejected then one admitted from the lobby; all see and hear each other; the leader mutes the guest', async () => {
    const [alice, bob, guest] = [clients.alice!.page, clients.bob!.page, clients.guest!.page]
    await signInAs(alice, 'alice')
    await signInAs(bob, 'bob')

    // Meet now: in the meeting with audio and video at once, its link to share
    await alice.getByRole('button', { name: 'Meet now' }).click()
    await expect.poll(() => conference(alice), { timeout: 20_000 }).toBe('conference')
    const link = await alice.getByTestId('join-link').inputValue()
    expect(link).toMatch(/^https:\/\/meet\.contoso\.test\/alice\/[A-Z0-9]{8}$/)
    expect(await alice.getByTestId('meeting-panel').textContent()).toContain('you are a presenter')

    // Bob pastes the link
    await bob.getByLabel('Meeting link').fill(link)
    await bob.getByRole('button', { name: 'Join', exact: true }).click()
    await expect.poll(() => conference(bob), { timeout: 20_000 }).toBe('conference')
    await expect.poll(() => inRoster(alice, 'Bob Brennan').count(), { timeout: 10_000 }).toBe(1)

    // a guest Alice rejects is told so
    await guest.getByLabel('Meeting link').fill(link)
    await guest.getByLabel('Your name').fill('Rex')
    await guest.getByRole('button', { name: 'Join as guest' }).click()
    await expect.poll(() => guest.getByTestId('meeting-status').textContent(), { timeout: 15_000 }).toBe('You are in the lobby. Waiting for the organizer to let you in…')
    await alice.getByRole('button', { name: 'Reject Rex' }).click({ timeout: 15_000 })
    await expect.poll(() => guest.getByTestId('meeting-ended').textContent(), { timeout: 15_000 }).toBe('A leader of the meeting did not let you in.')
    await screenshot(guest, 'meeting-guest-rejected')

    // a guest waits in the lobby; the leader sees them and admits them
    await guest.getByLabel('Your name').fill('Gina Guest')
    await guest.getByRole('button', { name: 'Join as guest' }).click()
    await expect.poll(() => guest.getByTestId('meeting-lobby').getAttribute('data-state'), { timeout: 15_000 }).toBe('lobby')
    await screenshot(guest, 'meeting-lobby-guest')
    await expect.poll(() => alice.getByTestId('lobby-person').allTextContents(), { timeout: 15_000 }).toEqual(['Gina GuestAdmitReject'])
    expect(await inRoster(alice, 'Gina Guest').count()).toBe(0) // waiting is not being in the call
    await screenshot(alice, 'meeting-lobby-leader')
    await alice.getByRole('button', { name: 'Admit Gina Guest' }).click()
    await expect.poll(() => state(guest), { timeout: 20_000 }).toMatch(/^Conference/)
    // the guest sees who is who, and may do nothing to anyone
    await expect.poll(async () => (await guest.getByTestId('member').allTextContents()).map((t) => t.trim()).sort(), { timeout: 10_000 }).toEqual(['Alice Ahlberg Organizer', 'Bob Brennan Attendee'])
    expect(await guest.getByTestId('meeting-panel').getByRole('button').count()).toBe(0)

    // all three see and hear the two others: two pictures decoding, frames, audio energy named by whose voice it is
    for (const p of [alice, bob, guest]) await expect.poll(() => stat(p, 'video-tracks'), { timeout: 25_000 }).toBeGreaterThanOrEqual(2)
    for (const p of [alice, bob, guest]) await expect.poll(() => stat(p, 'frames'), { timeout: 15_000 }).toBeGreaterThan(10)
    const others = { alice: ['Bob Brennan', 'Gina Guest'], bob: ['Alice Ahlberg', 'Gina Guest'], guest: ['Alice Ahlberg', 'Bob Brennan'] }
    for (const [who, names] of Object.entries(others)) {
      const p = clients[who]!.page
      for (const name of names) await expect.poll(() => inRoster(p, name).getAttribute('data-speaking'), { timeout: 15_000, message: `${who} hears ${name}` }).toBe('true')
    }
    await screenshot(alice, 'meeting-leader')

    // Alice mutes the guest: the guest's microphone goes off and she is told; Bob's roster shows her muted
    await alice.getByRole('button', { name: 'Mute Gina Guest' }).click()
    await expect.poll(() => guest.getByTestId('muted-by-leader').textContent(), { timeout: 10_000 }).toBe('A presenter muted your microphone. Unmute when you want to speak.')
    await expect.poll(() => guest.getByRole('button', { name: 'Unmute' }).count()).toBe(1)
    await expect.poll(() => inRoster(bob, 'Gina Guest').getAttribute('data-audio'), { timeout: 10_000 }).toBe('muted')
    await expect.poll(() => inRoster(bob, 'Gina Guest').getAttribute('data-speaking'), { timeout: 10_000 }).toBe('false')
    await screenshot(guest, 'meeting-guest-muted')
    await screenshot(bob, 'meeting-attendee')
  }, 180_000)
})
