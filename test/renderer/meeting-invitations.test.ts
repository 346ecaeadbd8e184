// An invitation into a meeting in the page, against the real core and the simulator: Alice (a main-process client) is
// in a meeting called "Quarterly review" and adds Carol; Carol's page rings with the subject and who invites her.
// Join puts her in the meeting, its subject as the call's title; Decline tells Alice.
import { randomUUID } from 'node:crypto'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { CallEngine } from '../../main/ucwa/calls'
import { UcwaClient } from '../../main/ucwa/client'
import { createMeeting } from '../../main/ucwa/meetings'
import { OnlineMeetings } from '../../main/ucwa/online-meetings'
import type { MeetingSnapshot } from '../../preload/contract'
import { startSimulator } from '../simulator/index'
import { appUnderTest, signInThroughForm } from '../support/app-under-test'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'
import { WeriftMedia } from '../support/werift-media'

const t = appUnderTest()

/** Alice, a main-process client, let into a meeting with a subject */
async function aliceInMeeting() {
  const client = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } } })
  const media = new WeriftMedia('alice')
  const meetings = new OnlineMeetings(client, new CallEngine(client, media))
  const seen = new Map<string, MeetingSnapshot>()
  meetings.onChange((m) => void seen.set(m.id, m))
  await client.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: t.sim!.url })
  t.cleanup.push(() => client.signOut(), () => media.closeAll())
  const created = await createMeeting(client.http, client.app!, { subject: 'Quarterly review' })
  // her own media is not what this test watches: the pool fails it, so she invites through the meeting (no call)
  t.sim!.control.fault({ kind: 'fail', resource: 'audioVideo', method: 'GET', status: 500, code: 'ServiceFailure' })
  const { id } = await meetings.join(created.joinUrl)
  await expect.poll(() => seen.get(id)?.endReason?.code, { timeout: 15_000 }).toBe('ServiceFailure')
  expect(seen.get(id)).toMatchObject({ state: 'in' })
  return { meetings, id, meeting: () => seen.get(id) }
}

async function signedIn(sip: string, password: string) {
  t.core = await testCore({ discoveryUrl: t.sim!.url, ucwa: { channel: { backoff: { baseMs: 5, capMs: 50 } } } })
  const page = await mountApp(t.core)
  await signInThroughForm(page, sip, password)
  return page
}

const shown = async (page: Awaited<ReturnType<typeof mountApp>>, selector: string) => (await flushPromises(), page.find(selector).exists())

describe('an invitation into a meeting in the page', () => {
  it('rings with the subject and who invites; Join puts Carol in the meeting, its subject the call’s title', async () => {
    t.sim = await startSimulator()
    const page = await signedIn('carol@contoso.test', 'carol-pass')
    const alice = await aliceInMeeting()
    await alice.meetings.invite(alice.id, 'carol@contoso.test')
    await expect.poll(() => shown(page, '[data-testid=meeting-invitation]'), { timeout: 10_000 }).toBe(true)
    const card = page.get('[data-testid=meeting-invitation]')
    expect(card.get('h2').text()).toBe('Alice Ahlberg invites you to a meeting')
    expect(card.get('[data-testid=meeting-invitation-subject]').text()).toBe('Quarterly review')
    await card.findAll('button').find((b) => b.text() === 'Join')!.trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('#call-title').exists() && page.get('#call-title').text()), { timeout: 15_000 }).toBe('Quarterly review')
    expect(page.find('[data-testid=meeting-invitation]').exists()).toBe(false)
    await expect.poll(() => alice.meeting()?.members.map((m) => m.name), { timeout: 10_000 }).toEqual(['Carol Castillo'])
  }, 60_000)

  it('Decline: the card goes, Carol stays where she was, and the meeting goes on without her', async () => {
    t.sim = await startSimulator()
    const page = await signedIn('carol@contoso.test', 'carol-pass')
    const alice = await aliceInMeeting()
    await alice.meetings.invite(alice.id, 'carol@contoso.test')
    await expect.poll(() => shown(page, '[data-testid=meeting-invitation]'), { timeout: 10_000 }).toBe(true)
    await page.get('[data-testid=meeting-invitation]').findAll('button').find((b) => b.text() === 'Decline')!.trigger('click')
    await expect.poll(() => shown(page, '[data-testid=meeting-invitation]')).toBe(false)
    expect(page.find('[data-testid=meeting-start]').exists()).toBe(true)
    expect(page.find('#call-title').exists()).toBe(false)
    expect(alice.meeting()?.members).toEqual([])
  }, 60_000)

  it('in a meeting without audio and video, Alice invites Dave, who is not signed in: the page says so in words', async () => {
    t.sim = await startSimulator()
    // the pool fails the meeting's audio and video (its audioVideo read, before any offer): Alice stays in without a call
    t.sim.control.fault({ kind: 'fail', resource: 'audioVideo', method: 'GET', status: 500, code: 'ServiceFailure' })
    const page = await signedIn('alice@contoso.test', 'alice-pass')
    await page.findAll('button').find((b) => b.text() === 'Meet now')!.trigger('click')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-status]').exists() && page.get('[data-testid=meeting-status]').text()), { timeout: 15_000 }).toBe('You are in the meeting without audio and video.')
    await page.get('#meeting-invitee').setValue('dave@contoso.test')
    await page.get('[data-testid=meeting-invite]').trigger('submit')
    await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-notice]').exists() && page.get('[data-testid=meeting-notice]').text()), { timeout: 10_000 }).toBe('dave@contoso.test could not be reached.')
    expect(page.find('[data-testid=meeting-invitee]').exists()).toBe(false)
    expect((page.get('#meeting-invitee').element as HTMLInputElement).value).toBe('')
  }, 60_000)
})
