// The call history as the home view shows it: entries from main's data folder, the missed-call badge until seen.
import { flushPromises, mount } from '@vue/test-utils'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { CallHistoryStore } from '../../main/core/call-history'
import type { Core } from '../../main/core/core'
import App from '../../renderer/src/App.vue'
import { createApi } from '../../renderer/src/api/client'
import { setApi } from '../../renderer/src/api/current'
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

const bob = { name: 'Bob Brennan', uri: 'sip:bob@contoso.test' }
const carol = { name: 'Carol Castillo', uri: 'sip:carol@contoso.test' }

describe('call history in the home view', () => {
  it('lists the account’s calls from the data folder, with a missed-call badge (and title) until seen', async () => {
    sim = await startSimulator()
    const dir = await mkdtemp(join(tmpdir(), 'parley-history-'))
    const saved = new CallHistoryStore(dir)
    await saved.open('sip:alice@contoso.test')
    const now = Date.now()
    await saved.add({ id: 'conf', direction: 'outgoing', people: [bob, carol], conference: true, startedAt: now - 600_000, durationS: 125, outcome: 'answered', ended: 'You ended the call.' })
    await saved.add({ id: 'missed', direction: 'incoming', people: [carol], conference: false, startedAt: now - 60_000, durationS: 0, outcome: 'missed', ended: 'Missed call' })

    core = await testCore({ historyDir: dir })
    setApi(createApi(inProcessBridge(core)))
    setActivePinia(createPinia())
    const wrapper = mount(App, { global: { plugins: [createPinia()] } })
    await flushPromises()
    expect(wrapper.find('[data-testid=call-history]').exists()).toBe(false) // nobody signed in: no one's history
    await useSessionStore().signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    await expect.poll(async () => (await flushPromises(), wrapper.find('[data-testid=call-history]').exists())).toBe(true)

    const rows = wrapper.findAll('[data-testid=call-history] li').map((li) => li.text())
    expect(rows[0]).toMatch(/^↙Incoming call from Carol Castillo\s*Missed call · \d\d:\d\d/)
    expect(rows[1]).toMatch(/^↗Outgoing call to Bob Brennan, Carol Castillo\s*You ended the call\. · .+ · 2:05$/)
    expect(wrapper.get('[data-testid=missed-badge]').text()).toBe('1 missed')
    expect(document.title).toBe('(1) Parley')

    await wrapper.get('[data-testid=call-history] button.secondary').trigger('click') // Mark as seen
    await expect.poll(async () => (await flushPromises(), wrapper.find('[data-testid=missed-badge]').exists())).toBe(false)
    expect(document.title).toBe('Parley')
    wrapper.unmount()
  }, 30_000)
})
