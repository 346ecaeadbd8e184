// The call view's state line as the person reads it, with the real core behind the api.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Core } from '../../main/core/core'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
import { media } from '../../renderer/src/media/engine'
import { refreshRemote } from '../../renderer/src/media/remote-streams'
import { useSessionStore } from '../../renderer/src/stores/session'
import CallView from '../../renderer/src/views/CallView.vue'
import { testCore } from '../support/core'
import { callSnapshot } from '../support/call-snapshot'
import { inProcessBridge } from '../support/in-process-bridge'

let core: Core | undefined
afterEach(async () => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  await core?.close()
})

const call = callSnapshot

describe('call view', () => {
  it('says Connected, On hold, who put it on hold, and Reconnecting while the pool cannot reach us', async () => {
    core = await testCore()
    setApi(createApi(inProcessBridge(core)))
    setActivePinia(createPinia())
    const session = useSessionStore()
    session.info = { state: 'signed-in', user: { name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' }, error: null }
    const view = mount(CallView, { props: { call: call() } })
    const text = () => view.get('[data-testid=call-state]').text()
    expect(text()).toMatch(/^Connected/)
    expect(view.find('[data-testid=hold-banner]').exists()).toBe(false)
    await view.setProps({ call: call({ held: true }) })
    expect(text()).toMatch(/^On hold/)
    // plain on the picture too, on both sides
    expect(view.get('[data-testid=hold-banner]').text()).toBe('On hold. Resume to talk again.')
    await view.setProps({ call: call({ remoteHeld: true }) })
    expect(text()).toMatch(/^Bob Brennan put the call on hold/)
    expect(view.get('[data-testid=hold-banner]').text()).toBe('Bob Brennan put the call on hold. You cannot hear each other.')
    session.info = { ...session.info, state: 'reconnecting' }
    await flushPromises()
    expect(text()).toMatch(/^Reconnecting…/)
    session.info = { ...session.info, state: 'signed-in' }
    await flushPromises()
    expect(text()).toMatch(/^Bob Brennan put the call on hold/)
    view.unmount()
  })

  it('names a conference by the people in it', async () => {
    core = await testCore()
    setApi(createApi(inProcessBridge(core)))
    setActivePinia(createPinia())
    const carol = { name: 'Carol Castillo', uri: 'sip:carol@contoso.test' }
    const view = mount(CallView, { props: { call: call({ state: 'conference', conference: true }) } })
    expect(view.get('#call-title').text()).toBe('Conference') // before the roster arrives
    await view.setProps({ call: call({ state: 'conference', conference: true, participants: [{ name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }, carol] }) })
    expect(view.get('#call-title').text()).toBe('Bob Brennan and Carol Castillo')
    view.unmount()
  })

  it("names each conference picture by whose it is, reading each stream's contributing sources once per tick", async () => {
    core = await testCore()
    setApi(createApi(inProcessBridge(core)))
    setActivePinia(createPinia())
    // a conference connection with two slots: the conference stamps Bob's picture with 301, Carol's with 302 (their CSRC)
    const reads: number[] = []
    const slot = (source: number) => ({
      currentDirection: 'recvonly',
      receiver: { track: { kind: 'video', muted: false }, getContributingSources: () => (reads.push(source), [{ source, timestamp: 1_000 }]) },
    })
    const m = media.media('c9')
    m.conference = { connectionState: 'closed', getTransceivers: () => [slot(301), slot(302)] } as unknown as RTCPeerConnection
    refreshRemote(m)
    const people = [
      { name: 'Bob Brennan', uri: 'sip:bob@contoso.test', videoSource: 301 },
      { name: 'Carol Castillo', uri: 'sip:carol@contoso.test', videoSource: 302 },
    ]
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const view = mount(CallView, { props: { call: call({ id: 'c9', state: 'conference', conference: true, participants: people }) } })
    expect(reads).toEqual([]) // nothing read before the first tick
    vi.advanceTimersByTime(1_000)
    await flushPromises()
    expect(reads.sort()).toEqual([301, 302]) // one reading of each stream in that tick
    expect(view.findAll('[data-testid=remote-tile]').map((t) => t.attributes('data-name'))).toEqual(['Bob Brennan', 'Carol Castillo'])
    vi.advanceTimersByTime(1_000)
    expect(reads).toHaveLength(4)
    view.unmount()
    media.calls.delete('c9')
  })
})
