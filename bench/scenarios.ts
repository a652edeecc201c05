import { performance } from 'node:perf_hooks';
import { createDeps } from '../server/deps.ts';
import autocannon from 'autocannon';
import { systemActor } from '../server/context.ts';
import type { Database } from '../server/db/database.ts';
import { createProjectService, projectListQuerySchema } from '../server/modules/projects/index.ts';
import { createIndicatorService, indicatorQuerySchema } from '../server/modules/indicators/index.ts';
import { createLightService, lightsQuerySchema } from '../server/modules/lights/index.ts';
import { createMonthlyReportService } from '../server/modules/reports/index.ts';
import { captureQueries, type RawEngine } from './engines.ts';
import { cpuMsOf, ownCpuMs, quantile, repeat, rssOf, withRssSampling, type Timing } from './measure.ts';
import { getJson, login, startServer, type RunningServer, type Session } from './server.ts';
import { prepareSurge } from './surge.ts';
import { importExport as runWorkbooks } from './workbooks.ts';

/** What a scenario reports: measured figures, or why it could not run. */
export interface ScenarioResult {
  id: string;
  title: string;
  status: 'ok' | 'not available yet' | 'failed';
  note?: string;
  api?: Timing;
  raw?: Timing;
  /** API median ÷ raw median. */
  ratio?: number;
  figures?: Record<string, number | string | boolean>;
}

/** Everything a scenario needs: the running server, a signed-in office, the raw engine and the run's budget. */
export interface ScenarioContext {
  server: RunningServer;
  session: Session;
  raw: RawEngine;
  target: { dataDir: string; databaseUrl?: string };
  /** API paths the running server documents in its OpenAPI document. */
  paths: string[];
  /** Per-scenario time budget for repeated requests, ms. */
  budgetMs: number;
  /** Seconds each load run (autocannon) lasts at most. */
  loadSeconds: number;
  year: number;
  month: number;
  /** The portfolio size asked for (the monthly import of scenario 8 has as many rows). */
  projects: number;
  city: string;
  county: string;
}

const repeatOpts = (ctx: ScenarioContext) => ({ warmup: 3, runs: 50, minRuns: 5, budgetMs: ctx.budgetMs });
const round2 = (v: number) => Math.round(v * 100) / 100;
const hasPath = (ctx: ScenarioContext, re: RegExp) => ctx.paths.some((p) => re.test(p));

interface ApiCase {
  id: string;
  title: string;
  url: string;
  /** The same question through the service layer, to capture the SQL the API runs. */
  viaService: (database: Database) => Promise<unknown>;
  /** Checks the API's answer (e.g. totals against a direct count); returns a problem or undefined. */
  check?: (body: unknown) => Promise<string | undefined>;
}

/** Times the API request, then replays the statements it runs straight on the engine, and relates the two. */
async function measureCase(ctx: ScenarioContext, c: ApiCase): Promise<ScenarioResult> {
  const body = await getJson(ctx.server.base, c.url, ctx.session.cookie);
  const problem = await c.check?.(body);
  const api = await repeat(() => getJson(ctx.server.base, c.url, ctx.session.cookie), { ...repeatOpts(ctx), cpu: () => cpuMsOf(ctx.server.pid) });
  const queries = await captureQueries(ctx.target, c.viaService);
  // Raw CPU is this process's: meaningful for SQLite (the engine runs in-process), not for PostgreSQL.
  const raw = await repeat(() => ctx.raw.replay(queries), { ...repeatOpts(ctx), ...(ctx.raw.name === 'sqlite' ? { cpu: ownCpuMs } : {}) });
  return {
    id: c.id, title: c.title, status: problem ? 'failed' : 'ok', api, raw, ratio: round2(api.median / raw.median),
    figures: {
      url: c.url, statements: queries.length,
      ...(api.cpuMs !== undefined ? { api_cpu_ms: api.cpuMs } : {}),
      ...(raw.cpuMs !== undefined ? { raw_cpu_ms: raw.cpuMs, cpu_ratio: round2((api.cpuMs ?? Number.NaN) / raw.cpuMs) } : {}),
    },
    ...(problem ? { note: problem } : {}),
  };
}

