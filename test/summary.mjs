// Prints the one line CI reads: "N passed, N failed" (and skipped when any), from vitest's JSON report.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-results/vitest.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch {
  console.log('0 passed, 1 failed')
  console.error(`No test report at ${file}: vitest did not finish`)
  process.exit(1)
}
// a file that failed to load has no failed test but is a failure all the same
const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed')).length
// unhandled errors fail the run though no test failed: count them as one failure so the line says so
const failed = report.numFailedTests + brokenFiles + (report.success === false && report.numFailedTests + brokenFiles === 0 ? 1 : 0)
const skipped = report.numPendingTests + report.numTodoTests
// a skipped test says why in its name (e.g. the Electron smoke test where there is no binary): show it
for (const r of report.testResults) for (const a of r.assertionResults) if (a.status === 'skipped' || a.status === 'pending') console.log(`skipped: ${a.fullName}`)
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
