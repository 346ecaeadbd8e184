// The chat panel and the conversation list (issue #21) against a real core and the simulator: an invitation shown
// with its message and unread count, accepted; replies both ways; typing; a failed delivery shown with Retry; hostile
// HTML shown inert; a Web Notification in browser mode only while the page is not focused and I am not Busy.
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CallHistoryStore } from '../../main/core/call-history'
import { link } from '../../main/ucwa/resource'
import { useChatsStore } from '../../renderer/src/stores/chats'
import { useSessionStore } from '../../renderer/src/stores/session'
import { startSimulator } from '../simulator/index'
import { chatUser, type ChatUser } from '../support/chat-user'
import { appUnderTest } from '../support/app-under-test'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'

// registered before appUnderTest's: after hooks run last first, so this still runs after the core and simulator close
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})
const t = appUnderTest()

const poll = { timeout: 15_000 }

/** Alice's whole app, signed in; Bob a client of his own that starts a chat to her */
async function aliceAndBob(): Promise<{ app: VueWrapper; bob: ChatUser }> {
  t.sim = await startSimulator()
  t.core = await testCore()
  const app = await mountApp(t.core)
  await useSessionStore().signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: t.sim.url })
  const bob = await chatUser(t.sim, 'bob', t.cleanup)
  return { app, bob }
}

const see = (app: VueWrapper, selector: string) => async () => (await flushPromises(), app.find(selector).exists())
const texts = (app: VueWrapper) => app.findAll('[data-testid=chat-message]').map((m) => `${m.attributes('data-direction')} ${m.get('[data-testid=message-body]').text()} ${m.attributes('data-status')}`)

