// Parleys for integration tests: real cores, each with a werift page as its media, signed in to the test's simulator.
import { afterEach } from 'vitest'
import type { Core } from '../../main/core/core'
import type { CallSnapshot } from '../../preload/contract'
import type { Simulator } from '../simulator/index'
import { testCore } from './core'
import { ok } from './dispatch-result'
import { weriftRenderer } from './werift-renderer'

/** the test's simulator (set by the test) and the cores it started */
export interface CoresUnderTest {
  sim?: Simulator
  cores: Core[]
}

/** An empty `CoresUnderTest` whose cores (together), then simulator, are closed after each test of the calling file. */
export function coresUnderTest(): CoresUnderTest {
  const t: CoresUnderTest = { cores: [] }
  afterEach(async () => {
    await Promise.all(t.cores.splice(0).map((c) => c.close()))
    await t.sim?.close()
  })
  return t
}

/**
 * A core (media timeout 5 s, call history in `historyDir` if given) signed in to `t.sim` as `name`@contoso.test
 * (password `name`-pass), a werift page as its media; `calls` every calls.changed snapshot, `last(id)` one call's latest.
 */
export async function signedInCore(t: CoresUnderTest, name: string, options: { historyDir?: string } = {}) {
  const core = await testCore({ ...options, ucwa: { mediaTimeoutMs: 5_000 } })
  t.cores.push(core)
  const media = weriftRenderer(core, name)
  const calls: CallSnapshot[] = []
  core.events.subscribe((n, p) => n === 'calls.changed' && calls.push(p as CallSnapshot))
  await ok(core.dispatch('session.signIn', { sipAddress: `${name}@contoso.test`, password: `${name}-pass`, remember: false, discoveryUrl: t.sim!.url }))
  const last = (id: string) => calls.filter((c) => c.id === id).at(-1)
  return { core, media, calls, last }
}
