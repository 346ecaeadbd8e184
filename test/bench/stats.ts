export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export const median = (v: number[]): number => percentile(v, 50)
export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits
