// Every benchmark row: a figure, the baseline measured in the same run, and the target when there is one.
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export interface Row {
  suite: string
  metric: string
  value: number | string
  unit: string
  baseline?: { label: string; value: number | string }
  target?: string
  met?: boolean
}

export function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [
    r.suite,
    r.metric,
    `${r.value} ${r.unit}`.trim(),
    r.baseline ? (r.baseline.value === '' ? r.baseline.label : `${r.baseline.value} ${r.unit} (${r.baseline.label})`) : '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ])
  const head = ['suite', 'metric', 'value', 'baseline (same run)', 'target', '']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')
  console.log(line(head))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const c of cells) console.log(line(c))
}

export function writeResults(name: string, rows: Row[], extra: Record<string, unknown> = {}): string {
  const dir = resolve(import.meta.dirname, '../../bench-results')
  mkdirSync(dir, { recursive: true })
  const file = resolve(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), node: process.version, rows, ...extra }, null, 2))
  return file
}