const listUrl = (q: Record<string, string>) => `/api/v1/projects?${new URLSearchParams({ ...q, sort: 'total_investment', order: 'desc', page: '1', page_size: '50' })}`;

/** A list case whose totals are checked against a direct count over the same filter. */
function listCase(ctx: ScenarioContext, id: string, title: string, q: Record<string, string>, countWhere: string, params: unknown[]): ApiCase {
  const url = listUrl(q);
  return {
    id, title, url,
    viaService: (database) => createProjectService(createDeps(database.db)).listProjects(systemActor(), projectListQuerySchema.parse(Object.fromEntries(new URL(url, 'http://x').searchParams))),
    check: async (body) => {
      const b = body as { items: unknown[]; totals: { count: number; total_investment: number; annual_planned: number; year: number } };
      const ph = (i: number) => (ctx.raw.name === 'postgres' ? `$${i}` : '?');
      const where = countWhere.replace(/\$(\d)/g, (_, i: string) => ph(Number(i)));
      // Σ annual plan too: the list sums it from kept totals where the filter allows (issue 16), checked here at scale.
      const rows = await ctx.raw.query(
        `select count(*) as n, coalesce(sum(p.total_investment), 0) as s, coalesce(sum(a.planned_investment), 0) as pl from projects p
          left join annual_plans a on a.project_id = p.id and a.year = ${Number(b.totals.year)}
          where p.deleted_at is null and p.region_code in (select code from regions where path like ${ph(1)}) and ${where}`,
        [`%/${q.region}/%`, ...params],
      );
      const n = Number(rows[0]!.n);
      const s = Number(rows[0]!.s);
      const pl = Number(rows[0]!.pl);
      return n === b.totals.count && s === b.totals.total_investment && pl === b.totals.annual_planned && b.items.length === Math.min(50, n)
        ? undefined : `API totals ${JSON.stringify(b.totals)} ≠ direct count ${n} / ${s} / ${pl}`;
    },
  };
}

/** 1. Project list: region subtree + stage filter, sorted by total investment, first page of 50, with totals. */
export async function projectList(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '项目列表 project list: region subtree + stage, by total investment, page 1 of 50, with totals';
  return [
    await measureCase(ctx, listCase(ctx, '1 list city', title, { region: ctx.city, stage: 'started' }, `p.stage = $2`, ['started'])),
    await measureCase(ctx, listCase(ctx, '1 list county', title, { region: ctx.county, stage: 'started' }, `p.stage = $2`, ['started'])),
  ];
}

/** 2. The same list with text search: a Chinese substring and pinyin initials. */
export async function projectSearch(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '项目检索 text search over the city: Chinese substring, full pinyin, pinyin initials';
  return [
    await measureCase(ctx, listCase(ctx, '2 search 新能源', title, { region: ctx.city, q: '新能源' }, `p.search_text like $2`, ['%新能源%'])),
    await measureCase(ctx, listCase(ctx, '2 search xinnengyuan', title, { region: ctx.city, q: 'xinnengyuan' }, `p.search_text like $2`, ['%xinnengyuan%'])),
    await measureCase(ctx, listCase(ctx, '2 search xnyqc', title, { region: ctx.city, q: 'xnyqc' }, `p.search_text like $2`, ['%xnyqc%'])),
  ];
}

/**
 * 9. The review queue (审核) and the 催报 list of the city for the last reported month (issue 16): the demo approved
 * every report of that month, so the queue is empty and the 催报 list holds only the projects without a report.
 */
