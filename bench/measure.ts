import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Summary of repeated timings, in milliseconds. */
export interface Timing {
  n: number;
  /** CPU milliseconds the serving process spent per call (warm-up included), when measured. */
  cpuMs?: number;
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
 * Runs fn `warmup` times unmeasured, then measures it up to `runs` times, stopping once `budgetMs` has passed and
 * at least `minRuns` samples exist — or, for a request slower than the budget allows, at three budgets with
 * whatever samples it took (at least one): a slow scenario at 1M projects must not blow the run's time limit.
 * The sample count is reported with every figure.
 */
export async function repeat(fn: () => unknown, opts: { warmup: number; runs: number; minRuns: number; budgetMs: number; cpu?: () => number }): Promise<Timing> {
  const started = performance.now();
  const cpu0 = opts.cpu?.();
  let calls = 0;
  for (let i = 0; i < opts.warmup && performance.now() - started < opts.budgetMs / 2; i++, calls++) await fn();
  const samples: number[] = [];
  const t0 = performance.now();
  for (;;) {
    const t = performance.now();
    await fn();
    calls++;
    samples.push(performance.now() - t);
    const elapsed = performance.now() - t0;
    if (samples.length >= opts.runs) break;
    if (elapsed >= opts.budgetMs && samples.length >= opts.minRuns) break;
    if (elapsed >= 3 * opts.budgetMs) break;
  }
  const timing = summarize(samples);
  return cpu0 === undefined || !opts.cpu ? timing : { ...timing, cpuMs: Math.round(((opts.cpu() - cpu0) / calls) * 100) / 100 };
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. On a shared machine wall-clock
 * latency swings with the load; the CPU a request costs does not.
 */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields, in clock ticks (100/s).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Where a process's main thread spent its wall time (/proc/<pid>/task/<pid>/schedstat): ms on a CPU and ms runnable
 * but waiting for one (the run queue: on a loaded machine most of the wall time), plus ms blocked on block I/O
 * (delay accounting, 0 when the kernel does not keep it). Wall minus the three is time the thread slept by itself:
 * timers between chunks, a lock, waiting for the client. (Summed over every thread the run-queue wait exceeds the
 * wall time: the collector's and libuv's threads wait in parallel.)
 */
export function schedMsOf(pid: number): { cpuMs: number; runQueueMs: number; ioMs: number } {
  const [onCpu, waiting] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
  const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const ioTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[39] ?? 0);
  return { cpuMs: Number(onCpu) / 1e6, runQueueMs: Number(waiting) / 1e6, ioMs: ioTicks * 10 };
}

/**
 * Waits until a process is idle: under 10% of a core for two samples in a row (250 ms apart), at most `maxMs`.
 * A load scenario's client gives up on requests still queued at its end; the server keeps computing them, and
 * the next scenario would be measured against that leftover work. Returns the ms waited.
 */
export async function waitForIdle(pid: number, maxMs = 120_000): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  let last = cpuMsOf(pid);
  while (quiet < 2 && performance.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuMsOf(pid);
    quiet = now - last < 25 ? quiet + 1 : 0;
    last = now;
  }
  return Math.round(performance.now() - started);
}

/** CPU time of this process in ms (for the raw engine, which runs in the benchmark process). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Resident set size of a process in MB, now and at its peak (VmHWM), read from /proc, with the part that is
 * mapped files (RssFile: the SQLite database's memory map, shared libraries) — page cache the kernel may drop —
 * apart from the process's own memory (RssAnon).
 */
export function rssOf(pid: number): { rssMb: number; peakMb: number; anonMb: number; fileMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024), anonMb: Math.round(kb('RssAnon') / 1024), fileMb: Math.round(kb('RssFile') / 1024) };
}

/** Samples a process's RSS every interval while fn runs; returns fn's result and the highest RSS seen. */
export async function withRssSampling<T>(pid: number, fn: () => Promise<T>, intervalMs = 100): Promise<{ result: T; maxRssMb: number; maxAnonMb: number }> {
  let max = 0;
  let maxAnon = 0;
  const sample = () => {
    const r = rssOf(pid);
    max = Math.max(max, r.rssMb);
    maxAnon = Math.max(maxAnon, r.anonMb);
  };
  sample();
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      // The process may have exited between samples.
    }
  }, intervalMs);
  try {
    const result = await fn();
    sample();
    return { result, maxRssMb: max, maxAnonMb: maxAnon };
  } finally {
    clearInterval(timer);
  }
}
