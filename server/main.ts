import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { lightsWarmupJob } from './modules/lights/index.ts';
import { registerJob, startJobRunner } from './platform/jobs.ts';
import { deadlineJob } from './platform/deadlines/deadlines.ts';
import { clock } from './clock.ts';
import { createDeps } from './deps.ts';
import { reportTodosJob } from './modules/reports/index.ts';
import { anchorPathsOf, auditChainJob, startAuditAnchoring } from './modules/audit/index.ts';

/** Opens the database, applies migrations and listens; resolves with the address once ready. */
export async function startServer(config: Config): Promise<{ url: string; close: () => Promise<void> }> {
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const app = await buildApp(config, database);
  const address = await app.listen({ port: config.port, host: config.host });
  if (config.lightsWarmupSeconds > 0) registerJob(lightsWarmupJob(database, config.lightsWarmupSeconds));
  registerJob(deadlineJob(database.db)); // issue 17: escalation steps of every deadline (matters, problems …)
  registerJob(auditChainJob(database.db)); // issue 16: events a crash left unchained between commit and chaining
  registerJob(reportTodosJob(createDeps(database.db, { clock }))); // issue 17: reporters' to-dos for paths that do not re-derive them
  const stopJobs = startJobRunner(database.db, clock, { onError: (err, job) => app.log.warn({ err, job }, 'background job failed') });
  // A small self-contained timer for now (it writes a file beside this server, not a row): ready to move onto
  // the platform's job runner.
  const stopAnchoring = config.auditAnchorSeconds > 0
    ? startAuditAnchoring(database, anchorPathsOf(config), { intervalMs: config.auditAnchorSeconds * 1000, onError: (err) => app.log.error({ err }, 'audit anchor failed') })
    : async () => undefined;
  const close = async () => {
    // Both wait for a run under way (a deadline step, an anchor write) before the app and the database close.
    await Promise.all([stopJobs(), stopAnchoring()]);
    await app.close();
    await database.destroy();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void close().then(() => process.exit(0)));
  }
  return { url: address, close };
}
