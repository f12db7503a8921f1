/** Latency summary of one measured run: percentiles in milliseconds and completed requests per second. */
export type RunStats = {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  firstError?: string;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest-rank: the smallest sample with at least p% of samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarise(latenciesMs: number[], errors: number, seconds: number, firstError?: string): RunStats {
  const sorted = Float64Array.from(latenciesMs).sort();
  const values = Array.from(sorted);
  return {
    requests: values.length,
    errors,
    seconds,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.at(-1) ?? NaN,
    perSecond: values.length / seconds,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
