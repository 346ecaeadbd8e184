import { describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { EventHub } from '../../main/core/event-hub'
import { linkFromArgv, parseDeepLink } from '../../main/desktop/deep-link'
import { DesktopState, onTrayCommand } from '../../main/desktop/desktop-state'
import { redact, redactValue } from '../../main/desktop/redact'
import { trayView } from '../../main/desktop/tray-state'
import type { CallSnapshot, SessionInfo } from '../../preload/contract'

describe('log redaction', () => {
  it('masks tokens, passwords, ICE credentials and fingerprints', () => {
    const line = redact('GET /x Authorization: Bearer cwt=AAEBabc123 body grant_type=password&username=a&password=hunter2 {"password":"p@ss"}')
    expect(line).not.toMatch(/AAEBabc123|hunter2|p@ss/)
    const sdp = redact('a=ice-ufrag:Abcd\r\na=ice-pwd:secretpassword123\r\na=fingerprint:sha-256 AB:CD:EF:01\r\n')
    expect(sdp).toBe('a=ice-ufrag:[redacted]\r\na=ice-pwd:[redacted]\r\na=fingerprint:sha-256 [redacted]\r\n')
    expect(redactValue({ accessToken: 'cwt=x', nested: ['Bearer abc'], password: 'pw', ok: 1 })).toEqual({ accessToken: '[redacted]', nested: ['Bearer [redacted]'], password: '[redacted]', ok: 1 })
  })
})

describe('deep links', () => {
  it('accepts sip:, tel: and parley: call links', () => {
    expect(parseDeepLink('sip:Bob@Contoso.com')).toEqual({ kind: 'call', to: 'sip:bob@contoso.com', scheme: 'sip' })
    expect(parseDeepLink('tel:+1 (425) 555-0100')).toEqual({ kind: 'call', to: 'tel:+14255550100', scheme: 'tel' })
    expect(parseDeepLink('parley://call?to=sip%3Aalice%40contoso.test')).toEqual({ kind: 'call', to: 'sip:alice@contoso.test', scheme: 'parley' })
    expect(linkFromArgv(['/opt/Parley/parley', '--no-sandbox', 'sip:carol@contoso.test'])?.to).toBe('sip:carol@contoso.test')
  })

  it('refuses hostile or odd input', () => {
    for (const bad of [
      'javascript:alert(1)',
      'sip:bob@contoso.com;transport=tcp',
      'sip:bob@contoso.com?Subject=x',
      'sip:<script>@x.com',
      'sip:bob@contoso.com\nrm -rf /',
      'tel:123abc',
      'tel:+',
      'parley://settings?reset=1',
      'file:///etc/passwd',
      `sip:${'a'.repeat(600)}@x.com`,
      'sip:%E0%A4%A@x.com',
      'sip:bob@-',
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull()
    }
    expect(linkFromArgv(['parley', '--flag', 'not-a-link'])).toBeNull()
  })
})

const session = (state: SessionInfo['state']): SessionInfo => ({ state, user: state === 'signed-in' || state === 'reconnecting' ? { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' } : null, error: null })
const call = (state: CallSnapshot['state'], conference = false): CallSnapshot => ({
  id: state,
  state,
  direction: state === 'ringing' ? 'incoming' : 'outgoing',
  remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' },
  subject: '',
  participants: [],
  conference,
  startedAt: 0,
})

describe('tray state', () => {
  it('has an icon and tooltip for every session and call state', () => {
    const v = (s: SessionInfo['state'], calls: CallSnapshot[] = []) => trayView({ session: session(s), calls, windowVisible: true })
    expect(v('signed-out')).toMatchObject({ icon: 'signed-out', tooltip: 'Parley — signed out', flashing: false })
    expect(v('signed-in')).toMatchObject({ icon: 'available', tooltip: 'Parley — Alice Ahlberg' })
    expect(v('reconnecting', [call('connected')])).toMatchObject({ icon: 'reconnecting' })
    expect(v('signed-in', [call('ringing')])).toMatchObject({ icon: 'incoming', flashing: true, tooltip: 'Parley — Bob Brennan is calling' })
    for (const s of ['preparing', 'calling', 'early-media', 'answering', 'connected', 'escalating'] as const) expect(v('signed-in', [call(s)]).icon, s).toBe('busy')
    expect(v('signed-in', [call('conference', true)]).tooltip).toBe('Parley — in a call with a conference')
    const menu = v('signed-in', [call('connected')]).menu
    expect(menu.find((m) => m.id === 'hang-up')?.enabled).toBe(true)
    expect(v('signed-out').menu.find((m) => m.id === 'presence-busy')?.enabled).toBe(false)
    expect(trayView({ session: session('signed-in'), calls: [], windowVisible: false }).menu[0]).toMatchObject({ id: 'show' })
  })

  it('says whether I am muted in the current call, and offers the opposite', () => {
    const v = (audioMuted: boolean) => trayView({ session: session('signed-in'), calls: [{ ...call('connected'), audioMuted }], windowVisible: true })
    expect(v(false).menu.find((m) => m.id === 'mute')?.label).toBe('Mute')
    expect(v(true).menu.find((m) => m.id === 'mute')?.label).toBe('Unmute')
    expect(v(true).tooltip).toBe('Parley — in a call with Bob Brennan (muted)')
  })
})

describe('desktop state and tray commands', () => {
  function setup() {
    const events = new EventHub()
    const dispatched: Array<[string, unknown]> = []
    const core = { events, dispatch: (async (name: string, input: unknown) => (dispatched.push([name, input]), { ok: true, value: null })) as unknown as Core['dispatch'] }
    const pushed: Array<[string, unknown]> = []
    events.subscribe((name, payload) => pushed.push([name, payload]))
    let redraws = 0
    const alerted: string[] = []
    const state = new DesktopState(core, (c) => alerted.push(`${c.id}:${c.state}`), () => redraws++)
    const done: string[] = []
    const actions = { show: () => done.push('show'), hide: () => done.push('hide'), quit: () => done.push('quit'), checkForUpdates: () => done.push('check') }
    return { events, core, dispatched, pushed, state, actions, done, alerted, redraws: () => redraws }
  }

  it('follows session and calls: the tray redraws, alerts see every call, mute shows what the renderer reported', () => {
    const t = setup()
    t.events.emit('session.changed', session('signed-in'))
    t.events.emit('calls.changed', call('ringing'))
    expect(t.state.tray(true).icon).toBe('incoming')
    expect(t.state.inCall).toBe(false) // a ringing call is not one you are in: updates may still install
    t.events.emit('calls.changed', { ...call('connected'), id: 'ringing', audioMuted: true })
    expect(t.state.inCall).toBe(true)
    expect(t.state.tray(true).menu.find((m) => m.id === 'mute')?.label).toBe('Unmute')
    t.events.emit('calls.changed', { ...call('ended'), id: 'ringing' })
    expect(t.state.tray(true).icon).toBe('available')
    expect(t.alerted).toEqual(['ringing:ringing', 'ringing:connected', 'ringing:ended'])
    expect(t.redraws()).toBe(4)
  })

  it('tray items: mute goes to the renderer, hang-up ends the call you are in (not one ringing), presence and window actions', () => {
    const t = setup()
    onTrayCommand('hang-up', t.core, t.state, t.actions)
    expect(t.dispatched).toEqual([]) // no call: nothing to hang up
    t.events.emit('calls.changed', call('ringing'))
    t.events.emit('calls.changed', { ...call('connected'), id: 'mine' })
    onTrayCommand('hang-up', t.core, t.state, t.actions)
    onTrayCommand('mute', t.core, t.state, t.actions)
    onTrayCommand('presence-dnd', t.core, t.state, t.actions)
    expect(t.dispatched).toEqual([
      ['calls.hangUp', { callId: 'mine' }],
      ['presence.set', { availability: 'DoNotDisturb' }],
    ])
    expect(t.pushed.filter(([n]) => n === 'app.command')).toEqual([['app.command', { command: 'toggle-mute' }]])
    for (const id of ['show', 'hide', 'check-updates', 'quit'] as const) onTrayCommand(id, t.core, t.state, t.actions)
    expect(t.done).toEqual(['show', 'hide', 'check', 'quit'])
  })
})
