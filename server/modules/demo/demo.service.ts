import type { Database } from '../../db/database.ts';
import { ReportRepository, syncOpenPeriodTodos } from '../reports/index.ts';
import { ProjectRepository } from '../projects/index.ts';
import { createAgendaService, createMatterService, registerSupervision, seedDemoMatters } from '../supervision/index.ts';
import { AppError } from '../../errors.ts';
import { hashPassword } from '../users/index.ts';
import { IndicatorService } from '../indicators/index.ts';
import { seedRegions } from '../reference/index.ts';
import { CITY_DEPARTMENTS, PARKS, STATE_COMPANIES } from './demo.catalog.ts';
import { generatePortfolio, type DemoUnit, type ProjectBundle } from './demo.generator.ts';
import { createBulkWriter, DemoRepository } from './demo.repository.ts';
import { clock } from '../../clock.ts';
import { chinaToday } from '../../../core/clock.ts';
import { systemActor } from '../../context.ts';
import { createSystemService } from '../system/index.ts';
import { registerProblemScopes, seedProblemsForDemo } from '../problems/index.ts';
import { seedEvaluationDemo } from '../evaluation/index.ts';
import { createDeps } from '../../deps.ts';
import { inTransaction } from '../../platform/tx.ts';
import { seedAttractionDemo } from '../attraction/index.ts';
import { performance } from 'node:perf_hooks';

/** The city the demo portfolio lives in: 苏州市 and its counties and townships from the real division tree. */
export const DEMO_CITY = { code: '320500', name: '苏州市' };
export const DEMO_PASSWORD = 'Docket#2026';

export interface DemoOptions {
  projects: number;
  seed: number;
  /** 'YYYY-MM-DD' the data describes (default: today, UTC); the reporting year is its year. */
  asOf?: string;
  /** Months 1..months get approved reports (default: every month completed before asOf). */
  months?: number;
  /** Projects written per transaction. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Seconds spent per phase of a demo load (the bench records them: issue 16). */
export type DemoPhases = Record<string, number>;

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  unit: string;
}

export interface DemoResult {
  skipped: boolean;
  projects: number;
  reports: number;
  year: number;
  months: number;
  accounts: DemoAccount[];
  /** Seconds per phase: generating rows in JS, each table's inserts, the rebuilds after the load, the rest. */
  phases?: DemoPhases;
}

/** Today as 'YYYY-MM-DD' in China. */
function today(): string {
  return chinaToday(clock.now());
}

/**
 * Fills an empty database with a realistic, deterministic portfolio: regions, a unit tree for 苏州市, demo
 * accounts, N projects with levels, stage history, this year's plans and approved monthly reports, and the year's
 * reporting periods. Does nothing when projects already exist.
 */