export async function reviewAndReminders(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '审核队列与催报 review queue and 催报 list of the city, last reported month';
  const period = `/api/v1/reporting/periods/${ctx.year}/${ctx.month}`;
  const make = (id: string, page: 'review-queue' | 'missing'): ApiCase => ({
    id, title, url: `${period}/${page}`,
    viaService: (database) => {
      const reports = createMonthlyReportService(createDeps(database.db));
      return page === 'missing' ? reports.missing(systemActor(), ctx.year, ctx.month, undefined) : reports.reviewQueue(systemActor(), ctx.year, ctx.month, undefined);
    },
  });
  // What the 催报 tab asks for at month end: the open month after the last reported one (nothing reported yet), one
  // page of owing units with five of each one's missing projects.
  const monthEnd: ApiCase = {
    id: '9 催报 city month-end page', title,
    url: `/api/v1/reporting/periods/${ctx.year}/${ctx.month + 1}/missing?page=1&page_size=50&per_unit=5`,
    viaService: (database) => createMonthlyReportService(createDeps(database.db)).missingPage(systemActor(), ctx.year, ctx.month + 1, undefined, { page: 1, pageSize: 50, perUnit: 5 }),
  };
  return [
    await measureCase(ctx, make('9 review queue city', 'review-queue')), await measureCase(ctx, make('9 催报 city', 'missing')),
    ...(ctx.month < 12 ? [await measureCase(ctx, monthEnd)] : []),
  ];
}

/** A scenario whose API has not landed: say so, never invent a figure. */
function unavailable(id: string, title: string, needs: string): ScenarioResult {
  return { id, title, status: 'not available yet', note: `no ${needs} API on this branch yet` };
}

/** 3. Indicators for the city and a month, and their breakdown by county. */
export async function indicators(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '指标 indicators: the city, 1–N月, and the breakdown by county';
  if (!hasPath(ctx, /^\/api\/v1\/indicators$/)) return [unavailable('3 indicators', title, 'indicators (issue 4)')];
  const make = (id: string, q: Record<string, string>): ApiCase => {
    const query = { ...q, year: String(ctx.year), month: String(ctx.month) };
    return {
      id, title, url: `/api/v1/indicators?${new URLSearchParams(query)}`,
      viaService: (database) => createIndicatorService(createDeps(database.db)).getIndicators(systemActor(), indicatorQuerySchema.parse(query)),
    };
  };
  return [
    await measureCase(ctx, make('3 indicators city', { region: ctx.city })),
    await measureCase(ctx, make('3 indicators by county', { region: ctx.city, breakdown: 'region' })),
  ];
}

/** 4. Lights (红黄绿灯) for a county. */
export async function lights(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '红黄绿灯 lights for a county, 1–N月 (red and yellow, first page)';
  if (!hasPath(ctx, /^\/api\/v1\/lights$/)) return [unavailable('4 lights', title, 'lights (issue 4)')];
  const query = { region: ctx.county, year: String(ctx.year), month: String(ctx.month) };
  return [await measureCase(ctx, {
    id: '4 lights county', title, url: `/api/v1/lights?${new URLSearchParams(query)}`,
    viaService: (database) => createLightService(createDeps(database.db))
      .getLights(systemActor(), lightsQuerySchema.parse(query)),
  })];
}

/**
 * 5. Month-end surge: reporters of many units save and submit their projects' reports for the open month at
 * once (two requests per submission, autocannon on loopback, bounded in time); afterwards every acknowledged
 * submission is looked up in the database.
 */
