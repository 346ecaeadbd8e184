// Demo mode: with no server configured, the app embeds the UCWA pool simulator on loopback.
import { startSimulator, type Simulator } from '../test/simulator/index'
import type { DemoPool } from '../preload/contract'

export interface RunningDemo {
  info: DemoPool
  close(): Promise<void>
}

/** what the sign-in view shows of a pool: its discovery URL and the accounts a person can try (bots answer calls, they do not sign in) */
export function demoPoolOf(sim: Pick<Simulator, 'url' | 'users'>): DemoPool {
  return { discoveryUrl: sim.url, users: sim.users.filter((u) => !u.bot).map((u) => ({ sip: u.sip, name: u.name, password: u.password })) }
}

/** `conferenceUnitScript`: the conference unit's bundled runner (out/main/conference-unit.js), run on a thread; default, its source */
export async function startDemoPool(conferenceUnitScript?: string): Promise<RunningDemo> {
  const sim = await startSimulator({ port: 0, conferenceUnitScript })
  return {
    info: demoPoolOf(sim),
    close: () => sim.close(),
  }
}
