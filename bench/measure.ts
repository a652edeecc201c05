import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Summary of repeated timings, in milliseconds. */
export interface Timing {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** The q-quantile of sorted values by the nearest-rank method (p95 of 20 samples is the 19th). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Median, p95, min and max of samples. */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { n: sorted.length, median: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), min: round(sorted[0] ?? Number.NaN), max: round(sorted.at(-1) ?? Number.NaN) };
}

/**
 * Runs fn `warmup` times unmeasured, then measures it up to `runs` times, stopping early once `budgetMs` has
 * passed (but never before `minRuns`): a slow scenario at 1M projects must not blow the run's time limit.
 */
export async function repeat(fn: () => unknown, opts: { warmup: number; runs: number; minRuns: number; budgetMs: number }): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const samples: number[] = [];
  const deadline = performance.now() + opts.budgetMs;
  while (samples.length < opts.runs && (samples.length < opts.minRuns || performance.now() < deadline)) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summarize(samples);
}

/** Resident set size of a process in MB, now and at its peak (VmHWM), read from /proc. */
export function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** Samples a process's RSS every interval while fn runs; returns fn's result and the highest RSS seen. */
export async function withRssSampling<T>(pid: number, fn: () => Promise<T>, intervalMs = 100): Promise<{ result: T; maxRssMb: number }> {
  let max = rssOf(pid).rssMb;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssOf(pid).rssMb);
    } catch {
      // The process may have exited between samples.
    }
  }, intervalMs);
  try {
    const result = await fn();
    return { result, maxRssMb: Math.max(max, rssOf(pid).rssMb) };
  } finally {
    clearInterval(timer);
  }
}
