// The teardown most simulator tests share: what the test started, then the simulator itself.
import { afterEach } from 'vitest'
import type { Simulator } from '../simulator/index'

/** After each test of the calling file: `cleanup` runs last first (one failing does not stop the rest), then `sim()` closes. */
export function closeAfterEach(cleanup: Array<() => Promise<unknown>>, sim: () => Simulator | undefined): void {
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined)
    await sim()?.close()
  })
}
