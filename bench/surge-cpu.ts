// `node bench/surge-cpu.ts --portfolio DIR [--pg URL] [--pairs 300] [--profile FILE] [--year 2026 --month 11]` (issue 16): the month-end
// surge's unit of work measured without load — one server in this process, one reporter of the busiest unit, N
// save (PUT) + submit (POST) pairs one after another through app.inject — so the figures hardly move with the
// machine's load: this process's CPU ms per pair and the statements per pair (every statement Kysely runs, the
// session lookup included; BEGIN/COMMIT not counted). The portfolio folder is written to: pass a copy.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { DemoRepository } from '../server/modules/demo/index.ts';
import { hashPassword } from '../server/modules/users/index.ts';

const { values } = parseArgs({
  options: {
    portfolio: { type: 'string' }, pg: { type: 'string' }, pairs: { type: 'string', default: '300' },
    profile: { type: 'string' }, year: { type: 'string', default: '2026' }, month: { type: 'string', default: '11' }, warmup: { type: 'string', default: '20' },
  },
});
if (!values.portfolio) throw new Error('--portfolio DIR (a copy: the run writes to it)');

/** Counts the results Kysely hands back: one per statement run, compiled-cache statements included. */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return args.result;
  }
}

const year = Number(values.year);
const month = Number(values.month);
const config = loadConfig({ dataDir: values.portfolio, databaseUrl: values.pg ?? '', logLevel: 'silent', webDir: '/nonexistent', loginRateLimit: 100_000, lightsWarmupSeconds: 0 }, {});
const database = openDatabase(config);
await migrateToLatest(database.db);
const counter = new StatementCounter();
const counted = { ...database, db: database.db.withPlugin(counter) };
const app = await buildApp(config, counted);
await app.ready();

const repo = new DemoRepository(database.db);
const [unit] = await repo.listBusiestUnits(year, 1);
if (!unit) throw new Error('no unit with planned projects');
const username = `cpu_r_${unit.unit_id}_${Date.now()}`;
await repo.insertUser({ username, displayName: '压测填报员', unitId: unit.unit_id, role: 'reporter', passwordHash: await hashPassword('Bench#2026') }, new Date().toISOString());
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'Bench#2026' } });
if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
const session = login.cookies.find((c) => c.name === 'docket_session')!.value;
const csrf = login.cookies.find((c) => c.name === 'docket_csrf')!.value;
const headers = { cookie: `docket_session=${session}; docket_csrf=${csrf}`, 'x-csrf-token': csrf };

// Projects of the unit without a submitted report of the month.
const ids = await repo.listPlannedProjectIds(year, unit.unit_id);
const pairs = Number(values.pairs);
const warmup = Number(values.warmup);
let done = 0;
let cpuUs = 0;
let wallMs = 0;
let statements = 0;
let refused = 0;
// --profile FILE: a CPU profile of the measured pairs only (not the start-up, the migration or the warm-up).
const inspector = values.profile ? new Session() : undefined;
inspector?.connect();
let profiling = false;
for (const projectId of ids) {
  if (done >= warmup + pairs) break;
  const measuring = done >= warmup;
  if (measuring && inspector && !profiling) {
    profiling = true;
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  const before = process.cpuUsage();
  const t0 = performance.now();
  const s0 = counter.count;
  const save = await app.inject({
    method: 'PUT', url: `/api/v1/projects/${projectId}/reports/${year}/${month}`, headers,
    payload: { amount_month: 10_000 * (1 + (projectId % 500)), progress_text: '主体结构施工', workers: 20 + (projectId % 80) },
  });
  if (save.statusCode !== 200) {
    refused += 1;
    continue;
  }
  const report = save.json<{ id: number; version: number }>();
  const submit = await app.inject({ method: 'POST', url: `/api/v1/reports/${report.id}/submit`, headers, payload: { version: report.version } });
  if (submit.statusCode !== 200) throw new Error(`submit ${report.id}: ${submit.statusCode} ${submit.body}`);
  const used = process.cpuUsage(before);
  if (measuring) {
    cpuUs += used.user + used.system;
    wallMs += performance.now() - t0;
    statements += counter.count - s0;
  }
  done += 1;
}
if (inspector && profiling) fs.writeFileSync(values.profile!, JSON.stringify((await inspector.post('Profiler.stop')).profile));
await app.close();
await database.destroy();
const n = done - warmup;
console.log(JSON.stringify({
  engine: values.pg ? 'postgres' : 'sqlite', pairs: n, refused_saves: refused, cpu_ms_per_pair: +(cpuUs / 1000 / n).toFixed(2),
  wall_ms_per_pair: +(wallMs / n).toFixed(2), statements_per_pair: +(statements / n).toFixed(1),
}));
