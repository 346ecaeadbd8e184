// Demo mode: with no server configured, the app embeds the UCWA pool simulator on loopback.
import { startSimulator, type Simulator } from '../test/simulator/index'
import type { MediaDialect } from '../test/simulator/sfb/dialect'
import type { DemoPool } from '../preload/contract'

export interface RunningDemo {
  info: DemoPool
  /** the media dialect the demo pool's own endpoints (bots, conference unit) speak, as the pool reports it */
  media: MediaDialect
  close(): Promise<void>
}

/** what the sign-in view shows of a pool: its discovery URL and the accounts a person can try (bots answer calls, they do not sign in) */
export function demoPoolOf(sim: Pick<Simulator, 'url' | 'users'>): DemoPool {
  return { discoveryUrl: sim.url, users: sim.users.filter((u) => !u.bot).map((u) => ({ sip: u.sip, name: u.name, password: u.password })) }
}

/**
 * The demo pool's media dialect from `PARLEY_DEMO_MEDIA`: 'sfb2015' (unset: what a real Skype for Business 2015 pool
 * speaks, so every demo call goes through the media bridge) or 'webrtc' (the pool speaks the renderer's own dialect).
 * Throws an Error naming the variable and its values for anything else.
 */
export function demoMediaFrom(env: Record<string, string | undefined>): MediaDialect {
  const value = env.PARLEY_DEMO_MEDIA?.trim()
  if (!value) return 'sfb2015'
  if (value === 'sfb2015' || value === 'webrtc') return value
  throw new Error(`PARLEY_DEMO_MEDIA is "${value}": the demo pool speaks "sfb2015" (the default) or "webrtc".`)
}

/** `conferenceUnitScript`: the conference unit's bundled runner (out/main/conference-unit.js), run on a thread; default, its source */
export async function startDemoPool(conferenceUnitScript?: string, media: MediaDialect = 'sfb2015'): Promise<RunningDemo> {
  const sim = await startSimulator({ port: 0, conferenceUnitScript, media })
  return {
    info: demoPoolOf(sim),
    media: sim.control.world.media,
    close: () => sim.close(),
  }
}