describe('chats in the window', () => {
  it('an invitation listed with its message and unread count; accepted in the panel; replies, typing, a failed delivery retried', async () => {
    const { app, bob } = await aliceAndBob()
    const mine = bob.chat()
    await mine.start('sip:alice@contoso.test', 'Got a minute?')
    await expect.poll(see(app, '[data-testid="chat-sip:bob@contoso.test"]'), poll).toBe(true)
    const row = app.get('[data-testid="chat-sip:bob@contoso.test"]')
    expect(row.attributes('data-state')).toBe('invited')
    expect(row.text()).toContain('Bob Brennan')
    expect(row.text()).toContain('wants to chat: Got a minute?')
    expect(row.get('[data-testid=chat-unread]').text()).toBe('1')
    expect(app.get('[data-testid=unread-total]').text()).toBe('1 unread')

    await app.get('[data-testid=unread-total]').trigger('click') // from the top bar, whatever view is shown
    await flushPromises()
    const panel = () => app.get('[data-testid=chat-panel]')
    expect(panel().get('h2').text()).toBe('Bob Brennan')
    expect(texts(app)).toEqual(['incoming Got a minute? delivered'])
    await expect.poll(see(app, '[data-testid=unread-total]'), poll).toBe(false) // shown: read
    await panel().findAll('button').find((b) => b.text() === 'Accept')!.trigger('click')
    await expect.poll(async () => (await flushPromises(), panel().attributes('data-state')), poll).toBe('connected')
    await expect.poll(() => mine.snapshot().state, poll).toBe('connected')

    await panel().get('input#chat-text').setValue('Sure, what is up?')
    await panel().get('form').trigger('submit')
    await expect.poll(() => bob.chats[0]!.snapshot().messages.map((m) => m.content.text).at(-1), poll).toBe('Sure, what is up?')
    await expect.poll(async () => (await flushPromises(), texts(app).at(-1)), poll).toBe('outgoing Sure, what is up? delivered')

    expect(await mine.typing()).toBe(true)
    await expect.poll(async () => (await flushPromises(), panel().get('[data-testid=chat-typing]').text()), poll).toBe('Bob Brennan is typing…')
    await mine.send('the build is red')
    await expect.poll(async () => (await flushPromises(), texts(app).at(-1)), poll).toBe('incoming the build is red delivered')
    await expect.poll(async () => (await flushPromises(), panel().get('[data-testid=chat-typing]').text()), poll).toBe('') // the message ended the typing

    t.sim!.control.failMessageDelivery('bob@contoso.test')
    await panel().get('input#chat-text').setValue('looking')
    await panel().get('form').trigger('submit')
    await expect.poll(see(app, '[data-testid=message-failed]'), poll).toBe(true)
    expect(app.get('[data-testid=message-failed]').text()).toMatch(/^Not delivered: .+Retry$/)
    await app.get('[data-testid=message-failed] button').trigger('click')
    await expect.poll(async () => (await flushPromises(), texts(app).at(-1)), poll).toBe('outgoing looking delivered')
    expect(app.find('[data-testid=message-failed]').exists()).toBe(false)
    expect(bob.chats[0]!.snapshot().messages.filter((m) => m.content.text === 'looking')).toHaveLength(1)
  }, 60_000)

  it('hostile HTML from another client is shown inert: no script, image, handler or javascript: link in the page', async () => {
    const { app, bob } = await aliceAndBob()
    const mine = bob.chat()
    await mine.start('sip:alice@contoso.test', 'hi')
    await expect.poll(see(app, '[data-testid="chat-sip:bob@contoso.test"] button'), poll).toBe(true)
    await app.get('[data-testid="chat-sip:bob@contoso.test"] button').trigger('click')
    await flushPromises()
    await app.get('[data-testid=chat-panel]').findAll('button').find((b) => b.text() === 'Accept')!.trigger('click')
    await expect.poll(() => mine.snapshot().state, poll).toBe('connected')
    const conversation = await bob.client.http.get(mine.snapshot().conversation!)
    const send = link(await bob.client.http.get(link(conversation, 'messaging')!), 'sendMessage')!
    const hostile = '<b>bold</b><img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:window.pwned=3">x</a><a href="https://ok.example/" onclick="window.pwned=4">ok</a>'
    await bob.client.http.post(send, hostile, { type: 'html', query: { operationId: 'raw' } })
    await expect.poll(async () => (await flushPromises(), app.findAll('[data-testid=chat-message]').length), poll).toBe(2)
    const body = app.findAll('[data-testid=message-body]')[1]!
    expect(body.html()).not.toMatch(/script|img|onerror|onclick|javascript/i)
    expect(body.get('b').text()).toBe('bold')
    expect(body.findAll('a').map((a) => a.attributes('href') ?? null)).toEqual([null, 'https://ok.example/'])
    // a link opens outside the app (window.open, which Electron hands to the browser), never in this page
    const opened = vi.spyOn(window, 'open').mockReturnValue(null)
    for (const a of body.findAll('a')) await a.trigger('click')
    expect(opened.mock.calls).toEqual([['https://ok.example/', '_blank', 'noopener,noreferrer']])
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined()
    // the desktop app's notification for it was clicked: main asks the window to show that chat
    await app.get('[data-testid=chat-panel] button[aria-label="Close the chat panel"]').trigger('click')
    expect(app.find('[data-testid=chat-panel]').exists()).toBe(false)
    t.core!.events.emit('chats.open', { chatId: useChatsStore().recent[0]!.id })
    await flushPromises()
    expect(app.get('[data-testid=chat-panel] h2').text()).toBe('Bob Brennan')
  }, 60_000)

  it('a Web Notification for a new message in browser mode (permission asked once) while the page is not focused; none while Busy', async () => {
    const shown: Array<{ title: string; body?: string }> = []
    vi.stubGlobal(
      'Notification',
      class {
        // not asked yet: the first new message asks the person, who allows it
        static permission = 'default'
        static requestPermission = async () => (this.permission = 'granted')
        onclick: (() => void) | null = null
        constructor(title: string, o: { body?: string }) {
          shown.push({ title, body: o.body })
        }
      },
    )
    const { app, bob } = await aliceAndBob()
    const focused = vi.spyOn(document, 'hasFocus').mockReturnValue(false)
    const mine = bob.chat()
    await mine.start('sip:alice@contoso.test', 'first')
    await expect.poll(() => shown, poll).toEqual([{ title: 'Bob Brennan', body: 'first' }])
    await app.get('[data-testid="chat-sip:bob@contoso.test"] button').trigger('click')
    await flushPromises()
    await app.get('[data-testid=chat-panel]').findAll('button').find((b) => b.text() === 'Accept')!.trigger('click')
    await expect.poll(() => mine.snapshot().state, poll).toBe('connected')
    await useSessionStore().setAvailability('Busy')
    await mine.send('while busy')
    await expect.poll(async () => (await flushPromises(), texts(app).at(-1)), poll).toBe('incoming while busy delivered')
    await useSessionStore().setAvailability('Online')
    focused.mockReturnValue(true)
    await mine.send('while looking')
    await expect.poll(async () => (await flushPromises(), texts(app).at(-1)), poll).toBe('incoming while looking delivered')
    expect(shown).toEqual([{ title: 'Bob Brennan', body: 'first' }])
  }, 60_000)

  it('conversations of earlier sessions are listed from the call history; one opens a new chat with that person', async () => {
    t.sim = await startSimulator()
    const dir = await mkdtemp(join(tmpdir(), 'parley-chats-'))
    const saved = new CallHistoryStore(dir)
    await saved.open('sip:alice@contoso.test')
    const at = new Date(2026, 10, 20, 9, 30).getTime()
    await saved.addConversations([{ id: 'old', remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }, conference: false, startedAt: at, lastActivity: at, messages: 3 }])
    t.core = await testCore({ historyDir: dir })
    const app = await mountApp(t.core)
    expect(app.find('[data-testid=chats-earlier]').exists()).toBe(false) // nobody signed in: nobody's conversations
    await useSessionStore().signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: t.sim.url })
    await expect.poll(see(app, '[data-testid=chats-earlier]'), poll).toBe(true)
    const row = app.get('[data-testid=chats-earlier] button')
    expect(row.text()).toMatch(/^Bob Brennan\s*3 messages · \S+/)
    await row.trigger('click')
    await flushPromises()
    expect(app.get('[data-testid=chat-panel]').attributes('data-state')).toBe('draft')
    expect(app.get('[data-testid=chat-panel] h2').text()).toBe('Bob Brennan')
  }, 30_000)
})
