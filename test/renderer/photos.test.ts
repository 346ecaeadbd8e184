// Photos after signing out and in again: the people's pictures come back (no "no photo" remembered from the gap).
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
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

describe('photos', () => {
  it('come back after signing out and in again', async () => {
    sim = await startSimulator()
    core = await testCore()
    setApi(createApi(inProcessBridge(core)))
    const pinia = createPinia()
    setActivePinia(pinia)
    const wrapper = mount(App, { global: { plugins: [pinia] } })
    await flushPromises()
    const session = useSessionStore()
    const form = { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }
    const bobsPhoto = () => wrapper.find('[data-testid="contact-sip:bob@contoso.test"] [data-testid=avatar-photo]').exists()
    const settle = async () => (await flushPromises(), await new Promise((r) => setTimeout(r, 20)))

    await session.signIn(form)
    await expect.poll(async () => (await settle(), bobsPhoto()), { timeout: 10_000 }).toBe(true)
    await session.signOut()
    await settle()
    await session.signIn(form)
    await expect.poll(async () => (await settle(), bobsPhoto()), { timeout: 10_000 }).toBe(true)
    wrapper.unmount()
  }, 30_000)
})
