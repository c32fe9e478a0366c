/** Nearest-rank percentiles, the one definition every bench script reports with. */

/** The nearest-rank `p`th percentile (0–100) of the samples, in any order; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type Summary = { n: number; p50: number; p95: number };

export function summarise(samples: readonly number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
