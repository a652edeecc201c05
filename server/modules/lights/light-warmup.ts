import type { Database } from '../../db/database.ts';
import { lightService } from './light.routes.ts';
import { clock } from '../../clock.ts';
import { chinaMonth, chinaYear } from '../../../core/clock.ts';

/** The months whose lights people open: this month and the one before (in China time). */
export function monthsToWarm(now: Date): { year: number; month: number }[] {
  const year = chinaYear(now);
  const month = chinaMonth(now);
  return [{ year, month }, month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 }];
}

/** Fills (or brings up to date) the light snapshots of the months people open. */
export async function warmLights(database: Database, now = clock.now()): Promise<void> {
  const service = lightService(database);
  for (const { year, month } of monthsToWarm(now)) await service.ensureSnapshots(year, month);
}

/**
 * Keeps the current and previous month's light snapshots filled in the background (a first read of a month at 1M
 * projects would otherwise judge every project while the reader waits, ~16 s). Each tick costs a few indexed reads
 * when nothing changed, so it runs often (DOCKET_LIGHTS_WARMUP_SECONDS, 30): months a rule set, the time-progress
 * curve or the calendar dropped are refilled within that time whichever server took the change, and projects whose
 * reports moved are re-judged before anyone asks. The fill's progress lives in the database, so several servers
 * share the work; each chunk is its own short transaction. Returns a stop function.
 */
export function startLightsWarmup(database: Database, opts: { intervalMs: number; onError: (err: unknown) => void; firstDelayMs?: number; now?: () => Date }): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await warmLights(database, opts.now?.());
    } catch (err) {
      opts.onError(err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), opts.firstDelayMs ?? 5_000);
  const timer = setInterval(() => void run(), opts.intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