export async function generateDemo(database: Database, opts: DemoOptions): Promise<DemoResult> {
  const asOf = opts.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new AppError('validation_failed', `日期格式应为 YYYY-MM-DD：${asOf}`);
  const year = Number(asOf.slice(0, 4));
  const completedMonths = Number(asOf.slice(5, 7)) - 1;
  const months = opts.months ?? completedMonths;
  if (!Number.isInteger(months) || months < 0 || months > completedMonths) {
    throw new AppError('validation_failed', `填报月份数须在 0–${completedMonths} 之间（${asOf} 前已结束的月份）`);
  }
  const repo = new DemoRepository(database.db);
  if ((await repo.countProjects()) > 0) return { skipped: true, projects: 0, reports: 0, year, months, accounts: [] };

  await seedRegions(database.db, { townships: true });
  // The demo's events happen on its day in office hours (00:00–04:00 UTC, 08:00–12:00 China time). Loaded in the
  // small hours of today, those hours are still to come: every instant moves back so that the last is a minute ago.
  // A timestamp in the future would hide the next real writes from the indicator rollup's watermark until then.
  const shift = asOf === today() ? Math.max(0, Date.parse(`${asOf}T04:00:00.000Z`) + 60_000 - clock.now().getTime()) : 0;
  const instant = (utcTime: string) => new Date(Date.parse(`${asOf}T${utcTime}.000Z`) - shift);
  const now = instant('00:00:00').toISOString();
  const { units, counties, officeId, reporterUnit } = await inTransaction(database.db, async (trx) => buildUnitTree(new DemoRepository(trx), now));
  // The demo office has said who it is (本单位设置), as a real one does on its first day: its root unit and city.
  await createSystemService(createDeps(database.db)).configure(systemActor(), { office_name: `${DEMO_CITY.name}发展和改革委员会`, region_code: DEMO_CITY.code });

  const accounts: DemoAccount[] = [
    { username: 'office', password: DEMO_PASSWORD, role: 'office', unit: `${DEMO_CITY.name}发展和改革委员会` },
    { username: 'reporter', password: DEMO_PASSWORD, role: 'reporter', unit: reporterUnit.name },
    { username: 'leader', password: DEMO_PASSWORD, role: 'leader', unit: `${DEMO_CITY.name}发展和改革委员会` },
  ];
  const officeUser = await repo.insertUser({ username: 'office', displayName: '市发改委重点项目办（演示）', unitId: officeId, role: 'office', passwordHash: await hashPassword(DEMO_PASSWORD) }, now);
  const reporterUser = await repo.insertUser({ username: 'reporter', displayName: `${reporterUnit.name}填报员（演示）`, unitId: reporterUnit.id, role: 'reporter', passwordHash: await hashPassword(DEMO_PASSWORD) }, now);
  const leaderUser = await repo.insertUser({ username: 'leader', displayName: '分管领导（演示）', unitId: officeId, role: 'leader', passwordHash: await hashPassword(DEMO_PASSWORD) }, now);
  // The 三员: three separate people, none of whom sees project data.
  for (const [username, displayName] of [['sysadmin', '系统管理员（演示）'], ['secadmin', '安全管理员（演示）'], ['auditor', '安全审计员（演示）']] as const) {
    await repo.insertUser({ username, displayName, unitId: null, role: username, passwordHash: await hashPassword(DEMO_PASSWORD) }, now);
    accounts.push({ username, password: DEMO_PASSWORD, role: username, unit: '—' });
  }
  await repo.ensurePeriods(year, months, now);

  const phases: DemoPhases = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  const writer = createBulkWriter(database, phases);
  const batchSize = opts.batchSize ?? (database.dialect === 'sqlite' ? 5000 : 2000);
  let batch: ProjectBundle[] = [];
  let done = 0;
  let reports = 0;
  await inTransaction(database.db, (trx) => writer.beforeLoad(trx));
  const flush = async () => {
    await timed('load batches (all tables, with commits)', () => inTransaction(database.db, (trx) => writer.write(trx, batch)));
    done += batch.length;
    batch = [];
    opts.onProgress?.(done, opts.projects);
  };
  // The indexes and triggers beforeLoad set aside come back even when the load fails (its rows then stay, as before).
  try {
    const bundles = generatePortfolio({
      projects: opts.projects, seed: opts.seed, year, months, asOf, updatedAt: now, firstProjectId: await repo.nextProjectId(), units, counties,
      reporterId: reporterUser, reviewerId: officeUser,
    });
    for (;;) {
      const t0 = performance.now();
      const next = bundles.next();
      phases.generate = (phases.generate ?? 0) + (performance.now() - t0) / 1000;
      if (next.done) break;
      const bundle = next.value;
      batch.push(bundle);
      reports += bundle.reports.length;
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length) await flush();
  } finally {
    await timed('rebuild after load', () => inTransaction(database.db, (trx) => writer.afterLoad(trx, {
      listTotals: (tx) => new ProjectRepository(tx).rebuildKeptListTotals(),
      reportCounts: (tx) => new ReportRepository(tx).rebuildKeptReportCounts(),
    })));
  }
  // The indicator rollup is derived from the reports: rebuild it once after the bulk load.
  await timed('indicator rollup', () => inTransaction(database.db, (trx) => IndicatorService.rebuildAll(trx, year)));
  await timed('analyze', () => writer.finish());
  const restStarted = performance.now();
  // problems (issue 18): a few enterprises, visits and problems in several states, at the demo's date.
  const departments = ['苏州市自然资源和规划局', '苏州市生态环境局', '苏州市住房和城乡建设局'].map((n) => units.find((u) => u.name === n)?.id ?? officeId);
  const enterpriseIds = await seedProblemsForDemo({ ...createDeps(database.db), clock: { now: () => instant('02:00:00') } }, {
    asOf, regionCode: units.find((u) => u.id === reporterUnit.id)?.region ?? DEMO_CITY.code, reporter: { userId: reporterUser, unitId: reporterUnit.id, name: `${reporterUnit.name}填报员` },
    office: { userId: officeUser, unitId: officeId }, leader: { userId: leaderUser, unitId: officeId }, departments,
    projectId: await repo.firstProjectOfUnit(reporterUnit.id),
  });
  // Supervision (issue 17): a handful of matters in various states, dated at the demo's day.
  const demoClock = { now: () => instant('02:00:00') };
  const deps = createDeps(database.db, { clock: demoClock });
  registerSupervision(deps);
  registerProblemScopes(deps); // the matters' 关联企业 are checked by the problems module's enterprise visibility
  await seedDemoMatters(deps, createMatterService(deps), {
    officeUserId: officeUser, leaderUserId: leaderUser, reporterUserId: reporterUser, reporterUnitId: reporterUnit.id, coUnitId: units.find((u) => u.kind === 'office')?.id ?? officeId,
    enterpriseIds,
  }, createAgendaService(deps));
  // Reporters' to-dos (report due) of the open period: the bulk load above wrote no report through the services.
  await syncOpenPeriodTodos(deps);
  // Evaluation (考评): the year's scheme and a published 讲评 of the last completed month, judged at the demo's date.
  const at = instant('04:00:00');
  await seedEvaluationDemo(createDeps(database.db, { clock: { now: () => at } }), year, months, asOf);
  // The investment attraction pipeline (招商引资): a few dozen records over the portfolio's attraction projects.
  const reporterRegion = units.find((u) => u.id === reporterUnit.id)?.region;
  await inTransaction(database.db, (trx) => seedAttractionDemo(trx, { asOf, now, actorId: officeUser, reporterTeam: reporterRegion ? { id: reporterUnit.id, region_code: reporterRegion } : undefined }));
  phases['rest (problems, matters, to-dos, evaluation, attraction)'] = (performance.now() - restStarted) / 1000;
  return { skipped: false, projects: opts.projects, reports, year, months, accounts, phases };
}

