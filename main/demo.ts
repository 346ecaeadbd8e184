// Demo mode: with no server configured, the app embeds the UCWA pool simulator on loopback.
import { startSimulator } from '../test/simulator/index'
import type { DemoPool } from '../preload/contract'

export interface RunningDemo {
  info: DemoPool
  close(): Promise<void>
}

export async function startDemoPool(): Promise<RunningDemo> {
  const sim = await startSimulator({ port: 0 })
  return {
    info: { discoveryUrl: sim.url, users: sim.users.filter((u) => !u.bot).map((u) => ({ sip: u.sip, name: u.name, password: u.password })) },
    close: () => sim.close(),
  }
}
