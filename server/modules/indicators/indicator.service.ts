import { readState, writeState } from '../../platform/system-state.ts';
import {
  addSums, checkTimeCurve, computeIndicators, emptySums, formatPercent, fraction, periodLabel, subtract, timeProgress, toNumber, unrecordedIndicators,
  type IndicatorSums, type Indicators, type TimeCurve,
} from '../../../core/indicators.ts';
import type { Actor } from '../../context.ts';
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { createDeps } from '../../deps.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { yieldToEventLoop } from '../../platform/yield.ts';
import type { ProjectFilter } from '../../platform/project-filter.ts';
import { IndicatorRepository, type GroupColumn, type GroupSums, type YtdRow } from './indicator.repository.ts';
import { IndicatorGroupRepository, type GroupFilter } from './indicator-groups.repository.ts';
import { GroupDeltas } from './group-deltas.ts';
import type { Breakdown, IndicatorQuery, IndicatorSettingsWrite } from './indicator.schema.ts';
import { clock } from '../../clock.ts';
import { commonPath } from '../../../core/tree-path.ts';
import type { ReportStatus } from '../../../core/monthly-report.ts';

/** The repositories of the indicator engine, bound to one executor. */
export interface IndicatorRepositories {
  indicators: IndicatorRepository;
  groups: IndicatorGroupRepository;
}

/** Builds the repositories over an executor (a Kysely instance or a transaction). */
export function indicatorRepositories(db: Executor): IndicatorRepositories {
  return { indicators: new IndicatorRepository(db), groups: new IndicatorGroupRepository(db) };
}

/**
 * When the group rollup was last built from scratch, in system_state (platform/system-state.ts): its absence tells the
 * first read to build it. (Named for the timestamp watermark it once was; what changed since is in indicator_pending.)
 */
const WATERMARK = 'facts_synced_at';

/**
 * Yearly group rows per transaction when a bulk write's deltas are applied: a 100k portfolio has about 14k groups,
 * and a step of this many upserts holds the writer for a fraction of a second (a sign-in waits for one step).
 */
const GROUPS_PER_STEP = 2000;

/** Filter fields the group rollup answers; any other field set sends the query to the per-project scan. */
const GROUP_FILTER_FIELDS = new Set(['region', 'unit', 'stage', 'nature', 'category', 'investment_type']);

const LABELS: Record<string, Record<string, string>> = {
  nature: { new: '新建', continued: '续建', expansion: '扩建', reconstruction: '改建', tech_upgrade: '技改' },
  investment_type: { government: '政府投资', social: '社会投资' },
  level: { national: '国家重点', province: '省重点', city: '市重点', county: '县重点' },
};

/** One row of a breakdown: the group and its indicators. */
export interface BreakdownItem {
  key: string | null;
  label: string;
  indicators: Indicators;
}

/** One month of the trend. */
export interface TrendPoint {
  month: number;
  period_label: string;
  completed_ytd: number;
  completion_rate: number | null;
  completion_rate_text: string;
  time_progress: number;
  time_progress_text: string;
  gap_points: number | null;
  gap_points_text: string;
  /**
   * False for a month before the year's recorded progress begins (an office's first list imported with 1–N月累计
   * only): its completion is unknown, not zero — rate and gap are null and printed "—".
   */
  recorded: boolean;
}

/** What the rollup check found. */
export interface VerifyResult {
  ok: boolean;
  /** Rows of indicator_facts / indicator_groups that differ from a recomputation (both directions counted). */
  facts_rows_differing: number;
  groups_rows_differing: number;
  /** Rows recomputed but missing or different in storage, and stored rows extra or different (full counts). */
  expected_rows_differing: number;
  stored_rows_differing: number;
  /** The differing rows, paired by project and year (the first 1000 of each side). */
  differences: { project_id: number; year: number; stored: number[] | null; expected: number[] | null }[];
}

/** The path segment right below `parent` on `path`, or undefined when the path is the parent itself. */
function childSegment(parent: string, path: string): string | undefined {
  if (!path.startsWith(parent) || path === parent) return undefined;
  return path.slice(parent.length).split('/')[0];
}

/** The indicator engine: figures for a scope and period, breakdowns, the trend, settings and the rollup. */
export class IndicatorService {
  private readonly repo: IndicatorRepository;
  private readonly groups: IndicatorGroupRepository;
  private readonly deps: Pick<Deps, 'db' | 'clock' | 'audit'>;
  constructor(deps: Pick<Deps, 'db' | 'clock' | 'audit'>) {
    this.deps = deps;
    const repos = indicatorRepositories(deps.db);
    this.repo = repos.indicators;
    this.groups = repos.groups;
  }

