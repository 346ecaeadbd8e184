// CPU hogs beside a measurement, as issue #24 runs the suite: `stress-ng --cpu 1` twice, each in a session of
// its own (setsid(2)), since Linux's autogroups share the CPU between sessions first, so two hogs in one session
// would weigh as one.
import { spawn, type ChildProcess } from 'node:child_process'

export interface Hogs {
  count: number
  stop(): Promise<void>
}

/** Starts `count` single-CPU hogs; stop() ends exactly those (by their process group) and waits for them. */
export function startHogs(count = 2): Hogs {
  const hogs: ChildProcess[] = []
  for (let i = 0; i < count; i++) {
    // detached: node calls setsid(2) in the child, so each stress-ng leads a session and group of its own and one kill reaches its worker
    hogs.push(spawn('stress-ng', ['--cpu', '1', '--quiet'], { stdio: 'ignore', detached: true }))
  }
  return {
    count,
    async stop() {
      await Promise.all(
        hogs.map(
          (h) =>
            new Promise<void>((done) => {
              if (h.exitCode !== null || h.signalCode !== null) return done()
              h.once('exit', () => done())
              try {
                process.kill(-h.pid!, 'SIGTERM')
              } catch {
                done()
              }
            }),
        ),
      )
    },
  }
}
