// Conversations with instant messages (issue #21) as people use them, in Chromium with three real clients against the
// simulator: a chat from a contact, typing and unread counts, chat → video call → chat after the hang-up, a declined
// chat, a message the pool fails to deliver (and Retry), hostile HTML shown inert, and a chat inside a conference call.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoPoolOf } from '../../main/demo'
import { link } from '../../main/ucwa/resource'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { launchClient, screenshot, startPool, type Client, closeAfterAll, signInAs } from './harness'

let sim: Simulator
const clients: Record<string, Client> = {}
const poll = { timeout: 20_000 }

const panel = (page: Page) => page.getByTestId('chat-panel')
/** each message as `direction text status` */
const messages = (page: Page) =>
  panel(page)
    .getByTestId('chat-message')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-direction')} ${e.querySelector('[data-testid=message-body]')!.textContent} ${e.getAttribute('data-status')}`))
async function write(page: Page, text: string): Promise<void> {
  await panel(page).locator('input#chat-text').fill(text)
  await panel(page).getByRole('button', { name: 'Send' }).click()
}
/** opens the conversation with `uri` from the list on the home view */
const open = (page: Page, uri: string) => page.getByTestId(`chat-${uri}`).getByRole('button').click()
const state = (page: Page) => page.getByTestId('call-state').textContent()

beforeAll(async () => {
  sim = await startPool({ events: 'link-only' })
  for (const name of ['alice', 'bob', 'carol']) {
    clients[name] = await launchClient({
      // the pool's unit speaks sfb2015, as the app configures itself for its demo pool (main/browser.ts): escalations go through the bridge
      core: await testCore({ demo: demoPoolOf(sim), conferenceUnitDialect: 'sfb2015' }),
      beforeLoad: (context) => context.grantPermissions(['camera', 'microphone']),
    })
    await signInAs(clients[name].page, name, sim.url)
  }
}, 90_000)
closeAfterAll(clients, () => sim)

