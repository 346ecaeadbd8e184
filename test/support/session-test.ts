// The setup shared by session tests against the plain-http simulator: generous waits on the loaded machine, the
// simulator started per test, and what a test opened (clients, media, cores) closed after it, newest first.
import { afterEach, vi } from 'vitest'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index'

export interface SessionTest {
  /** closers pushed by the test; run newest first after it (their failures ignored), then the simulator closed */
  readonly cleanup: Array<() => Promise<unknown>>
  /** a simulator closed after the test */
  start(options?: SimulatorOptions): Promise<Simulator>
}

/** Registers the config and the hook (call at a test file's top level). */
export function useSessionTest(): SessionTest {
  // the machine is shared and loaded: every wait is generous, every assertion strict
  vi.setConfig({ testTimeout: 30_000, expect: { poll: { timeout: 10_000 } } })
  const cleanup: Array<() => Promise<unknown>> = []
  let sim: Simulator | undefined
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => {})
    await sim?.close()
    sim = undefined
  })
  return { cleanup, start: async (options) => (sim = await startSimulator(options)) }
}

/** The simulator's record of the application `sip` created last (its event channel, its emit). */
export function latestApp(sim: Simulator, sip: string) {
  return sim.control.world.apps.get(sim.control.applications(sip).at(-1)!.id)!
}
