// Where the conference unit runs, and the one line of messages to it: a process of its own when the
// simulator runs from source (tests, bench, CLI), a thread when the app's demo mode runs it from its bundle.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parentPort, Worker } from 'node:worker_threads'
import type { Request } from './unit'

export interface UnitPort {
  post(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** the unit's process id when it runs as a process of its own (the bench reads its CPU time) */
  readonly pid?: number
  /** the unit stopped (crashed, or was stopped): what waits on it fails */
  onStop(listener: (why: string) => void): void
  /** whether an answer on its way keeps this process alive (an idle unit does not) */
  hold(on: boolean): void
  stop(): Promise<void>
}

/**
 * From source: a process of its own and a session of its own. The AVMCU is a server of its own; here it
 * gets its own share of the CPU (Linux shares it by session first), not a slice of the pool's and the tests'.
 */
export function unitProcess(): UnitPort {
  const source = fileURLToPath(new URL('./unit-runner.ts', import.meta.url)) // beside this file
  const child = fork(source, [], { execArgv: ['--import', 'tsx'], detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let stopped = false
  const hold = (on: boolean) => {
    for (const handle of [child, child.channel]) void (on ? handle?.ref() : handle?.unref())
  }
  hold(false)
  return {
    pid: child.pid,
    post: (m) => void child.send(m as never),
    onMessage: (f) => void child.on('message', f),
    onStop: (f) => {
      child.on('error', (e) => f(e.message))
      child.on('exit', (code, signal) => f(`exit ${code ?? signal}`))
    },
    hold,
    stop: async () => {
      if (stopped || child.exitCode !== null || child.signalCode !== null) return
      stopped = true
      hold(true) // the caller waits for the exit
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill()
      })
    },
  }
}

/** From the app's bundle: a worker thread (the demo pool serves one person; no second Electron as Node). */
export function unitThread(script: string): UnitPort {
  const worker = new Worker(script)
  worker.unref()
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (f) => void worker.on('message', f),
    onStop: (f) => {
      worker.on('error', (e) => f(e.message))
      worker.on('exit', (code) => f(`exit ${code}`))
    },
    hold: (on) => (on ? worker.ref() : worker.unref()),
    stop: async () => {
      worker.ref() // the caller waits for the end
      await worker.terminate()
    },
  }
}

/** The runner's side: its parent, whichever way it was started. */
export function parentOfUnit(): { post(message: unknown): void; onMessage(listener: (request: Request) => void): void } {
  if (parentPort) {
    const port = parentPort
    return { post: (m) => port.postMessage(m), onMessage: (f) => void port.on('message', f) }
  }
  if (!process.send) throw new Error('The conference unit runs as a thread or a child process, not on its own.')
  process.on('disconnect', () => process.exit()) // the pool is gone
  return { post: (m) => void process.send!(m), onMessage: (f) => void process.on('message', f) }
}
