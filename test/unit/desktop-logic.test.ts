import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { EventHub } from '../../main/core/event-hub'
import { LINK_SCHEMES, LinkInbox, linkFromArgv, parseDeepLink } from '../../main/desktop/deep-link'
import { DesktopState, onTrayCommand } from '../../main/desktop/desktop-state'
import { redact, redactValue } from '../../main/desktop/redact'
import { trayView, type MyAvailability, type TrayIcon } from '../../main/desktop/tray-state'
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
  it('accepts sip: and parley: call links', () => {
    expect(parseDeepLink('sip:Bob@Contoso.com')).toEqual({ kind: 'call', to: 'sip:bob@contoso.com', scheme: 'sip' })
    expect(parseDeepLink('parley://call?to=sip%3Aalice%40contoso.test')).toEqual({ kind: 'call', to: 'sip:alice@contoso.test', scheme: 'parley' })
    expect(linkFromArgv(['/opt/Parley/parley', '--no-sandbox', 'sip:carol@contoso.test'])?.to).toBe('sip:carol@contoso.test')
  })

  it('takes a SIP URI with parameters, headers or a port by its address (RFC 3261 §19.1.1)', () => {
    for (const uri of [
      'sip:bob@contoso.com;transport=tls',
      'sip:bob@contoso.com?subject=x',
      'sip:bob@contoso.com?Subject=Budget%20review&Priority=urgent',
      'sip:bob@contoso.com;transport=tcp;maddr=10.0.0.1?subject=x',
      'sip:bob@contoso.com:5061;transport=tls',
      'SIP:Bob@Contoso.com',
    ]) {
      expect(parseDeepLink(uri)?.to, uri).toBe('sip:bob@contoso.com')
    }
  })

  it('reads each form the OSes and browsers hand over', () => {
    // Windows: the registry's "Parley.exe" "%1" (first start), and a protocol URL with the trailing slash Windows may add
    expect(linkFromArgv(['C:\\Program Files\\Parley\\Parley.exe', 'sip:bob@contoso.com'])?.to).toBe('sip:bob@contoso.com')
    expect(linkFromArgv(['C:\\Parley\\Parley.exe', 'parley://call/bob@contoso.com/'])?.to).toBe('sip:bob@contoso.com')
    // second-instance: Chromium puts its own switches into the argv it hands the running instance
    expect(linkFromArgv(['C:\\Parley\\Parley.exe', '--allow-file-access-from-files', '--original-process-start-time=1', 'sip:bob@contoso.com;transport=tls'])?.to).toBe('sip:bob@contoso.com')
    // development: electron . <link>
    expect(linkFromArgv(['/usr/lib/electron/electron', '/home/me/parley', 'sip:bob@contoso.com'])?.to).toBe('sip:bob@contoso.com')
    // Linux desktop entry %U: a browser may percent-encode the address, or pass sip://
    expect(parseDeepLink('sip:bob%40contoso.com')?.to).toBe('sip:bob@contoso.com')
    expect(parseDeepLink('sip://bob@contoso.com')?.to).toBe('sip:bob@contoso.com')
    expect(parseDeepLink('parley://call/?to=sip:bob@contoso.com&subject=x')?.to).toBe('sip:bob@contoso.com')
    expect(parseDeepLink('parley://call/sip%3Abob%40contoso.com')?.to).toBe('sip:bob@contoso.com')
  })

  it('a meeting link: https://meet.… as clicked or pasted, or parley://meet?url=…; anything meeting-url.ts refuses is refused', () => {
    const url = 'https://meet.contoso.test/alice/AB12CD34'
    expect(parseDeepLink(url)).toEqual({ kind: 'meeting', url, scheme: 'https' })
    expect(parseDeepLink(`parley://meet?url=${encodeURIComponent(url)}`)).toEqual({ kind: 'meeting', url, scheme: 'parley' })
    expect(linkFromArgv(['/opt/Parley/parley', 'https://lync.contoso.test/meet/alice/AB12CD34?sl=1'])).toMatchObject({ kind: 'meeting' })
    for (const bad of ['https://dialin.contoso.test/', 'https://www.contoso.test/alice/AB12CD34', 'https://meet.contoso.test/alice', 'parley://meet?url=http%3A%2F%2Fmeet.contoso.test%2Falice%2FAB12CD34', 'http://meet.contoso.test/alice/AB12CD34']) {
      expect(parseDeepLink(bad), bad).toBeNull()
    }
  })

  it('macOS: a link that starts the app (open-url before ready) is held, then delivered in order', () => {
    const inbox = new LinkInbox()
    expect(inbox.receive('sip:bob@contoso.com?subject=x')).toBe(true)
    expect(inbox.receive('javascript:alert(1)')).toBe(false)
    const got: string[] = []
    inbox.open((l) => got.push(l.kind === 'call' ? l.to : l.url))
    expect(got).toEqual(['sip:bob@contoso.com'])
    inbox.receive('parley://call?to=carol%40contoso.test')
    expect(got).toEqual(['sip:bob@contoso.com', 'sip:carol@contoso.test'])
  })

  it('tel: is neither accepted nor registered (a pool routes no phone number to an audio/video call to a contact)', async () => {
    expect(parseDeepLink('tel:+1 (425) 555-0100')).toBeNull()
    expect(parseDeepLink('tel:+14255550100')).toBeNull()
    expect(LINK_SCHEMES).toEqual(['sip', 'parley'])
    const yml = await readFile(resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')
    expect(yml).toMatch(/schemes: \[sip, parley\]/)
    expect(yml).toMatch(/mimeTypes: \[x-scheme-handler\/sip, x-scheme-handler\/parley\]/)
    expect(yml).not.toMatch(/\btel\b/)
  })

  it('refuses hostile or odd input', () => {
    for (const bad of [
      'javascript:alert(1)',
      'sip:<script>@x.com',
      'sip:bob@contoso.com\nrm -rf /',
      'sip:bob@contoso.com;transport=tls\nx',
      'sip:bob%0a@contoso.com',
      'sip:bob%20x@contoso.com',
      'sip:;transport=tls',
      'sip:?subject=x',
      'sips:bob@contoso.com',
      'tel:123abc',
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
    expect(v('signed-in')).toMatchObject({ icon: 'available', tooltip: 'Parley — Alice Ahlberg · Available' })
    expect(v('reconnecting', [call('connected')])).toMatchObject({ icon: 'reconnecting' })
    expect(v('signed-in', [call('ringing')])).toMatchObject({ icon: 'incoming', flashing: true, tooltip: 'Parley — Bob Brennan is calling' })
    for (const s of ['preparing', 'calling', 'early-media', 'answering', 'connected', 'escalating'] as const) expect(v('signed-in', [call(s)]).icon, s).toBe('busy')
    expect(v('signed-in', [call('conference', true)]).tooltip).toBe('Parley — in a call with a conference')
    const menu = v('signed-in', [call('connected')]).menu
    expect(menu.find((m) => m.id === 'hang-up')?.enabled).toBe(true)
    expect(v('signed-out').menu.find((m) => m.id === 'presence-busy')?.enabled).toBe(false)
    expect(trayView({ session: session('signed-in'), calls: [], windowVisible: false }).menu[0]).toMatchObject({ id: 'show' })
  })

  it('shows my presence in words on the icon and tooltip, all six in the menu with the current one ticked', () => {
    const v = (availability: MyAvailability, calls: CallSnapshot[] = []) => trayView({ session: session('signed-in'), calls, windowVisible: true, availability })
    const seen = (['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork'] as const).map((a) => [a, v(a).icon, v(a).tooltip])
    expect(seen).toEqual([
      ['Online', 'available', 'Parley — Alice Ahlberg · Available'],
      ['Busy', 'busy', 'Parley — Alice Ahlberg · Busy'],
      ['DoNotDisturb', 'dnd', 'Parley — Alice Ahlberg · Do not disturb'],
      ['BeRightBack', 'away', 'Parley — Alice Ahlberg · Be right back'],
      ['Away', 'away', 'Parley — Alice Ahlberg · Away'],
      ['Offwork', 'offwork', 'Parley — Alice Ahlberg · Off work'],
    ])
    const presence = v('DoNotDisturb').menu.filter((m) => m.id.startsWith('presence-'))
    expect(presence.map((m) => [m.label, m.checked, m.enabled])).toEqual([
      ['Available', false, true],
      ['Busy', false, true],
      ['Do not disturb', true, true],
      ['Be right back', false, true],
      ['Away', false, true],
      ['Off work', false, true],
    ])
    // in a call: Busy, unless I chose Do not disturb, which stays distinct
    expect(v('Online', [call('connected')]).icon).toBe('busy')
    expect(v('DoNotDisturb', [call('connected')])).toMatchObject({ icon: 'dnd', tooltip: 'Parley — in a call with Bob Brennan · Do not disturb' })
    // signed out: nothing ticked
    expect(trayView({ session: session('signed-out'), calls: [], windowVisible: true, availability: 'Busy' }).menu.some((m) => m.checked)).toBe(false)
  })

  it('every tray icon exists, in each size and as a macOS template', async () => {
    const icons = ['signed-out', 'available', 'busy', 'dnd', 'away', 'offwork', 'incoming', 'reconnecting'] satisfies TrayIcon[]
    for (const icon of icons) {
      for (const suffix of ['', '@2x', 'Template', 'Template@2x']) {
        const png = await readFile(resolve(import.meta.dirname, `../../build/icons/tray-${icon}${suffix}.png`))
        expect(png.subarray(1, 4).toString(), `${icon}${suffix}`).toBe('PNG')
      }
    }
    const dnd = await readFile(resolve(import.meta.dirname, '../../build/icons/tray-dnd.png'))
    expect(dnd.equals(await readFile(resolve(import.meta.dirname, '../../build/icons/tray-busy.png')))).toBe(false)
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
    // my presence changed (the page or the tray): the tray redraws with it
    t.events.emit('presence.changed', { availability: 'DoNotDisturb' })
    expect(t.redraws()).toBe(5)
    expect(t.state.tray(true)).toMatchObject({ icon: 'dnd', tooltip: 'Parley — Alice Ahlberg · Do not disturb' })
  })

  it('tray items: mute goes to the renderer, hang-up ends the call you are in (not one ringing), presence and window actions', () => {
    const t = setup()
    onTrayCommand('hang-up', t.core, t.state, t.actions)
    expect(t.dispatched).toEqual([]) // no call: nothing to hang up
    t.events.emit('calls.changed', call('ringing'))
    t.events.emit('calls.changed', { ...call('connected'), id: 'mine' })
    onTrayCommand('hang-up', t.core, t.state, t.actions)
    onTrayCommand('mute', t.core, t.state, t.actions)
    for (const id of ['presence-online', 'presence-busy', 'presence-dnd', 'presence-brb', 'presence-away', 'presence-offwork'] as const) onTrayCommand(id, t.core, t.state, t.actions)
    expect(t.dispatched).toEqual([
      ['calls.hangUp', { callId: 'mine' }],
      ...['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offwork'].map((availability) => ['presence.set', { availability }]),
    ])
    expect(t.pushed.filter(([n]) => n === 'app.command')).toEqual([['app.command', { command: 'toggle-mute' }]])
    for (const id of ['show', 'hide', 'check-updates', 'quit'] as const) onTrayCommand(id, t.core, t.state, t.actions)
    expect(t.done).toEqual(['show', 'hide', 'check', 'quit'])
  })
})
