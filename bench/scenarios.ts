import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { RawEngine } from './engines.ts';
import { repeat, rssOf, withRssSampling, type Timing } from './measure.ts';
import { getJson, login, startServer, type RunningServer } from './server.ts';

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
  cookie: string;
  raw: RawEngine;
  /** API paths the running server documents in its OpenAPI document. */
  paths: string[];
  /** Per-scenario time budget for repeated requests, ms. */
  budgetMs: number;
  /** Seconds each load run (autocannon) lasts. */
  loadSeconds: number;
  city: string;
  county: string;
}

const repeatOpts = (ctx: ScenarioContext) => ({ warmup: 3, runs: 50, minRuns: 5, budgetMs: ctx.budgetMs });

// The filter of the project list (applyProjectFilter in project.repository.ts), written out as plain SQL.
const REGION_FILTER = `p.deleted_at is null and p.region_code in (select code from regions where path like (select path || '%' from regions where code = ?))`;

interface ListCase { label: string; query: Record<string, string>; where: string; params: unknown[] }

async function listScenario(ctx: ScenarioContext, id: string, title: string, cases: ListCase[]): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  for (const c of cases) {
    const qs = new URLSearchParams({ ...c.query, sort: 'total_investment', order: 'desc', page: '1', page_size: '50' });
    const url = `/api/v1/projects?${qs}`;
    const body = await getJson(ctx.server.base, url, ctx.cookie) as { items: unknown[]; totals: { count: number; total_investment: number } };
    const api = await repeat(() => getJson(ctx.server.base, url, ctx.cookie), repeatOpts(ctx));
    const where = `${REGION_FILTER} and ${c.where}`;
    const rawOnce = async () => {
      const page = await ctx.raw.query(`select p.* from projects p where ${where} order by p.total_investment desc, p.id desc limit 50 offset 0`, c.params);
      const totals = await ctx.raw.query(`select count(*) as n, coalesce(sum(p.total_investment), 0) as s from projects p where ${where}`, c.params);
      return { page, totals: totals[0]! };
    };
    const check = await rawOnce();
    const raw = await repeat(rawOnce, repeatOpts(ctx));
    const matches = Number(check.totals.n) === body.totals.count && Number(check.totals.s) === body.totals.total_investment && check.page.length === body.items.length;
    out.push({
      id: `${id}${c.label ? ` ${c.label}` : ''}`, title, status: matches ? 'ok' : 'failed', api, raw, ratio: round2(api.median / raw.median),
      figures: { url, matched: body.totals.count, totals_equal_raw: matches },
      ...(matches ? {} : { note: `API totals ${JSON.stringify(body.totals)} differ from raw ${JSON.stringify(check.totals)}` }),
    });
  }
  return out;
}

/** 1. Project list: region subtree + stage filter, sorted by total investment, first page of 50, with totals. */
export function projectList(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  return listScenario(ctx, '1', '项目列表 project list: region subtree + stage, by total investment, page 1 of 50, with totals', [
    { label: 'city', query: { region: ctx.city, stage: 'started' }, where: `p.stage in (?)`, params: [ctx.city, 'started'] },
    { label: 'county', query: { region: ctx.county, stage: 'started' }, where: `p.stage in (?)`, params: [ctx.county, 'started'] },
  ]);
}

/** 2. The same list with text search: a Chinese substring and pinyin initials. */
export function projectSearch(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const like = (q: string) => ({ where: `p.search_text like ? escape '\\'`, params: [ctx.city, `%${q}%`] });
  return listScenario(ctx, '2', '项目检索 text search over the city: Chinese substring, pinyin initials', [
    { label: '新能源', query: { region: ctx.city, q: '新能源' }, ...like('新能源') },
    { label: 'xnyqc', query: { region: ctx.city, q: 'xnyqc' }, ...like('xnyqc') },
  ]);
}

/** A scenario whose API has not landed: say so, never invent a figure. */
function unavailable(id: string, title: string, needs: string): ScenarioResult {
  return { id, title, status: 'not available yet', note: `no ${needs} route on this branch yet` };
}

const hasPath = (ctx: ScenarioContext, re: RegExp) => ctx.paths.some((p) => re.test(p));

/** 3. Indicators for the city and a month, and their breakdown by county. */
export async function indicators(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '指标 indicators for the city, month N, and breakdown by county';
  if (!hasPath(ctx, /indicator/)) return [unavailable('3', title, 'indicators (issue 4)')];
  return [unavailable('3', title, 'indicators request shape known to the benchmark')];
}

/** 4. Lights (红黄绿灯) for a county. */
export async function lights(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '红黄绿灯 lights for a county';
  if (!hasPath(ctx, /light/)) return [unavailable('4', title, 'lights (issue 4)')];
  return [unavailable('4', title, 'lights request shape known to the benchmark')];
}

/** 5. Month-end surge: many units submitting reports at once. */
export async function surge(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = '月末集中填报 month-end surge of report submissions';
  if (!hasPath(ctx, /report/)) return [unavailable('5', title, 'monthly report submission (issue 4)')];
  return [unavailable('5', title, 'report submission request shape known to the benchmark')];
}

/** 6. Import of a 100k-row workbook and export of 100k rows, with peak RSS. */
export async function importExport(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = 'Excel 导入导出 import 100k rows, export 100k rows';
  if (!hasPath(ctx, /import|export/)) return [unavailable('6', title, 'workbook import/export (issue 5)')];
  return [unavailable('6', title, 'import/export request shape known to the benchmark')];
}

/**
 * 7. Cold start to first answer (a fresh `docket serve` process on the built database), idle RSS, and RSS
 * under a bounded autocannon load of project-list requests.
 */
export async function startAndMemory(ctx: ScenarioContext, start: { dataDir: string; databaseUrl?: string }): Promise<ScenarioResult[]> {
  const cold = await startServer(start);
  let firstListMs: number;
  try {
    const t = performance.now();
    const cookie = await login(cold.base, 'office', 'Docket#2026');
    await getJson(cold.base, `/api/v1/projects?region=${ctx.city}&page_size=50`, cookie);
    firstListMs = cold.healthyAfterMs + (performance.now() - t);
  } finally {
    await cold.stop();
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rssOf(ctx.server.pid);
  const qs = (q: Record<string, string>) => `/api/v1/projects?${new URLSearchParams({ ...q, sort: 'total_investment', order: 'desc', page_size: '50' })}`;
  const requests = [
    { method: 'GET', path: qs({ region: ctx.county, stage: 'started' }) },
    { method: 'GET', path: qs({ region: ctx.county }) },
    { method: 'GET', path: qs({ region: ctx.county, q: '新能源' }) },
  ];
  const { result, maxRssMb } = await withRssSampling(ctx.server.pid, () => autocannon({
    url: ctx.server.base, connections: 10, duration: ctx.loadSeconds, timeout: 30, headers: { cookie: ctx.cookie }, requests,
  }));
  return [
    { id: '7 cold start', title: '冷启动 cold start: spawn `docket serve` → first answer', status: 'ok', figures: { health_ms: round2(cold.healthyAfterMs), first_list_ms: round2(firstListMs) } },
    {
      id: '7 memory', title: '内存 idle RSS and RSS under a county-list load (10 connections)', status: result.errors || result.non2xx ? 'failed' : 'ok',
      figures: {
        idle_rss_mb: idle.rssMb, load_max_rss_mb: maxRssMb, load_seconds: ctx.loadSeconds, load_requests_per_s: round2(result.requests.average),
        load_p99_ms: result.latency.p99, load_errors: result.errors, load_non2xx: result.non2xx,
      },
    },
  ];
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
