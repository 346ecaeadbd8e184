// The machine's own stalls: a tiny process at the highest priority that only wakes every 5 ms. When even
// it waits 100 ms, no process on the machine could have run then: the limit any figure taken here shares.
import { spawn } from 'node:child_process'
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
`

export interface Canary {
  /** whether the canary runs at the highest priority (needs root; otherwise it is an ordinary process) */
  topPriority: boolean
  /** the longest extra wait between ticks while `during` runs, in ms */
  window(during: () => Promise<void>): Promise<number>
  close(): void
}

export function startCanary(): Canary {
  const proc = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
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
