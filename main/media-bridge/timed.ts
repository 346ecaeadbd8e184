// A bridge step's outcome in the core's log, with how long it took: where a call that never connects is waiting.

/**
 * Returns `step`, logging it as it starts and settles: "pool checks done in 84 ms" / "pool checks failed after
 * 10002 ms: <message>". Without a `log`, `step` itself.
 */
export function timed<T>(log: ((message: string) => void) | undefined, what: string, step: Promise<T>): Promise<T> {
  if (!log) return step
  const t0 = performance.now()
  log(`${what} started`)
  const ms = () => Math.round(performance.now() - t0)
  return step.then(
    (v) => (log(`${what} done in ${ms()} ms`), v),
    (e: unknown) => {
      log(`${what} failed after ${ms()} ms: ${e instanceof Error ? e.message : String(e)}`)
      throw e
    },
  )
}