  /**
   * The hook the reporting code calls, inside its transaction, after writing, deleting, submitting, approving or
   * returning a report of (projectId, year): recomputes that project's rollup rows from its reports. Writes to a
   * project or its annual plan need no hook (their updated_at is picked up before the next read), but calling it
   * there too keeps the next read from doing the work.
   */
  static async refreshProject(trx: Executor, projectId: number, year: number): Promise<void> {
    const { indicators, groups } = indicatorRepositories(trx);
    await groups.lockProject(projectId);
    await indicators.refreshProjectYear(projectId, year);
    await groups.refreshProjects([projectId]);
  }

  /**
   * refreshProject after a write that changed only reports in these statuses (a draft saved, with the reports its
   * rechaining rewrote): when none of them counts toward indicators (a setting), the project's rollup cannot have
   * moved and is left alone (issue 16: a save no longer pays the refresh).
   */
  static async refreshProjectIfCounted(trx: Executor, projectId: number, year: number, statuses: readonly ReportStatus[]): Promise<void> {
    const counted = await indicatorRepositories(trx).indicators.countedStatuses();
    if (!statuses.some((s) => counted.includes(s))) return;
    await IndicatorService.refreshProject(trx, projectId, year);
  }

  /**
   * The hook after a bulk write of many projects' reports of one year (an import, submit-all): the same as
   * refreshProject for each, set-based — the ytd rows per chunk of 500 projects, then the facts and group deltas
   * of the projects whose facts changed. Inside the writer's transaction.
   */
  static async refreshProjects(trx: Executor, projectIds: readonly number[], year: number): Promise<void> {
    if (!projectIds.length) return;
    const { indicators, groups } = indicatorRepositories(trx);
    await groups.lock();
    await indicators.refreshProjectYears(projectIds, year);
    // Deltas cost per project, a recomputation per year: past a tenth of the year's projects the latter wins.
    if (projectIds.length * 10 >= await groups.countFacts(year)) await groups.refreshProjectsBulk(projectIds);
    else await groups.refreshProjects([...projectIds]);
  }

  /**
   * One chunk of a chunked bulk write (imports, submit-all of thousands of reports), in the chunk's transaction: the
   * projects' ytd rows and facts, not the groups (only the facts that changed when `projectsWritten` is false).
   * Returns the chunk's group deltas; the caller merges those of its committed chunks (GroupDeltas.merge) and
   * applies them once at the end with refreshGroupsAfterChunks, so a chunk's transaction stays short and the whole
   * write linear in the rows it changes, not in the portfolio. `onlySubmitted`: the chunk only submitted drafts or
   * returned reports (IndicatorRepository.refreshProjectYearsChanged).
   */
  static async refreshProjectsChunk(trx: Executor, projectIds: readonly number[], year: number, opts: { projectsWritten?: boolean; onlySubmitted?: boolean } = {}): Promise<GroupDeltas> {
    if (!projectIds.length) return new GroupDeltas();
    const { indicators, groups } = indicatorRepositories(trx);
    await groups.lock();
    const changed = await indicators.refreshProjectYearsChanged(projectIds, year, { onlySubmitted: opts.onlySubmitted });
    // A write that left the projects' rows alone (reports only, `projectsWritten: false`) changes the ytd columns of
    // the facts of the projects whose ytd row changed and nothing else: a draft import leaves every fact and group
    // as it was. A write that moved projects (stages, statistics) re-snapshots their facts whole.
    if (opts.projectsWritten === false) return groups.refreshFactsYtd(year, changed);
    return groups.refreshFactsOnly(projectIds);
  }

