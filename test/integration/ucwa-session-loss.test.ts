// A lost session ends its calls: for each way a session is lost without the person signing out, a ringing and
// a connected call end at once with that cause's typed reason; through the core, the ringing alert closes and
// the tray goes back to the session's icon.
import { describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../main/core/core'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { DesktopState } from '../../main/desktop/desktop-state'
import { IncomingCallAlerts } from '../../main/desktop/incoming-alerts'
import { MAX_MALFORMED_PAGES } from '../../main/ucwa/event-channel'
import type { CallSnapshot, SessionInfo } from '../../preload/contract'
import type { Simulator } from '../simulator/index'
import { connectedCall, engineUser, ringing, type EngineUser } from '../support/engine-user'
import { latestApp, useSessionTest } from '../support/session-test'
import { weriftRenderer } from '../support/werift-renderer'

const { cleanup, start } = useSessionTest()
let sim: Simulator

const appOf = (sip: string) => latestApp(sim, sip)

/** an event only the test makes: answers a parked P-GET so the next one meets the fault */
function poke(sip: string): void {
  const app = appOf(sip)
  app.emit({ rel: 'me', href: app.href('/me') }, { type: 'updated', link: { rel: 'note', href: `${app.href('/me/note')}?n=${Math.random()}` } })
}

/** this user's requests only: the others' channels must not take the fault */
const mine = (sip: string) => appOf(sip).id

/** others: the other side's calls end too (told by the client where the application stands, by the pool where it went) */
const causes: Array<{ cause: string; lose: (sip: string) => void; state: string; session: object; call: object; connected?: object; others: boolean }> = [
  {
    cause: 'the channel taken over (409 PGetReplaced)',
    lose: (sip) => (sim.control.fault({ kind: 'fail', resource: 'events', url: mine(sip), status: 409, code: 'Conflict', subcode: 'PGetReplaced', message: 'The existing P-GET was replaced.' }), poke(sip)),
    state: 'replaced',
    others: true,
    session: { code: 'Conflict', subcode: 'PGetReplaced' },
    call: { code: 'Conflict', subcode: 'PGetReplaced', message: 'Parley was opened somewhere else with this session, so the call ended.' },
  },
  {
    cause: `the channel unreadable ${MAX_MALFORMED_PAGES} times in a row`,
    // the first event answers the parked P-GET, the second is the one the spoiled pages carry
    lose: (sip) => (sim.control.fault({ kind: 'malform', resource: 'events', url: mine(sip), as: 'html', times: MAX_MALFORMED_PAGES }), poke(sip), poke(sip)),
    state: 'signed-out',
    others: true,
    session: { code: 'BadResponse', subcode: 'MalformedEvents' },
    call: { code: 'BadResponse', subcode: 'MalformedEvents', message: 'The server kept sending updates Parley could not read, so the call ended.' },
  },
  {
    cause: 'a refused token with no remembered password (401)',
    lose: (sip) => (sim.control.expireTokens(sip), poke(sip)),
    state: 'signed-out',
    others: false, // nothing can reach the pool without a token: the pool ends them when the application expires
    session: { code: 'Unauthorized', subcode: 'SignInRequired' },
    call: { code: 'Unauthorized', subcode: 'SignInRequired', message: 'Your sign-in expired, so the call ended. Sign in again.' },
  },
  {
    cause: 'the application gone and not recreatable (410 CannotRedirect)',
    lose: (sip) => void sim.control.loseApplication(sip),
    state: 'signed-out',
    others: true,
    session: { code: 'Gone', subcode: 'CannotRedirect' },
    // the calls end when the application goes, with the pool's reason for it
    call: { code: 'NotFound', subcode: 'InactiveApplicationExpired', message: 'The server lost this session, so the call ended.' },
    // the pool hangs up the connected call as it drops the application, and may say so on the channel first
    connected: { code: expect.stringMatching(/^(NotFound|Informational)$/), subcode: expect.stringMatching(/^(InactiveApplicationExpired|CallTerminated)$/) },
  },
]

describe('a lost session ends its calls', () => {
  it.each(causes)('$cause: a connected and a ringing call end with a typed reason', async ({ lose, state, session, call, connected, others }) => {
    sim = await start()
    const user = (name: string) => engineUser(sim, name, cleanup)
    const alice = await user('alice')
    const bob = await user('bob')
    const carol = await user('carol')
    const inCall = await connectedCall(alice, bob, 'bob@contoso.test')
    await carol.engine.start('alice@contoso.test')
    await expect.poll(() => ringing(alice)).toBeTruthy()
    const rung = ringing(alice)!.id
    await expect.poll(() => appOf('alice@contoso.test').channel.parked, { timeout: 10_000 }).toBe(true)

    lose('alice@contoso.test')
    await expect.poll(() => alice.client.state, { timeout: 10_000 }).toBe(state)
    expect(alice.client.lastError).toMatchObject(session)
    const ended = (u: EngineUser, id: string) => u.last((s) => s.id === id && s.state === 'ended')
    if (connected) expect(ended(alice, inCall.callId)?.endReason).toMatchObject(connected)
    else expect(ended(alice, inCall.callId)?.endReason).toEqual(call)
    expect(ended(alice, rung)?.endReason).toEqual(call)
    expect(alice.engine.list()).toEqual([])
    expect(alice.media.peers.has(inCall.callId)).toBe(false) // media closed
    if (others) {
      await expect.poll(() => bob.engine.list().length).toBe(0) // not left talking to nobody
      await expect.poll(() => carol.engine.list().length).toBe(0) // not left ringing nobody
    }
  })

  it('a call being placed as the session is lost: start() rejects with the typed reason and the callee is not left ringing', async () => {
    sim = await start()
    const alice = await engineUser(sim, 'alice', cleanup)
    const bob = await engineUser(sim, 'bob', cleanup)
    await expect.poll(() => appOf('alice@contoso.test').channel.parked).toBe(true)
    // the pool takes its time with the call: the session is lost meanwhile
    sim.control.fault({ kind: 'delay', resource: 'startAudioVideo', url: mine('alice@contoso.test'), ms: 800 })
    const placing = alice.engine.start('bob@contoso.test')
    const outcome = placing.then(
      () => null,
      (e: unknown) => e,
    )
    await expect.poll(() => sim.control.faults.fired.delay).toBe(1)
    sim.control.fault({ kind: 'fail', resource: 'events', url: mine('alice@contoso.test'), status: 409, code: 'Conflict', subcode: 'PGetReplaced' })
    poke('alice@contoso.test')
    await expect.poll(() => alice.client.state).toBe('replaced')
    expect(await outcome).toMatchObject({ name: 'UcwaError', code: 'Conflict', subcode: 'PGetReplaced' })
    expect(alice.engine.list()).toEqual([])
    await expect.poll(() => bob.seen.some((c) => c.state === 'ringing')).toBe(true) // the pool did place it
    await expect.poll(() => bob.engine.list().length).toBe(0) // and was told to cancel it
  })

  it('signing out is not a loss: calls hung up by the person end as such, not with a session reason', async () => {
    sim = await start()
    const alice = await engineUser(sim, 'alice', cleanup)
    const bob = await engineUser(sim, 'bob', cleanup)
    const { callId } = await connectedCall(alice, bob, 'bob@contoso.test')
    await alice.client.signOut()
    expect(alice.last((s) => s.id === callId)?.state).toBe('connected') // the core hangs up first; the client alone ends nothing
  })

  it('through the core: the ringing alert closes, the tray goes back to signed out, the page reads why', async () => {
    sim = await start()
    const core: Core = await createCore({ host: 'browser', version: '1.0.0', tokenStore: new MemoryTokenStore(), settingsFile: null, ucwa: { channel: { backoff: { baseMs: 5, capMs: 40 } } } })
    cleanup.push(() => core.close())
    weriftRenderer(core, 'alice')
    const log: string[] = []
    const alerts = new IncomingCallAlerts({
      notifier: { supportsActions: true, show: (a) => log.push(`show:${a.id}`), close: (id) => log.push(`close:${id}`), info: (a) => log.push(`info:${a.id}`) },
      window: { show: (a) => log.push(`window:${a.id}`), close: (id) => log.push(`window-close:${id}`) },
      mode: () => 'auto',
      doNotDisturb: () => false,
      accept: () => {},
      decline: () => {},
      focus: () => {},
    })
    const desktop = new DesktopState(core, (c) => alerts.update(c), () => {})
    const page: { session?: SessionInfo; calls: CallSnapshot[] } = { calls: [] }
    core.events.subscribe((name, payload) => {
      if (name === 'session.changed') page.session = payload as SessionInfo
      if (name === 'calls.changed') page.calls.push(payload as CallSnapshot)
    })
    const signIn = (await core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })) as { ok: boolean }
    expect(signIn.ok).toBe(true)
    const carol = await engineUser(sim, 'carol', cleanup)
    await carol.engine.start('alice@contoso.test')
    await expect.poll(() => desktop.tray(true).icon).toBe('incoming')
    const id = [...desktop.calls.keys()][0]!
    expect(log).toEqual([`show:${id}`])
    await expect.poll(() => appOf('alice@contoso.test').channel.parked, { timeout: 10_000 }).toBe(true)

    sim.control.fault({ kind: 'fail', resource: 'events', url: mine('alice@contoso.test'), status: 409, code: 'Conflict', subcode: 'PGetReplaced' })
    poke('alice@contoso.test')
    await expect.poll(() => desktop.tray(true).icon, { timeout: 10_000 }).toBe('signed-out')
    expect(desktop.tray(true).flashing).toBe(false)
    expect(log).toEqual([`show:${id}`, `close:${id}`])
    expect(desktop.calls.size).toBe(0)
    expect(page.session).toMatchObject({ state: 'replaced', error: { code: 'Conflict', subcode: 'PGetReplaced' } })
    expect(page.calls.at(-1)).toMatchObject({ id, state: 'ended', endReason: { subcode: 'PGetReplaced' } })
  })
})
