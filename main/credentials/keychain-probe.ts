// The start-up keychain probe, run apart from the app: a Secret Service that never answers would leave keytar's
// call pending for ever, and a locked keyring with no prompter crashes keytar (SIGSEGV) — a child process contains both.

/** What the probe learnt: the keychain answers, or why it cannot be used (a sentence the person can read). */
export type ProbeOutcome = { ok: true } | { ok: false; reason: string }

/** One probe process, however it was started (a Node child process, or Electron's utilityProcess). */
export interface ProbeChild {
  /** each chunk the probe writes to its stdout */
  onOutput(listener: (chunk: string) => void): void
  /** the process ended: its exit code, or the signal that ended it (e.g. 'SIGSEGV') */
  onExit(listener: (code: number | null, signal: string | null) => void): void
  kill(): void
}

/** Starts keychain-probe-child with the keychain service name as its one argument. */
export type ProbeLauncher = (service: string) => ProbeChild

export const PROBE_TIMEOUT_MS = 5_000

const NEXT_TIME = 'you will be asked to sign in again next time'

/**
 * Runs the probe child and settles within `timeoutMs` (ms) whatever it does: its one JSON line
 * `{"ok":true}` or `{"ok":false,"error":"…"}`, a crash, an exit without a line, or silence (then it is killed).
 * Never rejects.
 */
export function probeKeychain(launch: ProbeLauncher, service: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeOutcome> {
  return new Promise((settle) => {
    let child: ProbeChild
    let output = ''
    let done = false
    const finish = (outcome: ProbeOutcome): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      settle(outcome)
    }
    const unavailable = (why: string): ProbeOutcome => ({ ok: false, reason: `The system keychain is not available (${why}); ${NEXT_TIME}.` })
    const timer = setTimeout(() => {
      finish(unavailable(`it did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`))
      child?.kill()
    }, timeoutMs)
    try {
      child = launch(service)
    } catch (e) {
      finish(unavailable(`the keychain check could not start: ${e instanceof Error ? e.message : String(e)}`))
      return
    }
    child.onOutput((chunk) => {
      output += chunk
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (!line || !output.includes('\n')) return
      try {
        const reply = JSON.parse(line) as { ok?: unknown; error?: unknown }
        finish(reply.ok === true ? { ok: true } : unavailable(typeof reply.error === 'string' ? reply.error : 'unknown error'))
      } catch {
        finish(unavailable('the keychain check answered nonsense'))
      }
    })
    child.onExit((code, signal) => {
      if (signal) finish(unavailable(`the keychain crashed its check (${signal}); a locked keyring with nothing to unlock it can do that`))
      else finish(unavailable(`the keychain check ended with status ${code} and no answer`))
    })
  })
}