  /**
   * The end of a chunked bulk write, before its last transaction: the group deltas of its committed chunks added
   * to indicator_groups, GROUPS_PER_STEP yearly group rows per short transaction with the event loop yielded
   * between, so a sign-in waits for one step's upsert at most. Single-report writes in between move their own
   * deltas, which commute with these. Deltas are exact only over the facts they were taken from: when a
   * recomputation of groups ran since the write's first chunk (the rollup epoch moved) or a sum could leave the
   * range where doubles are exact, the touched groups are recomputed from the facts instead, as before deltas
   * (issue 23).
   */
  static async refreshGroupsAfterChunks(db: Kysely<DB>, deltas: GroupDeltas): Promise<void> {
    const [epoch, ...others] = deltas.epochs;
    let valid = epoch !== undefined && others.length === 0 && deltas.exact();
    if (valid) {
      steps: for (const year of deltas.years()) {
        const rows = deltas.nonZero(year);
        for (let i = 0; i < rows.length; i += GROUPS_PER_STEP) {
          valid = await inTransaction(db, async (trx) => {
            const { groups } = indicatorRepositories(trx);
            await groups.lock();
            if (await groups.epoch() !== epoch) return false;
            await groups.applyDeltas(rows.slice(i, i + GROUPS_PER_STEP));
            return true;
          });
          await yieldToEventLoop();
          if (!valid) break steps;
        }
      }
      if (valid) return;
    }
    await IndicatorService.recomputeTouchedGroups(db, deltas.touched());
  }

  /**
   * Recomputes the given groups' yearly rows from the facts, 500 groups at a time, each step its own short
   * transaction with the event loop yielded between: the fallback of refreshGroupsAfterChunks.
   */
  private static async recomputeTouchedGroups(db: Kysely<DB>, stale: ReadonlyMap<number, ReadonlySet<string>>): Promise<void> {
    for (const [year, keySet] of stale) {
      const keys = [...keySet];
      for (let i = 0; i < keys.length; i += 500) {
        await inTransaction(db, async (trx) => {
          const { groups } = indicatorRepositories(trx);
          await groups.lock();
          await groups.recomputeGroupsOf(year, keys.slice(i, i + 500));
        });
        await yieldToEventLoop();
      }
    }
  }

  /** Rebuilds every rollup from the source rows (after a bulk load, or when the counted statuses change). */
  static async rebuildAll(trx: Executor, year?: number, now: Date = clock.now()): Promise<number> {
    const { indicators, groups } = indicatorRepositories(trx);
    const started = now.toISOString();
    await groups.lock();
    await groups.takePending();
    const n = await indicators.rebuild(year);
    await groups.rebuild();
    await writeState(trx, WATERMARK, started, started);
    return n;
  }

  /**
   * Brings the group rollup up to date with the projects and plans written since the last sync: those the triggers
   * noted in indicator_pending (issue 16: no timestamp comparison, so neither servers' clocks nor a long write that
   * commits late can hide one). The first read after a migration builds it. Report writes are already applied by the
   * hook.
   */
  async syncGroups(): Promise<void> {
    const built = (await readState(this.repo.executor, WATERMARK)) !== undefined;
    if (built && !(await this.groups.hasPending())) return;
    await inTransaction(this.deps.db, async (trx) => {
      const { indicators, groups } = indicatorRepositories(trx);
      await groups.lock();
      // Taken under the lock: a server that synced meanwhile has left nothing, and nobody else takes these.
      const changed = await groups.takePending();
      if (!built) {
        await groups.rebuild();
        const at = this.deps.clock.now().toISOString();
        await writeState(indicators.executor, WATERMARK, at, at);
      } else if (!changed.length) {
        return;
      } else if (changed.length * 10 >= await groups.countFacts(this.deps.clock.now().getFullYear())) {
        // After a bulk write (a project or plan import) a tenth of the portfolio or more: recompute the years' groups
        // once instead of moving each project by deltas (which took minutes at 100k projects).
        await groups.refreshProjectsBulk(changed);
      } else {
        await groups.refreshProjects(changed);
      }
    });
  }

  /**
   * After a bulk write of projects or plans (an import), outside its transaction: applies it to the group rollup
   * now, so that the first indicators read afterwards has nothing left to do.
   */
  static async syncAfterBulkWrite(db: Kysely<DB>): Promise<void> {
    await new IndicatorService(createDeps(db)).syncGroups();
  }

  /** The filter as the group rollup reads it, or undefined when only the per-project scan can answer it. */
  private groupFilter(actor: Actor, filter: ProjectFilter): GroupFilter | undefined {
    if (!actor.scope.all) return undefined;
    for (const [field, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '' && !GROUP_FILTER_FIELDS.has(field)) return undefined;
    }
    const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
    const f = filter as ProjectFilter & Record<'nature' | 'category' | 'investment_type', string | undefined>;
    return {
      region: f.region || undefined, unit: f.unit, stage: list(f.stage), nature: list(f.nature), category: list(f.category),
      investment_type: list(f.investment_type),
    };
  }

