import crypto from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../../core/clock.ts';
import type { Executor } from '../db/database.ts';

/** A background job: run about every `everySeconds` by one server at a time. */
export interface JobSpec {
  name: string;
  everySeconds: number;
  /** How long a claim holds before another server may take the job over (a crashed server); default 10 minutes. */
  leaseSeconds?: number;
  /** Delay before the first attempt after start-up (default 5 s, so a start is not slowed by its jobs). */
  firstDelaySeconds?: number;
  run(now: Date): Promise<void>;
}

// Static wiring, the same in every process (main.ts registers the jobs at start-up); which server runs a job and
// when it last ran live in the database (job_leases).
const registry = new Map<string, JobSpec>();

/** Registers a job with the runner (registering a name again replaces it). */
export function registerJob(spec: JobSpec): void {
  if (!(spec.everySeconds > 0)) throw new Error(`job ${spec.name}: everySeconds must be positive`);
  registry.set(spec.name, spec);
}

/** The registered jobs. */
export function registeredJobs(): JobSpec[] {
  return [...registry.values()];
}

/** This process's name in job_leases.owner. */
export const PROCESS_OWNER = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

/**
 * Claims a job for `owner` when it is due (its last start lies at least ~everySeconds back; 10% slack for timer
 * jitter) and nobody holds an unexpired lease. One conditional UPDATE decides: on PostgreSQL concurrent claimers
 * queue on the row lock and the second sees the first's lease, so it updates nothing; on SQLite writers are
 * serialized anyway. True when this owner got it.
 */
export async function claimJob(db: Executor, job: Pick<JobSpec, 'name' | 'everySeconds' | 'leaseSeconds'>, owner: string, now: Date): Promise<boolean> {
  await db.insertInto('job_leases').values({ name: job.name, owner: null, lease_until: null, last_run_at: null, last_error: null })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
  const at = now.toISOString();
  const dueBefore = new Date(now.getTime() - job.everySeconds * 900).toISOString();
  const leaseUntil = new Date(now.getTime() + (job.leaseSeconds ?? 600) * 1000).toISOString();
  const result = await db.updateTable('job_leases')
    .set({ owner, lease_until: leaseUntil, last_run_at: at })
    .where('name', '=', job.name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
    .where((eb) => eb.or([eb('last_run_at', 'is', null), eb('last_run_at', '<=', dueBefore)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Releases a claim after a run, keeping the run's error (or clearing it). */
export async function releaseJob(db: Executor, name: string, owner: string, error: string | null): Promise<void> {
  await db.updateTable('job_leases').set({ owner: null, lease_until: null, last_error: error })
    .where('name', '=', name).where('owner', '=', owner).execute();
}

/** Claims and runs one job if it is due; true when it ran here. Errors are recorded and passed to onError. */
export async function runJobOnce(db: Executor, job: JobSpec, clock: Clock, opts: { owner?: string; onError?: (err: unknown) => void } = {}): Promise<boolean> {
  const owner = opts.owner ?? PROCESS_OWNER;
  if (!(await claimJob(db, job, owner, clock.now()))) return false;
  let error: string | null = null;
  try {
    await job.run(clock.now());
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    opts.onError?.(err);
  } finally {
    await releaseJob(db, job.name, owner, error);
  }
  return true;
}

/**
 * Starts a timer per registered job; each tick tries to claim the job through the database, so that several
 * servers sharing one PostgreSQL never run the same job at once and together run it about every `everySeconds`.
 * A tick that finds the previous run of this process still going skips. Returns a stop function: it clears the
 * timers and resolves once the runs under way have finished (their lease released), so a caller may then close the
 * database without a run failing under it.
 */
export function startJobRunner(db: Executor, clock: Clock, opts: { onError: (err: unknown, job: string) => void; jobs?: JobSpec[] }): () => Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  for (const job of opts.jobs ?? registeredJobs()) {
    let current: Promise<void> | undefined;
    const run = async () => {
      try {
        await runJobOnce(db, job, clock, { onError: (err) => opts.onError(err, job.name) });
      } catch (err) {
        opts.onError(err, job.name);
      }
    };
    const tick = () => {
      if (current) return;
      const p = run().catch(() => undefined).finally(() => {
        current = undefined;
        running.delete(p);
      });
      current = p;
      running.add(p);
    };
    const first = setTimeout(tick, (job.firstDelaySeconds ?? 5) * 1000);
    const every = setInterval(tick, job.everySeconds * 1000);
    first.unref();
    every.unref();
    timers.push(first, every);
  }
  return async () => {
    for (const t of timers) clearTimeout(t);
    await Promise.all([...running]);
  };
}
