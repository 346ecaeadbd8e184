// New-message notifications (main/desktop/message-alerts.ts) and the tray's unread count (desktop-state.ts, tray-state.ts).
import { describe, expect, it } from 'vitest'
import { EventHub } from '../../main/core/event-hub'
import { DesktopState } from '../../main/desktop/desktop-state'
import { MessageAlerts } from '../../main/desktop/message-alerts'
import type { Availability, ChatMessage, ChatSnapshot } from '../../preload/contract'

const msg = (id: string, text: string, direction: ChatMessage['direction'] = 'incoming'): ChatMessage => ({
  id,
  direction,
  author: direction === 'incoming' ? { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' } : { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' },
  time: 0,
  content: { format: 'text', text },
  status: 'delivered',
})
const chat = (id: string, messages: ChatMessage[], unread = messages.filter((m) => m.direction === 'incoming').length): ChatSnapshot => ({
  id,
  state: 'connected',
  direction: 'outgoing',
  remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' },
  messages,
  typing: [],
  unread,
  conference: false,
  startedAt: 0,
  lastActivity: 0,
})

function setup(o: { focused?: boolean; availability?: Availability } = {}) {
  const shown: string[] = []
  const state = { focused: o.focused ?? false, availability: o.availability ?? ('Online' as Availability) }
  const alerts = new MessageAlerts({
    notifier: { info: (a, on) => (shown.push(`${a.id} ${a.title}: ${a.body}`), on.open()) },
    focused: () => state.focused,
    availability: () => state.availability,
    open: (chatId) => shown.push(`open ${chatId}`),
  })
  return { alerts, shown, state }
}

describe('new-message notifications', () => {
  it('each new incoming message while the window is not focused, once; mine never; clicking shows the window', () => {
    const t = setup()
    t.alerts.update(chat('c1', [msg('m1', 'Got a minute?')]))
    t.alerts.update(chat('c1', [msg('m1', 'Got a minute?')])) // the same snapshot again (a status change): nothing new
    t.alerts.update(chat('c1', [msg('m1', 'Got a minute?'), msg('m2', 'mine', 'outgoing')]))
    t.alerts.update(chat('c1', [msg('m1', 'Got a minute?'), msg('m2', 'mine', 'outgoing'), msg('m3', 'Sure')]))
    expect(t.shown).toEqual(['chat-c1 Bob Brennan: Got a minute?', 'open c1', 'chat-c1 Bob Brennan: Sure', 'open c1'])
  })

  it('silent while the window has the focus, and in Busy or Do not disturb; messages seen then do not come back later', () => {
    for (const o of [{ focused: true }, { availability: 'Busy' as const }, { availability: 'DoNotDisturb' as const }]) {
      const t = setup(o)
      t.alerts.update(chat('c1', [msg('m1', 'hello')]))
      expect(t.shown).toEqual([])
      Object.assign(t.state, { focused: false, availability: 'Online' })
      t.alerts.update(chat('c1', [msg('m1', 'hello'), msg('m2', 'again')]))
      expect(t.shown).toEqual(['chat-c1 Bob Brennan: again', 'open c1'])
    }
  })

  it('the tray counts unread messages over every chat while signed in, and redraws when the count changes', () => {
    const events = new EventHub()
    let redraws = 0
    const seen: string[] = []
    const state = new DesktopState({ events }, () => {}, () => redraws++, (c) => seen.push(c.id))
    events.emit('session.changed', { state: 'signed-in', user: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, error: null })
    expect(state.tray(true).tooltip).toBe('Parley — Alice Ahlberg · Available')
    events.emit('chats.changed', chat('c1', [msg('m1', 'a')]))
    events.emit('chats.changed', chat('c2', [msg('m2', 'b'), msg('m3', 'c')]))
    expect(state.tray(true).tooltip).toBe('Parley — Alice Ahlberg · Available · 3 unread messages')
    const before = redraws
    events.emit('chats.changed', chat('c2', [msg('m2', 'b'), msg('m3', 'c')])) // same count: no redraw
    expect(redraws).toBe(before)
    events.emit('chats.changed', chat('c2', [msg('m2', 'b'), msg('m3', 'c')], 0))
    expect(state.tray(true).tooltip).toBe('Parley — Alice Ahlberg · Available · 1 unread message')
    expect(redraws).toBe(before + 1)
    expect(seen).toEqual(['c1', 'c2', 'c2', 'c2'])
    events.emit('session.changed', { state: 'signed-out', user: null, error: null })
    events.emit('session.changed', { state: 'signed-in', user: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, error: null })
    expect(state.tray(true).tooltip).toBe('Parley — Alice Ahlberg · Available') // another sign-in starts with none
  })
})