  /**
   * The first month of the year whose progress Docket holds, when the year began with an imported list carrying
   * only 1–N月 cumulative figures (docs/indicators.md "Months before an imported list"); null otherwise.
   */
  async recordsFrom(year: number): Promise<number | null> {
    const v = await this.repo.findSetting(`records_from:${year}`);
    return typeof v === 'number' ? v : null;
  }

  /**
   * Records that the year's progress begins at month N: an import wrote 1–N月 cumulative figures and the year had
   * no report before N. An earlier N (an older list imported afterwards) moves it back; a later one never forward.
   */
  static async markRecordsFrom(executor: Executor, year: number, month: number, userId: number | null): Promise<void> {
    const repo = new IndicatorRepository(executor);
    const current = await repo.findSetting(`records_from:${year}`);
    if (typeof current === 'number' && current <= month) return;
    if (await repo.hasReportsBefore(year, month)) return;
    await repo.putSetting(`records_from:${year}`, month, userId);
  }

  /** The office's time-progress curve for the year, or null for N/12. */
  async timeCurve(year: number): Promise<TimeCurve | null> {
    const v = await this.repo.findSetting(`time_curve:${year}`);
    return Array.isArray(v) ? v.map(Number) : null;
  }

  async getSettings(year?: number) {
    return {
      counted_statuses: await this.repo.countedStatuses(),
      ...(year !== undefined ? { year, time_curve: await this.timeCurve(year) } : {}),
    };
  }

  /** Changes settings; a change of the counted statuses rebuilds the rollup in the same transaction. */
  async updateSettings(actor: Actor, input: IndicatorSettingsWrite) {
    for (const [year, curve] of Object.entries(input.time_curves ?? {})) {
      const problem = curve ? checkTimeCurve(curve) : undefined;
      if (problem) throw new AppError('validation_failed', `${year}年${problem}`, [{ path: `time_curves.${year}` }]);
    }
    await inTransaction(this.deps.db, async (trx) => {
      const repo = indicatorRepositories(trx);
      const curveOf = async (year: string) => {
        const v = await repo.indicators.findSetting(`time_curve:${year}`);
        return Array.isArray(v) ? v.map(Number) : null;
      };
      const snapshot = async () => {
        const out: { counted_statuses?: string[]; time_curves?: Record<string, number[] | null> } = {};
        if (input.counted_statuses) out.counted_statuses = await repo.indicators.countedStatuses();
        if (input.time_curves) out.time_curves = Object.fromEntries(await Promise.all(Object.keys(input.time_curves).map(async (y) => [y, await curveOf(y)] as const)));
        return out;
      };
      const settingsBefore = await snapshot();
      for (const [year, curve] of Object.entries(input.time_curves ?? {})) {
        if (curve) await repo.indicators.putSetting(`time_curve:${year}`, curve, actor.userId);
        else await repo.indicators.deleteSetting(`time_curve:${year}`);
      }
      if (input.counted_statuses) {
        const before = await repo.indicators.countedStatuses();
        const after = [...new Set(input.counted_statuses)].sort();
        await repo.indicators.putSetting('counted_statuses', after, actor.userId);
        if (before.slice().sort().join() !== after.join()) {
          const started = this.deps.clock.now().toISOString();
          await repo.groups.lock();
          await repo.groups.takePending();
          await repo.indicators.rebuild();
          await repo.groups.rebuild();
          await writeState(repo.indicators.executor, WATERMARK, started, started);
        }
      }
      await this.deps.audit.record(repo.indicators.executor, actor, { action: 'indicator.settings_update', entityType: 'indicator_settings', before: settingsBefore, after: await snapshot() });
    });
    return this.getSettings();
  }

