// Meetings in the page against the real core and the simulator: Meet now with its link, a leader's lobby (admit,
// reject), a guest joining from the sign-in page and told when rejected. The other side is a main-process client.
import { randomUUID } from 'node:crypto'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { anonMeetingGrant } from '../../main/ucwa/anonymous'
import { CallEngine } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import { meetingAddressFromUrl } from '../../main/ucwa/meeting-url'
import { createMeeting } from '../../main/ucwa/meetings'
import { OnlineMeetings } from '../../main/ucwa/online-meetings'
import type { MeetingSnapshot } from '../../preload/contract'
import { startSimulator } from '../simulator/index'
import { appUnderTest, signInThroughForm } from '../support/app-under-test'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'
import { WeriftMedia } from '../support/werift-media'

const t = appUnderTest()

/** a main-process participant: signed in as `name`, or a guest of the meeting at `guestOf` */
async function other(o: { name?: string; guestOf?: string }) {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia(o.name ?? 'guest')
  const engine = new CallEngine(client, media)
  const meetings = new OnlineMeetings(client, engine)
  const seen: MeetingSnapshot[] = []
  meetings.onChange((m) => void seen.push(m))
  if (o.guestOf) {
    const address = meetingAddressFromUrl(o.guestOf)
    await client.signIn({ sipAddress: address.organizerUri, password: '', remember: false, guest: true, discoveryUrl: t.sim!.url, grant: (h, c, at) => anonMeetingGrant(h, c, address, at) })
  } else await client.signIn({ sipAddress: `${o.name}@contoso.test`, password: `${o.name}-pass`, remember: false, discoveryUrl: t.sim!.url })
  t.cleanup.push(() => client.signOut(), () => media.closeAll())
  return { client, meetings, last: () => seen.at(-1) }
}

