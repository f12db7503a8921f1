import { performance } from 'node:perf_hooks';
import { summarise, type RunStats } from './stats.js';

/** Bounds of one load run: a warm-up whose samples are dropped, then a measured window ending at a time or request cap. */
export type LoadPlan = { concurrency: number; warmupMs: number; durationMs: number; maxRequests: number };

/**
 * Per query, HTTP and raw SQL each get 10 s of measurement, taken in three alternating rounds (see
 * measureQuery), so drift on the machine (a checkpoint, autovacuum after the seed) falls on both.
 */
export const defaultPlan: LoadPlan = { concurrency: 8, warmupMs: 3_000, durationMs: 10_000, maxRequests: 60_000 };

/**
 * Keeps `concurrency` calls of `fire` in flight until the measured window closes, and returns the
 * latencies (ms), errors, measured seconds and first error. A call that throws counts as an error;
 * after 20 errors the run stops early so a broken target cannot spin.
 */
export async function sampleLoad(fire: () => Promise<void>, plan: LoadPlan): Promise<LoadSamples> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const warmupEnds = performance.now() + plan.warmupMs;
  let measureStart = 0;
  let measureEnds = Infinity;
  let started = 0;

  const measuring = () => performance.now() >= warmupEnds;
  const open = () => {
    const now = performance.now();
    if (errors >= 20) return false;
    if (now < warmupEnds) return true;
    if (measureStart === 0) {
      measureStart = now;
      measureEnds = now + plan.durationMs;
    }
    return now < measureEnds && started < plan.maxRequests;
  };

  const loop = async () => {
    while (open()) {
      const counted = measuring();
      if (counted) started++;
      const t0 = performance.now();
      try {
        await fire();
        if (counted) latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, loop));
  const seconds = (performance.now() - (measureStart || warmupEnds)) / 1000;
  return [latencies, errors, seconds, errors > 0 ? String((firstError as Error)?.message ?? firstError) : undefined];
}

export type LoadSamples = [latenciesMs: number[], errors: number, seconds: number, firstError: string | undefined];

/** One summary of several runs' samples, as if they were one run as long as all of them together. */
export function combineSamples(runs: LoadSamples[]): RunStats {
  const firstError = runs.find((r) => r[3] !== undefined)?.[3];
  return summarise(
    runs.flatMap((r) => r[0]),
    runs.reduce((n, r) => n + r[1], 0),
    runs.reduce((n, r) => n + r[2], 0),
    firstError,
  );
}