  /** Indicators for a scope (the project filter within the actor's data scope) and period 1–N月 of a year. */
  async getIndicators(actor: Actor, query: IndicatorQuery, opts: { rollup?: 'auto' | 'never' } = {}) {
    const { year, month, breakdown, ...asked } = query;
    const curve = await this.timeCurve(year);
    const gf = opts.rollup === 'never' ? undefined : this.groupFilter(actor, asked);
    const filter = gf ? asked : await this.repo.resolveSearch(asked);
    if (gf) await this.syncGroups();
    // Reads the group rollup when the filter allows it, else scans the projects in scope. Every grouping of the
    // rollup sums to the same total and carries the trend, so the first breakdown it can answer also gives those.
    const read = new Map<GroupColumn, Promise<GroupSums[]>>();
    const sums = (column: GroupColumn) => {
      let result = read.get(column);
      if (!result) {
        result = gf && column !== 'level'
          ? this.groups.sumsBy(gf, year, month, column === 'none' ? 'none' : column)
          : this.repo.sumsBy(filter, actor.scope, year, month, column);
        read.set(column, result);
      }
      return result;
    };
    const rollupFirst = gf ? (breakdown ?? []).map(columnOf).find((c) => c !== 'level') : undefined;
    const whole = await sums(rollupFirst ?? 'none');
    const overall = totalOf(whole);
    const breakdowns: Partial<Record<Breakdown, BreakdownItem[]>> = {};
    for (const kind of breakdown ?? []) breakdowns[kind] = await this.breakdown(filter, year, month, kind, curve, sums);
    // Periods before the year's recorded progress (an imported 1–N月 list) read unknown, not 0% (issue 12).
    const recordsFrom = await this.recordsFrom(year);
    for (const items of Object.values(breakdowns)) for (const item of items) item.indicators = unrecordedIndicators(item.indicators, recordsFrom);
    const t = gf
      ? { planned_investment: overall.planned_investment, months: whole.reduce((acc, g) => acc.map((v, i) => v + (g.months?.[i] ?? 0)), Array<number>(12).fill(0)) }
      : await this.repo.trend(filter, actor.scope, year);
    return {
      scope: filter,
      indicators: unrecordedIndicators(computeIndicators(year, month, overall, curve), recordsFrom),
      breakdowns,
      trend: await this.trend(t, year, month, curve),
      /** The year's first month with recorded progress when it began with an imported 1–N月 list (earlier: unknown). */
      records_from: recordsFrom,
    };
  }

