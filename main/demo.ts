// Demo mode: with no server configured, the app embeds the UCWA pool simulator on loopback.
import { startSimulator } from '../test/simulator/index'
import type { DemoPool } from '../preload/contract'

export interface RunningDemo {
  info: DemoPool
  close(): Promise<void>
}

/** `conferenceUnitScript`: the conference unit's bundled runner (out/main/conference-unit.js), run on a thread; default, its source */
export async function startDemoPool(conferenceUnitScript?: string): Promise<RunningDemo> {
  const sim = await startSimulator({ port: 0, conferenceUnitScript })
  return {
    info: { discoveryUrl: sim.url, users: sim.users.filter((u) => !u.bot).map((u) => ({ sip: u.sip, name: u.name, password: u.password })) },
    close: () => sim.close(),
  }
}