async function signedInApp(sip: string, password: string) {
  t.core = await testCore({ discoveryUrl: t.sim!.url, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  const page = await mountApp(t.core)
  await signInThroughForm(page, sip, password)
  return page
}

const button = (page: Awaited<ReturnType<typeof mountApp>>, text: string) => page.findAll('button').find((b) => b.text() === text)!

describe('meetings in the page', () => {
  it('Meet now: the meeting with its link to copy; a guest waiting shows under the lobby, Admit lets them in, Reject sends the next away', async () => {
    t.sim = await startSimulator()
    const page = await signedInApp('alice@contoso.test', 'alice-pass')
    await button(page, 'Meet now').trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=join-link]').exists()), { timeout: 10_000 }).toBe(true)
    const link = (page.get('[data-testid=join-link]').element as HTMLInputElement).value
    expect(link).toMatch(/^https:\/\/meet\.contoso\.test\/alice\/[A-Z0-9]{8}$/)
    expect(page.get('[data-testid=meeting-panel]').text()).toContain('you are a presenter')
    expect(page.find('[data-testid=meeting-start]').exists()).toBe(false) // the meeting, not the home view

    const gina = await other({ guestOf: link })
    await gina.meetings.join(link, { anonymousDisplayName: 'Gina Guest' })
    await expect.poll(async () => (await flushPromises(), page.findAll('[data-testid=lobby-person]').map((p) => p.text())), { timeout: 10_000 }).toEqual(['Gina GuestAdmitReject'])
    await page.get('[aria-label="Admit Gina Guest"]').trigger('click')
    await expect.poll(() => gina.last()?.state, { timeout: 10_000 }).toBe('in')
    await expect.poll(async () => (await flushPromises(), page.findAll('[data-testid=member]').map((p) => [p.attributes('data-name'), p.text()])), { timeout: 10_000 }).toEqual([
      ['Gina Guest', 'Gina Guest Attendee · guestMake presenterRemove'],
    ])
    expect(page.find('[data-testid=lobby]').exists()).toBe(false)

    const rex = await other({ guestOf: link })
    await rex.meetings.join(link, { anonymousDisplayName: 'Rex' })
    await expect.poll(async () => (await flushPromises(), page.find('[aria-label="Reject Rex"]').exists()), { timeout: 10_000 }).toBe(true)
    await page.get('[aria-label="Reject Rex"]').trigger('click')
    await expect.poll(() => rex.last()?.state, { timeout: 10_000 }).toBe('denied')
    page.unmount()
  }, 40_000)

  it('a guest joins from the sign-in page with a name, waits in the lobby, and is told when a leader rejects them', async () => {
    t.sim = await startSimulator()
    const alice = await other({ name: 'alice' })
    const m = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Quarterly review' })
    await alice.meetings.join(m.joinUrl)
    await expect.poll(() => alice.last()?.state, { timeout: 10_000 }).toBe('in')

    // the guest's token is kept nowhere, and no keychain entry (the organizer's on this computer, say) is touched
    const keychain: string[] = []
    const tokenStore = new (class extends MemoryTokenStore {
      override async set(account: string, token: Parameters<MemoryTokenStore['set']>[1]) {
        keychain.push(`set ${account}`)
        return super.set(account, token)
      }
      override async delete(account: string) {
        keychain.push(`delete ${account}`)
        return super.delete(account)
      }
    })('No keychain in this test')
    t.core = await testCore({ tokenStore, discoveryUrl: t.sim.url, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
    const page = await mountApp(t.core)
    const form = page.get('[data-testid=guest-join]')
    expect(button(page, 'Join as guest').attributes('disabled')).toBeDefined() // a link and a name first
    await form.get('#guest-url').setValue(m.joinUrl)
    await form.get('#guest-name').setValue('Gina Guest')
    await form.get('form').trigger('submit')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-lobby]').attributes('data-state')), { timeout: 10_000 }).toBe('lobby')
    expect(page.get('[data-testid=meeting-status]').text()).toBe('You are in the lobby. Waiting for the organizer to let you in…')
    expect(page.get('[data-testid=meeting-lobby] h2').text()).toBe('Quarterly review')
    // a guest sees nothing of the directory: no people, no Meet now
    expect(page.find('[data-testid=meeting-start]').exists()).toBe(false)
    expect(page.find('#search').exists()).toBe(false)

    await expect.poll(() => alice.last()?.lobby.map((p) => p.name), { timeout: 10_000 }).toEqual(['Gina Guest'])
    await alice.meetings.act(alice.last()!.id, alice.last()!.lobby[0]!.uri, 'reject')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=guest-join] [data-testid=meeting-ended]').exists()), { timeout: 10_000 }).toBe(true)
    expect(page.get('[data-testid=guest-join] [data-testid=meeting-ended]').text()).toBe('A leader of the meeting did not let you in.')
    expect(page.find('[data-testid=meeting-lobby]').exists()).toBe(false)
    // the guest's application is gone with the meeting
    await expect.poll(() => t.sim!.control.applications().filter((a) => a.user.startsWith('guest-'))).toEqual([])
    expect(keychain).toEqual([])
    page.unmount()
  }, 40_000)

  it('a meeting link opened from outside asks first, then joins; signed out, it fills the guest form', async () => {
    t.sim = await startSimulator()
    const alice = await other({ name: 'alice' })
    const m = await createMeeting(alice.client.http, alice.client.app!, { subject: 'Design review' })
    const page = await signedInApp('bob@contoso.test', 'bob-pass')
    t.core!.events.emit('deeplink.meeting', { url: m.joinUrl })
    await flushPromises()
    expect(page.get('[data-testid=meeting-link-confirm]').text()).toContain(`A link asked Parley to join ${m.joinUrl}`)
    expect(page.find('[data-testid=meeting-panel]').exists()).toBe(false) // nothing joined before the person says so
    await page.get('[data-testid=meeting-link-confirm]').findAll('button').find((b) => b.text() === 'Join')!.trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-panel]').exists()), { timeout: 10_000 }).toBe(true)
    expect(page.get('[data-testid=meeting-panel] h2').text()).toContain('Design review')
    expect(page.find('[data-testid=meeting-link-confirm]').exists()).toBe(false)
    await button(page, 'Sign out').trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=guest-join]').exists()), { timeout: 10_000 }).toBe(true)
    t.core!.events.emit('deeplink.meeting', { url: m.joinUrl })
    await flushPromises()
    expect((page.get('#guest-url').element as HTMLInputElement).value).toBe(m.joinUrl)
    // joining as a guest from it: in the lobby, with no second "Join this meeting?" for the same link
    await page.get('#guest-name').setValue('Gina Guest')
    await page.get('[data-testid=guest-join] form').trigger('submit')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-lobby]').exists()), { timeout: 10_000 }).toBe(true)
    expect(page.find('[data-testid=meeting-link-confirm]').exists()).toBe(false)
    page.unmount()
  }, 40_000)

  it('an admitted guest is named as a guest with no presence of their own; hanging up signs the guest session out again', async () => {
    t.sim = await startSimulator()
    const alice = await other({ name: 'alice' })
    const m = await createMeeting(alice.client.http, alice.client.app!)
    await alice.meetings.join(m.joinUrl)
    await expect.poll(() => alice.last()?.state, { timeout: 10_000 }).toBe('in')
    t.core = await testCore({ discoveryUrl: t.sim.url, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
    const page = await mountApp(t.core)
    await page.get('#guest-url').setValue(m.joinUrl)
    await page.get('#guest-name').setValue('Gina Guest')
    await page.get('[data-testid=guest-join] form').trigger('submit')
    await expect.poll(() => alice.last()?.lobby.map((p) => p.name), { timeout: 10_000 }).toEqual(['Gina Guest'])
    await alice.meetings.act(alice.last()!.id, alice.last()!.lobby[0]!.uri, 'admit')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=call-view]').exists()), { timeout: 10_000 }).toBe(true)
    expect(page.get('[data-testid=me]').text()).toBe('Gina Guest (guest)')
    expect(page.find('#presence').exists()).toBe(false)
    await button(page, 'Hang up').trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=guest-join]').exists()), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => t.sim!.control.applications().filter((a) => a.user.startsWith('guest-'))).toEqual([])
    page.unmount()
  }, 40_000)
})
