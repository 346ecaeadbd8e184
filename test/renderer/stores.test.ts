// Stores against the real core (in process) and the simulator: what the views rely on.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
import { useCallsStore } from '../../renderer/src/stores/calls'
import { useContactsStore } from '../../renderer/src/stores/contacts'
import { useSessionStore } from '../../renderer/src/stores/session'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { inProcessBridge } from '../support/in-process-bridge'

let core: Core | undefined
let sim: Simulator | undefined
afterEach(async () => {
  await core?.close()
  await sim?.close()
})

async function setup() {
  sim = await startSimulator()
  core = await testCore({ ucwa: { mediaTimeoutMs: 300 } })
  setApi(createApi(inProcessBridge(core)))
  setActivePinia(createPinia())
  const session = useSessionStore()
  await session.start()
  return session
}

const form = (over: Partial<{ sipAddress: string; password: string }> = {}) => ({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim!.url, ...over })

describe('session store', () => {
  it('shows the progress steps and ends signed in with the user', async () => {
    const session = await setup()
    const seen: Array<string | null> = []
    session.$subscribe(() => seen.push(session.progress))
    await session.signIn(form())
    expect(session.signedIn).toBe(true)
    expect(session.info.user?.name).toBe('Alice Ahlberg')
    expect(seen).toContain('Finding your server…')
    expect(seen).toContain('Setting up your session…')
  })

  it('puts the field’s message for a contract refusal and the pool’s for a wrong password', async () => {
    const session = await setup()
    await session.signIn(form({ sipAddress: 'no-at-sign' }))
    expect(session.formError).toBe('Enter an address like name@company.com')
    await session.signIn(form({ password: 'bad' }))
    expect(session.formError).toBe('The sign-in address or password is not right.')
    expect(session.signedIn).toBe(false)
  })

  it('follows my presence when the tray changes it', async () => {
    const session = await setup()
    await session.signIn(form())
    // the tray dispatches in main; the page hears it
    await core!.dispatch('presence.set', { availability: 'DoNotDisturb' })
    await expect.poll(() => session.availability).toBe('DoNotDisturb')
  })
})

describe('contacts and calls stores', () => {
  it('lists contacts with presence and searches', async () => {
    const session = await setup()
    await session.signIn(form())
    const contacts = useContactsStore()
    await contacts.load()
    expect(contacts.contacts.find((c) => c.name === 'Echo Test Service')?.availability).toBe('Online')
    await contacts.search('carol')
    expect(contacts.results.map((c) => c.uri)).toEqual(['sip:carol@contoso.test'])
  })

  it('a call whose media cannot be prepared (no media engine in this DOM) fails with a clear message and lands in recent calls', async () => {
    const session = await setup()
    await session.signIn(form())
    const calls = useCallsStore()
    await calls.start()
    await calls.call('sip:bob@contoso.test', false)
    expect(calls.error).toBe('Parley’s window did not prepare the call’s media in time.')
    expect(calls.active).toBeNull()
    expect(calls.recent[0]).toMatchObject({ remote: { uri: 'sip:bob@contoso.test' }, endReason: { subcode: 'MediaNegotiationTimeOut' } })
  })
})
