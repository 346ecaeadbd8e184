// The call view's state line as the person reads it, with the real core behind the api.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import type { CallSnapshot } from '../../preload/contract'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
import { useSessionStore } from '../../renderer/src/stores/session'
import CallView from '../../renderer/src/views/CallView.vue'
import { testCore } from '../support/core'
import { inProcessBridge } from '../support/in-process-bridge'

let core: Core | undefined
afterEach(async () => core?.close())

const call = (over: Partial<CallSnapshot> = {}): CallSnapshot => ({
  id: 'c1',
  state: 'connected',
  direction: 'outgoing',
  remote: { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' },
  subject: '',
  participants: [],
  conference: false,
  startedAt: Date.now(),
  connectedAt: Date.now(),
  ...over,
})

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
})