describe('chats in Chromium', () => {
  it('a chat from a contact: invitation with its unread count, accepted; typing shown; replies both ways', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    await alice.getByRole('button', { name: 'Chat with Bob Brennan' }).click()
    await write(alice, 'Got a minute?')
    await expect.poll(() => panel(alice).getAttribute('data-state'), poll).toBe('inviting')
    await expect.poll(() => bob.getByTestId('chat-sip:alice@contoso.test').getByTestId('chat-unread').textContent(), poll).toBe('1')
    expect(await bob.getByTestId('unread-total').textContent()).toBe('1 unread')
    await open(bob, 'sip:alice@contoso.test')
    await expect.poll(() => messages(bob), poll).toEqual(['incoming Got a minute? delivered'])
    await expect.poll(() => bob.getByTestId('unread-total').count(), poll).toBe(0)
    await panel(bob).getByRole('button', { name: 'Accept' }).click()
    for (const p of [alice, bob]) await expect.poll(() => panel(p).getAttribute('data-state'), poll).toBe('connected')
    await expect.poll(() => messages(alice), poll).toEqual(['outgoing Got a minute? delivered'])

    await panel(bob).locator('input#chat-text').pressSequentially('Sure')
    await expect.poll(() => panel(alice).getByTestId('chat-typing').textContent(), poll).toBe('Bob Brennan is typing…')
    await panel(bob).getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => messages(alice), poll).toEqual(['outgoing Got a minute? delivered', 'incoming Sure delivered'])
    await expect.poll(() => panel(alice).getByTestId('chat-typing').textContent(), poll).toBe('')
    await write(alice, 'see https://example.com/spec please')
    await expect.poll(() => panel(bob).locator('a[href="https://example.com/spec"]').count(), poll).toBe(1)
    await screenshot(alice, 'chat')
  }, 60_000)

  it('chat → video call → chat: the call starts from the chat, the chat stays beside it, and goes on after the hang-up', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    await panel(alice).getByRole('button', { name: 'Video call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').textContent(), poll).toContain('Alice Ahlberg is calling')
    await bob.getByRole('button', { name: 'Accept with video' }).click()
    for (const p of [alice, bob]) await expect.poll(() => state(p), poll).toMatch(/^Connected/)
    await expect.poll(() => panel(alice).isVisible(), poll).toBe(true) // the chat stays open beside the call
    await write(alice, 'during the call')
    await expect.poll(async () => (await messages(bob)).at(-1), poll).toBe('incoming during the call delivered')
    await screenshot(alice, 'chat-in-call')
    await alice.getByRole('button', { name: 'Hang up' }).click()
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('call-view').count(), poll).toBe(0)
    await write(bob, 'after the call')
    await expect.poll(async () => (await messages(alice)).at(-1), poll).toBe('incoming after the call delivered')
    for (const p of [alice, bob]) expect(await panel(p).getAttribute('data-state')).toBe('connected')
  }, 60_000)

  it('a message the pool fails to deliver is shown failed; Retry delivers it once', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!.page]
    sim.control.failMessageDelivery('bob@contoso.test')
    await write(alice, 'did this arrive?')
    await expect.poll(() => panel(alice).getByTestId('message-failed').textContent(), poll).toMatch(/^Not delivered: /)
    await screenshot(alice, 'chat-failed')
    await panel(alice).getByTestId('message-failed').getByRole('button', { name: 'Retry' }).click()
    await expect.poll(async () => (await messages(alice)).at(-1), poll).toBe('outgoing did this arrive? delivered')
    await expect.poll(async () => (await messages(bob)).filter((m) => m.includes('did this arrive?')), poll).toEqual(['incoming did this arrive? delivered'])
  }, 60_000)

  it('hostile HTML from another client is shown inert', async () => {
    const [alice, bob] = [clients.alice!.page, clients.bob!]
    await alice.evaluate(() => ((window as unknown as { pwned: number }).pwned = 0))
    // Bob's client as any other UCWA client could write: straight to the pool
    const http = bob.core.client.http
    const list = await http.get(bob.core.client.communicationLink('conversations'))
    let send = ''
    for (const c of list.embedded.conversation ?? []) {
      const messaging = await http.get(link(c, 'messaging')!)
      if (messaging.props.state === 'Connected') send = link(messaging, 'sendMessage')!
    }
    const hostile = '<b>bold</b><img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:window.pwned=3">click</a><svg onload="window.pwned=4"></svg>'
    await http.post(send, hostile, { type: 'html', query: { operationId: 'hostile' } })
    await expect.poll(async () => (await messages(alice)).at(-1), poll).toBe('incoming boldclick delivered')
    const last = panel(alice).getByTestId('message-body').last()
    expect(await last.innerHTML()).toBe('<b>bold</b><a>click</a>')
    await last.locator('a').click()
    expect(await alice.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0)
    expect(alice.context().pages()).toHaveLength(1) // nothing opened
  }, 60_000)

  it('a declined chat: the person asking sees Declined and the first message not delivered', async () => {
    const [alice, carol] = [clients.alice!.page, clients.carol!.page]
    await panel(alice).getByRole('button', { name: 'Close the chat panel' }).click()
    await alice.getByRole('button', { name: 'Chat with Carol Castillo' }).click()
    await write(alice, 'lunch?')
    await expect.poll(() => carol.getByTestId('chat-sip:alice@contoso.test').getAttribute('data-state'), poll).toBe('invited')
    await open(carol, 'sip:alice@contoso.test')
    await panel(carol).getByRole('button', { name: 'Decline' }).click()
    await expect.poll(() => panel(alice).getByTestId('chat-state').textContent(), poll).toBe('Declined')
    expect(await messages(alice)).toEqual(['outgoing lunch? failed'])
    expect(await panel(alice).getByTestId('message-failed').textContent()).toMatch(/^Not delivered/)
    expect(await panel(alice).locator('input#chat-text').count()).toBe(0) // nothing more can be written to it
  }, 60_000)

  it('a chat one member starts inside a conference call reaches everyone in it without a click', async () => {
    const [alice, bob, carol] = [clients.alice!.page, clients.bob!.page, clients.carol!.page]
    await alice.getByRole('button', { name: 'Audio call Bob Brennan' }).click()
    await expect.poll(() => bob.getByTestId('incoming-call').count(), poll).toBe(1)
    await bob.getByRole('button', { name: 'Accept audio only' }).click()
    await expect.poll(() => state(alice), poll).toMatch(/^Connected/)
    await alice.getByRole('button', { name: 'Add people' }).click()
    await alice.getByRole('button', { name: 'Add Carol Castillo' }).click()
    await expect.poll(() => carol.getByTestId('incoming-call').count(), poll).toBe(1)
    await carol.getByRole('button', { name: 'Accept audio only' }).click()
    for (const p of [alice, bob, carol]) await expect.poll(() => state(p), { timeout: 30_000 }).toMatch(/^Conference/)
    // Alice starts the conference's chat; Bob and Carol are in it without a click (participantMessaging_ref.md)
    await alice.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Chat' }).click()
    for (const p of [alice, bob, carol]) {
      await expect.poll(() => panel(p).getAttribute('data-state'), poll).toBe('connected')
      expect(await panel(p).locator('h2').textContent()).toBe('Conference chat')
    }
    await write(alice, 'hello all')
    for (const p of [bob, carol]) await expect.poll(async () => (await messages(p)).at(-1), poll).toBe('incoming hello all delivered')
    await write(carol, 'hi!')
    for (const p of [alice, bob]) await expect.poll(async () => (await messages(p)).at(-1), poll).toBe('incoming hi! delivered')
    await screenshot(carol, 'chat-conference')
    await alice.getByRole('button', { name: 'Hang up' }).click()
  }, 90_000)
})
