import type { Database } from '../../db/database.ts';
import { createLightService } from './index.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';
import { chinaMonth, chinaYear } from '../../../core/clock.ts';
import { startJobRunner, type JobSpec } from '../../platform/jobs.ts';

/** The months whose lights people open: this month and the one before (in China time). */
export function monthsToWarm(now: Date): { year: number; month: number }[] {
  const year = chinaYear(now);
  const month = chinaMonth(now);
  return [{ year, month }, month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 }];
}

/** Fills (or brings up to date) the light snapshots of the months people open. */
export async function warmLights(database: Database, now = clock.now()): Promise<void> {
  const service = createLightService(createDeps(database.db));
  for (const { year, month } of monthsToWarm(now)) await service.ensureSnapshots(year, month);
}

/**
 * Keeps the current and previous month's light snapshots filled in the background (a first read of a month at 1M
 * projects would otherwise judge every project while the reader waits, ~16 s). Each tick costs a few indexed reads
 * when nothing changed, so it runs often (DOCKET_LIGHTS_WARMUP_SECONDS, 30): months a rule set, the time-progress
 * curve or the calendar dropped are refilled within that time whichever server took the change, and projects whose
 * reports moved are re-judged before anyone asks. It is the first job of the platform's runner
 * (server/platform/jobs.ts): one server at a time claims it through job_leases; the fill's progress lives in the
 * database and each chunk is its own short transaction.
 */
export function lightsWarmupJob(database: Database, everySeconds: number): JobSpec {
  return { name: 'lights.warmup', everySeconds, run: (now) => warmLights(database, now) };
}

/** Runs the warm-up job alone (tests; main.ts registers the job with the runner). Returns a stop function. */
export function startLightsWarmup(database: Database, opts: { intervalMs: number; onError: (err: unknown) => void; firstDelayMs?: number; now?: () => Date }): () => Promise<void> {
  const job = { ...lightsWarmupJob(database, opts.intervalMs / 1000), firstDelaySeconds: (opts.firstDelayMs ?? 5_000) / 1000 };
  return startJobRunner(database.db, opts.now ? { now: opts.now } : clock, { jobs: [job], onError: (err) => opts.onError(err) });
}
