// Photos after signing out and in again: the people's pictures come back (no "no photo" remembered from the gap).
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../main/core/core'
import { useSessionStore } from '../../renderer/src/stores/session'
import { startSimulator, type Simulator } from '../simulator/index'
import { testCore } from '../support/core'
import { mountApp } from '../support/mount-app'

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
    const wrapper = await mountApp(core)
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
