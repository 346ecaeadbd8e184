// The machine's own stalls: a tiny process at the highest priority that only wakes every 5 ms. When even
// it waits 100 ms, no process on the machine could have run then: the limit any figure taken here shares.
// It runs in a session of its own: Linux's autogroups share the CPU by session first, so inside the bench's
// session it would measure the bench's share (Playwright starts each Chromium in a session of its own).
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { setPriority } from 'node:os'

const TICK_MS = 5

/** runs in the child: ticks, and on 'stop' answers with the longest time between two ticks of the window */
const child = `
  let last = 0, longest = 0
  setInterval(() => { const now = performance.now(); if (last) longest = Math.max(longest, now - last - ${TICK_MS}); last = now }, ${TICK_MS})
  process.on('message', (m) => {
    if (m === 'start') { last = 0; longest = 0 }
    else process.send(longest)
  })
  process.on('disconnect', () => process.exit())
`

export interface Canary {
  /** whether the canary runs at the highest priority (needs root; otherwise it is an ordinary process) */
  topPriority: boolean
  /** the longest extra wait between ticks while `during` runs, in ms */
  window(during: () => Promise<void>): Promise<number>
  close(): void
}

export function startCanary(): Canary {
  const proc = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true })
  let topPriority = true
  try {
    setPriority(proc.pid!, -20)
  } catch {
    topPriority = false
  }
  return {
    topPriority,
    async window(during) {
      proc.send('start')
      await during()
      return new Promise<number>((resolve) => {
        proc.once('message', (m) => resolve(Number(m)))
        proc.send('stop')
      })
    },
    close: () => void proc.kill(),
  }
}

/** threads of processes named `name` under a real-time policy (SCHED_FIFO or SCHED_RR): they run before any canary */
export function realtimeThreads(name: string): number {
  let n = 0
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) continue
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
        const policy = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]) // field 41: 1 FIFO, 2 RR
        if (policy === 1 || policy === 2) n++
      }
    } catch {
      // the process or thread ended while we read
    }
  }
  return n
}
