// The session's timers run beside everything else in main: the activity report re-arms itself for as long as the person
// is signed in, and neither it nor the sleep watch may hold the process open once the app lets go (quit, a CLI's end).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const timers = fileURLToPath(new URL('../../main/ucwa/session-timers.ts', import.meta.url))

/** a process that signs in for `aliveMs` (a timer of its own), its activity reported every 10 ms; its exit and report count */
function session(aliveMs: number): Promise<{ code: number | null; reports: number }> {
  const script = `
    import { SessionTimers } from ${JSON.stringify(timers)}
    let reports = 0
    const t = new SessionTimers({ now: Date.now, activityIntervalMs: 10, signedIn: () => true, reportActivity: async () => void reports++, woke() {}, renewable: () => false, renew: async () => {} })
    t.userActive()
    t.startKeepAlive(Date.now() + 3_600_000, true)
    setTimeout(() => {}, ${aliveMs})
    process.on('exit', () => console.log(reports))`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d))
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code) => {
      clearTimeout(kill)
      resolve({ code, reports: Number(out.trim() || -1) })
    })
  })
}

describe('SessionTimers', () => {
  it('keeps reporting activity while signed in, and the re-armed reports never keep the process alive', async () => {
    const { code, reports } = await session(400)
    expect(code).toBe(0) // not killed after 20 s: nothing of the session's held the process past its own 400 ms
    expect(reports).toBeGreaterThanOrEqual(3) // re-armed after each report, not once
  })
})
