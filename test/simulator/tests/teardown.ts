// The simulator tests' teardown (apart from helpers.ts, which the benches load outside vitest).
import { afterEach } from 'vitest'
import type { Simulator } from '../index'

/** After each test of the calling file: everything in `closers` closed together, then `sim()`. */
export function closeAfterEach(closers: Array<{ close(): Promise<unknown> }>, sim: () => Simulator | undefined): void {
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()))
    await sim()?.close()
  })
}
