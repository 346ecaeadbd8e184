import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

/** How long a test waits for the system to reach a state it asserts (expect.poll): generous, since the suite runs beside CPU hogs (issue #24). */
export const SYSTEM_WAIT_MS = 10_000
/** A node test's budget: several such waits in a row on a loaded 2-core machine. */
export const NODE_TEST_TIMEOUT_MS = 30_000

export default defineConfig({
  plugins: [vue()],
  test: {
    expect: { poll: { timeout: SYSTEM_WAIT_MS } },
    projects: [
      { extends: true, test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/simulator/**/*.test.ts', 'test/security/**/*.test.ts'], environment: 'node', testTimeout: NODE_TEST_TIMEOUT_MS } },
      { extends: true, test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'happy-dom' } },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts', 'test/chaos/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
})
