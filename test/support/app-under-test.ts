// What a renderer test runs against: a simulator, a real core and the page mounted on it, closed after each test.
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, expect } from 'vitest'
import type { Core } from '../../main/core/core'
import type { Simulator } from '../simulator/index'

/** the test's simulator and core (set by the test) and its cleanups (run last first, before the core and simulator close) */
export interface AppUnderTest {
  core?: Core
  sim?: Simulator
  cleanup: Array<() => Promise<unknown>>
}

/** An empty `AppUnderTest` whose cleanups, core and simulator are closed after each test of the calling file. */
export function appUnderTest(): AppUnderTest {
  const t: AppUnderTest = { cleanup: [] }
  afterEach(async () => {
    for (const f of t.cleanup.splice(0).reverse()) await f().catch(() => {})
    await t.core?.close()
    await t.sim?.close()
  })
  return t
}

/** Signs in through the page's sign-in form and waits (10 s) until the home view (its Meet now button) shows. */
export async function signInThroughForm(page: VueWrapper, sip: string, password: string): Promise<void> {
  await page.get('#sip').setValue(sip)
  await page.get('#password').setValue(password)
  await page.get('form').trigger('submit')
  await expect.poll(async () => (await flushPromises(), page.find('[data-testid=meeting-start]').exists()), { timeout: 10_000 }).toBe(true)
}
