// PARLEY_TEST_LOG=1: the pool's own milestones on stderr beside the cores' logs (test/support/core.ts), to read a failure.
export const trace: (message: string) => void = process.env.PARLEY_TEST_LOG
  ? (message) => console.error(`[sim ${new Date().toISOString().slice(11, 23)}] ${message}`)
  : () => undefined
