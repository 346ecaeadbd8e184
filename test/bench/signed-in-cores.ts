// Test cores signed in to the simulator, for the benches that drive cores without a page (soak.ts, presence-heap.ts).
import type { Core } from '../../main/core/core'
import type { Simulator } from '../simulator/index'
import { testCore } from '../support/core'

/** One core per demo user name (`alice` signs in as alice@contoso.test with alice-pass), its channel reconnecting fast. */
export async function signedInCores(sim: Simulator, names: string[]): Promise<Core[]> {
  const fast = { channel: { backoff: { baseMs: 5, capMs: 50 } } }
  const cores = await Promise.all(names.map(() => testCore({ ucwa: fast })))
  for (const [i, core] of cores.entries()) {
    const r = await core.dispatch('session.signIn', { sipAddress: `${names[i]}@contoso.test`, password: `${names[i]}-pass`, remember: false, discoveryUrl: sim.url })
    if (!r.ok) throw new Error(`${names[i]} could not sign in`)
  }
  return cores
}
