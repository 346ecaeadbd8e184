// "Export diagnostics": versions, settings and the recent log, redacted, in one file the person can send.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { redact } from './redact'

export async function exportDiagnostics(o: { dir: string; logFile: string; facts: Record<string, unknown> }): Promise<string> {
  const log = await readFile(o.logFile, 'utf8').catch(() => '')
  const file = join(o.dir, `parley-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, redact(JSON.stringify({ ...o.facts, log: log.split('\n').slice(-2000) }, null, 2)), { mode: 0o600 })
  return file
}
