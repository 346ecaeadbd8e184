// The session's timers run beside everything else in main: the activity report (UCWA wants one at least every 4 min
// while the person is active) re-arms itself until the session's timers are cleared, a reconnection in between
// included; and neither it nor the sleep watch may hold the process open once the app lets go (quit, a CLI's end).
import { spawn } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionTimers } from '../../main/ucwa/session-timers'

const timersModule = new URL('../../main/ucwa/session-timers.ts', import.meta.url).href

/** a process whose session reports activity every 10 ms, held open by its own handle until the third report */
function sessionProcess(): Promise<{ code: number | null; reports: number }> {
  const script = `
    import { SessionTimers } from ${JSON.stringify(timersModule)}
    let reports = 0
    const hold = setInterval(() => {}, 1000)
    const t = new SessionTimers({ now: Date.now, activityIntervalMs: 10, signedIn: () => true, reportActivity: async () => { if (++reports === 3) clearInterval(hold) }, woke() {}, renewable: () => false, renew: async () => {} })
    t.userActive()
    t.startKeepAlive(Date.now() + 3_600_000, true)
    process.on('exit', () => console.log(reports))`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d))
  return new Promise((resolve, reject) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(kill)
      resolve({ code, reports: Number(out.trim() || -1) })
    })
  })
}

describe('SessionTimers', () => {
  describe('activity reports', () => {
    beforeEach(() => void vi.useFakeTimers())
    afterEach(() => void vi.useRealTimers())

    function timers(signedIn: () => boolean) {
      const reported: number[] = []
      const t = new SessionTimers({ now: Date.now, activityIntervalMs: 60_000, signedIn, reportActivity: async () => void reported.push(Date.now()), woke() {}, renewable: () => false, renew: async () => {} })
      return { t, reported }
    }

    it('go on after a tick that came while the session was reconnecting', () => {
      let live = true
      const { t, reported } = timers(() => live)
      t.startKeepAlive(null, false)
      t.userActive()
      vi.advanceTimersByTime(60_000)
      expect(reported).toHaveLength(1)
      live = false // the event channel dropped: reconnecting
      vi.advanceTimersByTime(60_000)
      expect(reported).toHaveLength(1)
      live = true
      t.userActive()
      vi.advanceTimersByTime(60_000)
      expect(reported).toHaveLength(2)
    })

    it('stop when the timers are cleared (signed out)', () => {
      const { t, reported } = timers(() => true)
      t.startKeepAlive(null, false)
      t.userActive()
      vi.advanceTimersByTime(60_000)
      t.clear()
      vi.advanceTimersByTime(10 * 60_000)
      expect(reported).toHaveLength(1)
      expect(vi.getTimerCount()).toBe(0)
    })
  })

  it('never keep the process alive, the re-armed reports included', async () => {
    const { code, reports } = await sessionProcess()
    expect(code).toBe(0) // not killed after 20 s: once its own handle let go, nothing of the session's held it
    expect(reports).toBeGreaterThanOrEqual(3)
  })
})