export async function surge(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '月末集中填报 month-end surge: units saving and submitting reports at once';
  if (!hasPath(ctx, /^\/api\/v1\/reports\/\{id\}\/submit$/) || !hasPath(ctx, /^\/api\/v1\/projects\/\{projectId\}\/reports\/\{year\}\/\{month\}$/)) {
    return [unavailable('5 surge', title, 'monthly report submission (issue 4)')];
  }
  const plan = await prepareSurge(ctx, { units: 40, connections: 40 });
  const cpu0 = cpuMsOf(ctx.server.pid);
  const started = performance.now();
  const { result, maxRssMb } = await withRssSampling(ctx.server.pid, async () => {
    const instance = autocannon({ url: ctx.server.base, connections: plan.connections, duration: ctx.loadSeconds, timeout: 30, requests: plan.requests });
    plan.onExhausted(() => instance.stop());
    return instance;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = cpuMsOf(ctx.server.pid) - cpu0;
  const stored = await plan.countStored();
  const lost = plan.acknowledged.size - stored;
  const submissionMs = [...plan.submissionMs].sort((a, b) => a - b);
  return [{
    id: '5 surge', title, status: lost === 0 && plan.acknowledged.size > 0 ? 'ok' : 'failed',
    ...(lost !== 0 ? { note: `${lost} acknowledged submissions not found as submitted` } : {}),
    figures: {
      units: plan.units, connections: plan.connections, seconds: round2(seconds), submissions_acknowledged: plan.acknowledged.size,
      submissions_per_s: round2(plan.acknowledged.size / seconds), requests_per_s: round2(result.requests.average),
      p50_ms: result.latency.p50, p99_ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      // Save sent → submission acknowledged (both requests).
      submission_p50_ms: Math.round(quantile(submissionMs, 0.5)), submission_p95_ms: Math.round(quantile(submissionMs, 0.95)),
      stored_submitted: stored, lost, max_rss_mb: maxRssMb,
      server_cpu_ms_per_submission: plan.acknowledged.size ? round2(cpuMs / plan.acknowledged.size) : 'n/a',
    },
  }];
}

/** 6. Import of a 100k-row workbook and export of 100k rows, with peak RSS (bench/workbooks.ts). */
export async function importExport(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = 'Excel 导入导出 import 100k rows, export 100k rows';
  if (!hasPath(ctx, /^\/api\/v1\/imports\/apply$/) || !hasPath(ctx, /^\/api\/v1\/exports\/projects\.xlsx$/)) return [unavailable('6 workbooks', title, 'workbook import/export (issue 5)')];
  return runWorkbooks(ctx);
}

/**
 * 7. Cold start to first answer (a fresh `docket serve` process on the built database), idle RSS, and RSS
 * under a bounded autocannon load of county-list requests.
 */
export async function startAndMemory(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const cold = await startServer(ctx.target);
  let firstListMs: number;
  try {
    const t = performance.now();
    const session = await login(cold.base, 'office', 'Docket#2026');
    await getJson(cold.base, listUrl({ region: ctx.city }), session.cookie);
    firstListMs = cold.healthyAfterMs + (performance.now() - t);
  } finally {
    await cold.stop();
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rssOf(ctx.server.pid);
  const requests = [
    { method: 'GET', path: listUrl({ region: ctx.county, stage: 'started' }) },
    { method: 'GET', path: listUrl({ region: ctx.county }) },
    { method: 'GET', path: listUrl({ region: ctx.county, q: '新能源' }) },
  ];
  const { result, maxRssMb } = await withRssSampling(ctx.server.pid, () => autocannon({
    url: ctx.server.base, connections: 10, duration: ctx.loadSeconds, timeout: 30, headers: { cookie: ctx.session.cookie }, requests,
  }));
  return [
    {
      id: '7 cold start', title: '冷启动 cold start: spawn `docket serve` → first answer', status: 'ok',
      figures: { health_ms: round2(cold.healthyAfterMs), health_cpu_ms: cold.cpuMsAtHealthy, first_list_ms: round2(firstListMs) },
    },
    {
      id: '7 memory', title: '内存 idle RSS and RSS under a county-list load (10 connections)', status: result.errors || result.non2xx ? 'failed' : 'ok',
      figures: {
        idle_rss_mb: idle.rssMb, idle_anon_mb: idle.anonMb, idle_file_mb: idle.fileMb, load_max_rss_mb: maxRssMb, load_seconds: ctx.loadSeconds, load_requests_per_s: round2(result.requests.average),
        load_p99_ms: result.latency.p99, load_errors: result.errors, load_non2xx: result.non2xx,
      },
    },
  ];
}