  private async breakdown(filter: ProjectFilter, year: number, month: number, kind: Breakdown, curve: TimeCurve | null, sums: (c: GroupColumn) => Promise<GroupSums[]>): Promise<BreakdownItem[]> {
    let groups = await sums(columnOf(kind));
    const labels = new Map<string | null, string>();
    if (kind === 'region') groups = await this.foldRegions(groups, filter.region, labels);
    else if (kind === 'unit') groups = await this.foldUnits(groups, filter.unit, labels);
    else for (const g of groups) labels.set(g.key, g.key === null ? '未填' : (LABELS[kind]?.[g.key] ?? g.key));
    return groups
      .map((g) => ({ key: g.key, label: labels.get(g.key) ?? g.key ?? '未填', indicators: computeIndicators(year, month, g.sums, curve) }))
      .sort((a, b) => (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'));
  }

  /** Regroups per-region sums into the regions one level below the filter's region (or below their common ancestor). */
  private async foldRegions(groups: GroupSums[], filterRegion: string | undefined, labels: Map<string | null, string>): Promise<GroupSums[]> {
    const regions = await this.repo.listRegions(groups.map((g) => g.key!).filter(Boolean));
    const pathOf = new Map(regions.map((r) => [r.code, r.path]));
    const parentPath = filterRegion
      ? ((await this.repo.findRegion(filterRegion))?.path ?? '/')
      : commonPath(regions.length === 1 ? [regions[0]!.path.replace(/[^/]+\/$/, '')] : regions.map((r) => r.path));
    const parentCode = parentPath.split('/').filter(Boolean).pop() ?? null;
    const folded = new Map<string, GroupSums>();
    for (const g of groups) {
      const child = childSegment(parentPath, pathOf.get(g.key ?? '') ?? '') ?? parentCode ?? g.key ?? '';
      const prev = folded.get(child);
      folded.set(child, { key: child, sums: prev ? addSums(prev.sums, g.sums) : g.sums });
    }
    const named = await this.repo.listRegions([...folded.keys()]);
    for (const r of named) labels.set(r.code, r.code === parentCode ? `${r.name}（本级）` : r.name);
    return [...folded.values()];
  }

  /** Regroups per-unit sums into the units one level below the filter's unit (or below their common ancestor). */
  private async foldUnits(groups: GroupSums[], filterUnit: number | undefined, labels: Map<string | null, string>): Promise<GroupSums[]> {
    const units = await this.repo.listUnits(groups.map((g) => Number(g.key)));
    const pathOf = new Map(units.map((u) => [String(u.id), u.path]));
    const parentPath = filterUnit
      ? ((await this.repo.findUnit(filterUnit))?.path ?? '/')
      : commonPath(units.length === 1 ? [units[0]!.path.replace(/[^/]+\/$/, '')] : units.map((u) => u.path));
    const parentId = parentPath.split('/').filter(Boolean).pop() ?? null;
    const folded = new Map<string, GroupSums>();
    for (const g of groups) {
      const child = childSegment(parentPath, pathOf.get(g.key ?? '') ?? '') ?? parentId ?? g.key ?? '';
      const prev = folded.get(child);
      folded.set(child, { key: child, sums: prev ? addSums(prev.sums, g.sums) : g.sums });
    }
    const named = await this.repo.listUnits([...folded.keys()].map(Number).filter(Number.isInteger));
    for (const u of named) labels.set(String(u.id), String(u.id) === parentId ? `${u.name}（本级）` : u.name);
    return [...folded.values()];
  }

  /** Month-by-month completion against time progress up to month N; a merged 1–2月 year has no January point. */
  private async trend(t: { planned_investment: number; months: number[] }, year: number, month: number, curve: TimeCurve | null): Promise<TrendPoint[]> {
    const merged = await this.repo.isJanFebMerged(year);
    const recordsFrom = await this.recordsFrom(year);
    const points: TrendPoint[] = [];
    for (let m = merged ? 2 : 1; m <= month; m++) {
      const tp = timeProgress(m, curve);
      if (recordsFrom !== null && m < recordsFrom) {
        points.push({
          month: m, period_label: periodLabel(m), completed_ytd: 0, completion_rate: null, completion_rate_text: '—',
          time_progress: toNumber(tp)!, time_progress_text: formatPercent(tp), gap_points: null, gap_points_text: '—', recorded: false,
        });
        continue;
      }
      const completed = t.months[m - 1]!;
      const rate = fraction(completed, t.planned_investment);
      const gap = rate ? subtract(rate, tp) : null;
      points.push({
        month: m, period_label: periodLabel(m), completed_ytd: completed,
        completion_rate: toNumber(rate), completion_rate_text: formatPercent(rate),
        time_progress: toNumber(tp)!, time_progress_text: formatPercent(tp),
        gap_points: gap ? toNumber({ num: gap.num * 100n, den: gap.den }) : null, gap_points_text: formatPercent(gap), recorded: true,
      });
    }
    return points;
  }

  /** Recomputes every rollup from the source rows and lists what differs; with fix, rebuilds them. */
  async verify(opts: { fix?: boolean } = {}): Promise<VerifyResult & { fixed: boolean }> {
    // Projects and plans written since the last read are applied first, as a read would: only what a read would
    // still get wrong counts as a difference.
    await this.syncGroups();
    const diff = await this.repo.diffRollup();
    const groupDiff = await this.groups.diff();
    const byKey = new Map<string, VerifyResult['differences'][number]>();
    const entry = (r: YtdRow) => {
      const k = `${r.project_id}:${r.year}`;
      let e = byKey.get(k);
      if (!e) byKey.set(k, (e = { project_id: r.project_id, year: r.year, stored: null, expected: null }));
      return e;
    };
    for (const r of diff.expected) entry(r).expected = r.months;
    for (const r of diff.stored) entry(r).stored = r.months;
    const differences = [...byKey.values()];
    const ok = differences.length === 0 && groupDiff.facts === 0 && groupDiff.groups === 0;
    let fixed = false;
    if (!ok && opts.fix) {
      await inTransaction(this.deps.db, async (trx) => {
      const repos = indicatorRepositories(trx);
        await repos.groups.lock();
        await repos.groups.takePending();
        await repos.indicators.rebuild();
        await repos.groups.rebuild();
        const at = this.deps.clock.now().toISOString();
        await writeState(repos.indicators.executor, WATERMARK, at, at);
      });
      fixed = true;
    }
    return {
      ok, facts_rows_differing: groupDiff.facts, groups_rows_differing: groupDiff.groups,
      expected_rows_differing: diff.expectedCount, stored_rows_differing: diff.storedCount, differences, fixed,
    };
  }
}

/** Sums a list of additive group sums (exported for callers that fold their own groups). */
/** The column a breakdown groups by. */
function columnOf(kind: Breakdown): GroupColumn {
  return kind === 'region' ? 'region_code' : kind === 'unit' ? 'unit_id' : kind;
}

export function totalOf(groups: { sums: IndicatorSums }[]): IndicatorSums {
  return groups.reduce((acc, g) => addSums(acc, g.sums), emptySums());
}