/** The unit tree of the city: 发改委 at the top; county offices with their townships and parks; departments; state companies. */
async function buildUnitTree(repo: DemoRepository, now: string) {
  const city = await repo.findRegion(DEMO_CITY.code);
  if (!city) throw new AppError('not_found', `地区不存在：${DEMO_CITY.code}`);
  const counties = await repo.listChildRegions(DEMO_CITY.code);
  const units: DemoUnit[] = [];
  const officeId = await repo.insertUnit({ name: `${city.name}发展和改革委员会`, shortName: '市发改委', parentId: null, kind: 'office', regionCode: city.code, sort: 0 }, now);
  let reporterUnit: { id: number; name: string } | undefined;
  for (const [ci, county] of counties.entries()) {
    const isPark = county.name.endsWith('园区');
    const countyOffice = await repo.insertUnit({
      name: isPark ? `${county.name}经济发展委员会` : `${county.name}发展和改革局`, shortName: county.name,
      parentId: officeId, kind: isPark ? 'park' : 'office', regionCode: county.code, sort: ci + 1,
    }, now);
    units.push({ id: countyOffice, name: county.name, kind: isPark ? 'park' : 'office', region: county.code, county: county.code, countyName: county.name, placeName: county.name });
    const townships = await repo.listChildRegions(county.code);
    for (const [ti, t] of townships.entries()) {
      const name = t.name.endsWith('街道') ? `${t.name}办事处` : `${t.name}人民政府`;
      const id = await repo.insertUnit({ name, shortName: t.name, parentId: countyOffice, kind: 'township', regionCode: t.code, sort: ti }, now);
      units.push({ id, name, kind: 'township', region: t.code, county: county.code, countyName: county.name, placeName: t.name });
      if (!reporterUnit && county.code === '320506' && t.name.endsWith('镇')) reporterUnit = { id, name };
    }
    for (const [pi, park] of PARKS.filter((p) => p.county === county.code).entries()) {
      const id = await repo.insertUnit({ name: park.name, shortName: park.short, parentId: countyOffice, kind: 'park', regionCode: county.code, sort: 100 + pi }, now);
      units.push({ id, name: park.name, kind: 'park', region: county.code, county: county.code, countyName: county.name, placeName: park.short });
    }
  }
  for (const [i, d] of [...CITY_DEPARTMENTS.map((x) => ({ ...x, kind: 'department' as const })), ...STATE_COMPANIES.map((x) => ({ ...x, kind: 'company' as const }))].entries()) {
    const id = await repo.insertUnit({ name: d.name, shortName: d.short, parentId: officeId, kind: d.kind, regionCode: city.code, sort: 200 + i }, now);
    units.push({ id, name: d.name, kind: d.kind, region: city.code, county: '', countyName: '', placeName: d.short, categories: d.categories });
  }
  reporterUnit ??= units.find((u) => u.kind === 'township') ?? { id: officeId, name: `${city.name}发展和改革委员会` };
  return { units, counties, officeId, reporterUnit };
}
