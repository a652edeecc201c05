import {
  DEFAULT_RULE_SET, DIMENSIONS, checkRuleSet, judgeProject,
  type Dimension, type Excuse, type LightOrNone, type ProjectFacts, type ProjectLights, type RuleSet,
} from '../../../core/lights.ts';
import type { TimeCurve } from '../../../core/indicators.ts';
import type { Actor } from '../../context.ts';
import type { LightExcuseTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { chinaToday } from '../../../core/clock.ts';
import { AppError, notFound } from '../../errors.ts';
import { IndicatorRepository } from '../indicators/index.ts';
import { ProjectRepository } from '../projects/index.ts';
import type { ProjectFilter } from '../../platform/project-filter.ts';
import { LightRepository, type LightFactsRow } from './light.repository.ts';
import type { Executor } from '../../db/database.ts';
import { decodeLights, encodeLights, type LightColumn, type SnapshotRow, type SnapshotScope } from './light-snapshot.repository.ts';
import { ruleSetSchema, type ExcuseWrite, type LightsQuery, type RuleSetWrite } from './light.schema.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { yieldToEventLoop } from '../../platform/yield.ts';
import { createDeps } from '../../deps.ts';

/** The rule set ruling a month, and where it came from. */
interface RulesInForce {
  rules: RuleSet;
  version: number | null;
}

/** Everything judging (year, month) reads besides the projects themselves. */
interface JudgeContext {
  year: number;
  month: number;
  curve: TimeCurve | null;
  current: RulesInForce;
  /** Earlier reporting months the consecutive rules look back on, latest first, and their rules. */
  earlier: number[];
  earlierRules: RulesInForce[];
  /** The year's first month with recorded progress (an imported 1–N月 list), if any: earlier months are not judged on investment. */
  recordsFrom: number | null;
}

/** One project's facts and its lights. */
export interface Judged {
  row: LightFactsRow;
  lights: ProjectLights;
}

/** One snapshot that differs from a judgement from scratch. */
export interface SnapshotDifference {
  year: number;
  month: number;
  project_id: number;
  stored: string | null;
  expected: string | null;
}

/** What the snapshot check found. */
export interface SnapshotVerifyResult {
  ok: boolean;
  rows_checked: number;
  rows_differing: number;
  /** (month, region, lights) counts in light_counts that differ from a count of the snapshot rows. */
  counts_differing: number;
  /** The first 1000 differing rows. */
  differences: SnapshotDifference[];
  fixed: boolean;
}

type Counts = Record<LightOrNone, number>;
const zeroCounts = (): Counts => ({ green: 0, yellow: 0, red: 0, none: 0 });
const ORDER: Record<LightOrNone, number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** Projects judged per transaction while filling a month (keeps each transaction short). */
const FILL_CHUNK = 20_000;
/** Listed projects judged per query (their ids are bound parameters). */
const PAGE_SLICE = 5_000;
/** Stale pairs re-judged per transaction. */
const STALE_CHUNK = 2_000;


/** Filter fields the snapshot's own columns answer; any other field set reads the projects table. */
const COLUMN_FILTER_FIELDS = new Set(['region', 'unit', 'stage', 'nature', 'category', 'investment_type']);

/**
 * Judges rows of facts for ctx's month, with the earlier months' lights as history and the excuses in force.
 * History only matters to a dimension whose own light is yellow and that a consecutive rule watches, so the earlier
 * months are judged only for such projects — unless `naive`, the reference that always judges them.
 */
function judgeRows(ctx: JudgeContext, rows: LightFactsRow[], excuseRows: Selectable<LightExcuseTable>[], opts: { naive?: boolean } = {}): Judged[] {
  const { year, month, curve, current, earlier, earlierRules } = ctx;
  const excusesOf = new Map<number, typeof excuseRows>();
  for (const e of excuseRows) excusesOf.set(e.project_id, [...(excusesOf.get(e.project_id) ?? []), e]);
  const none: Excuse[] = [];
  const inForce = (projectId: number, m: number): Excuse[] => {
    const own = excusesOf.get(projectId);
    return own ? inForceOf(own, m) : none;
  };
  const inForceOf = (own: typeof excuseRows, m: number): Excuse[] => own
    .filter((e) => e.month_from <= m && (e.month_to === null || e.month_to >= m))
    .map((e) => ({ id: e.id, dimension: e.dimension as Dimension | null, reason: e.reason, accepted_by_name: e.accepted_by_name, accepted_at: e.accepted_at }));
  const factsAt = (r: LightFactsRow, m: number): ProjectFacts => ({
    planned_investment: r.planned_investment, completed_ytd: r.months[m - 1]!, plan_new_start: r.plan_new_start === 1,
    plan_start_month: r.plan_start_month, actual_start_date: r.actual_start_date, stats_entered: r.stats_entered === 1, stats_entered_date: r.stats_entered_date,
    stats_unknown: r.stats_unknown === 1,
    records_from: ctx.recordsFrom,
    problems: r.problems,
  });
  const watched = new Set(current.rules.rules.flatMap((r) => (r.enabled && r.kind === 'consecutive' ? [r.dimension] : [])));
  return rows.map((row) => {
    const judge = (history?: Partial<Record<Dimension, LightOrNone[]>>) =>
      judgeProject({ facts: factsAt(row, month), year, month, rules: current.rules, curve, history, excuses: inForce(row.project_id, month) });
    if (!opts.naive && earlier.length) {
      // Without history nothing escalates, so computed_light is the light before escalation and excuses.
      const alone = judge({});
      if (!alone.dimensions.some((d) => d.computed_light === 'yellow' && watched.has(d.dimension))) return { row, lights: alone };
    }
    const history: Partial<Record<Dimension, LightOrNone[]>> = {};
    earlier.forEach((m, i) => {
      const past = judgeProject({ facts: factsAt(row, m), year, month: m, rules: earlierRules[i]!.rules, curve, excuses: inForce(row.project_id, m) });
      for (const d of past.dimensions) (history[d.dimension] ??= []).push(d.light);
    });
    return { row, lights: judge(history) };
  });
}

/** A judged project as a snapshot row of (year, month). */
function snapshotRow(year: number, month: number, { row, lights }: Judged): SnapshotRow {
  const of = (d: Dimension) => lights.dimensions.find((x) => x.dimension === d)!.light;
  return {
    year, month, project_id: row.project_id, region_code: row.region_code, unit_id: row.unit_id, stage: row.stage,
    nature: row.nature, category: row.category, investment_type: row.investment_type,
    code: encodeLights({ overall: lights.overall, investment: of('investment'), start: of('start'), stats: of('stats'), problems: of('problems'), excused: lights.dimensions.some((d) => d.excuse) }),
  };
}

const SNAPSHOT_FIELDS = ['region_code', 'unit_id', 'stage', 'nature', 'category', 'investment_type', 'code'] as const;

function sameRow(a: SnapshotRow, b: SnapshotRow): boolean {
  return SNAPSHOT_FIELDS.every((f) => a[f] === b[f] || (a[f] !== null && b[f] !== null && String(a[f]) === String(b[f])));
}

/** A snapshot row's lights and attributes as one line, for the check's report. */
function lightsOf(r: SnapshotRow): string {
  const l = decodeLights(Number(r.code));
  return [...SNAPSHOT_FIELDS.filter((f) => f !== 'code').map((f) => `${f}=${r[f] ?? ''}`),
    `overall=${l.overall} investment=${l.investment} start=${l.start} stats=${l.stats} excused=${l.excused ? 1 : 0}`].join(' ');
}

/** One listed project as the API presents it. */
function presentItem({ row, lights }: Judged) {
  return {
    project_id: row.project_id, name: row.name, region_code: row.region_code, unit_id: row.unit_id, unit_name: row.unit_name,
    // A paused (停工) or excused project is labelled as such wherever its light is listed, not shown as a plain red.
    stage: row.stage, is_paused: row.stage === 'paused', is_excused: lights.dimensions.some((d) => d.excuse !== null),
    overall: lights.overall,
    reasons: lights.dimensions.filter((d) => d.light === 'yellow' || d.light === 'red').map((d) => d.reason),
    dimensions: lights.dimensions,
  };
}

/** Which snapshots a query covers: read by their own columns when the office's filter allows it, else through projects. */
function snapshotScope(actor: Actor, filter: ProjectFilter): SnapshotScope {
  const onlyColumns = actor.scope.all && Object.entries(filter).every(([field, value]) => value === undefined || value === '' || COLUMN_FILTER_FIELDS.has(field));
  if (!onlyColumns) return { kind: 'projects', filter, scope: actor.scope };
  const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
  return {
    kind: 'columns',
    filter: {
      region: filter.region || undefined, unit: filter.unit, stage: list(filter.stage), nature: list(filter.nature),
      category: list(filter.category), investment_type: list(filter.investment_type),
    },
  };
}

/** Lights for a scope and period, their rule sets per year and version, and accepted excuses. */
export class LightService {
  private readonly deps: Pick<Deps, 'db' | 'clock' | 'audit'>;
  private readonly lights: LightRepository;
  private readonly indicators: IndicatorRepository;
  private readonly projects: ProjectRepository;
  constructor(deps: Pick<Deps, 'db' | 'clock' | 'audit'>, lights: LightRepository, indicators: IndicatorRepository, projects: ProjectRepository) {
    this.deps = deps;
    this.lights = lights;
    this.indicators = indicators;
    this.projects = projects;
  }

  /** The rule set in force for (year, month): the latest version effective by then, else the shipped default. */
  async rulesInForce(year: number, month: number): Promise<RulesInForce> {
    const row = await this.lights.findRuleVersionInForce(year, month);
    if (!row) return { rules: DEFAULT_RULE_SET, version: null };
    return { rules: ruleSetSchema.parse(JSON.parse(row.rules)), version: row.version };
  }

  /** Every version of a year's rule set and which one rules each month. */
  async getRuleSets(year: number) {
    const versions = (await this.lights.listRuleVersions(year)).map((v) => ({
      version: v.version, effective_month: v.effective_month, rules: ruleSetSchema.parse(JSON.parse(v.rules)).rules,
      note: v.note, created_at: v.created_at, created_by: v.created_by,
    }));
    const in_force = [];
    for (let m = 1; m <= 12; m++) in_force.push({ month: m, version: (await this.rulesInForce(year, m)).version });
    return { year, versions, in_force, default: DEFAULT_RULE_SET };
  }

  /**
   * Saves a new version of the year's rule set. It rules from effective_month on — by default this month (the
   * current year; January for a later year), or the first month after it not yet closed, as the page says — and
   * earlier months keep their rules. A version starting in a closed month judges published months again: that
   * needs `rejudge_closed`, and the audit entry names the months.
   */
  async putRuleSet(actor: Actor, year: number, input: RuleSetWrite) {
    const problem = checkRuleSet({ rules: input.rules });
    if (problem) throw new AppError('validation_failed', problem, [{ path: 'rules' }]);
    await inTransaction(this.deps.db, async (trx) => {
      const lights = new LightRepository(trx);
      const closed = await lights.listClosedMonths(year);
      const today = chinaToday(this.deps.clock.now());
      const thisYear = Number(today.slice(0, 4));
      const from = year === thisYear ? Number(today.slice(5, 7)) : 1;
      const firstOpen = Array.from({ length: 13 - from }, (_x, i) => from + i).find((m) => !closed.includes(m));
      if (input.effective_month === undefined && (firstOpen === undefined || year < thisYear)) {
        throw new AppError('validation_failed', `请选择${year}年规则的生效月份（${year < thisYear ? '往年' : '本月及以后各月均已关闭'}）；从已关闭月份起生效须确认重新判定`, [{ path: 'effective_month' }]);
      }
      const effective = input.effective_month ?? firstOpen!;
      const rejudged = closed.filter((m) => m >= effective);
      if (rejudged.length > 0 && input.rejudge_closed !== true) {
        throw new AppError('validation_failed',
          `${rejudged.map((m) => `${m}月`).join('、')}已关闭，其灯色已经发布；从${effective}月起生效将重新判定这些月份。如确需重新判定，请明确选择“重新判定已关闭月份”`,
          [{ path: 'rejudge_closed' }]);
      }
      // Before: the rules that ruled the new version's first month until now (null: the shipped default).
      const previous = await lights.findRuleVersionInForce(year, effective);
      const saved = await lights.insertRuleVersion({ year, effective_month: effective, rules: JSON.stringify({ rules: input.rules }), note: input.note ?? null, created_by: actor.userId, created_at: this.deps.clock.now().toISOString() });
      const present = (v: NonNullable<typeof previous>) => ({ version: v.version, effective_month: v.effective_month, rules: (JSON.parse(v.rules) as { rules: unknown }).rules, note: v.note });
      await this.deps.audit.record(lights.executor, actor, {
        action: 'lights.rules_update', entityType: 'light_rule_set', entityId: year,
        before: previous ? present(previous) : null, after: present(saved),
        details: { year, version: saved.version, effective_month: effective, ...(rejudged.length ? { rejudged_closed_months: rejudged } : {}) },
      });
    });
    return this.getRuleSets(year);
  }

  /** What judging one month reads besides the projects: rules then and before, the time curve, the months looked back on. */
  private async judgeContext(lights: LightRepository, indicators: IndicatorRepository, year: number, month: number): Promise<JudgeContext> {
    // Three reads run together, where one per rule month and per setting ran one after another (issue 16: each a
    // round trip on PostgreSQL, 5–7 of a lights page's statements).
    const [versions, settings, merged] = await Promise.all([
      lights.listRuleVersionsUpTo(year, month),
      indicators.findSettings([`time_curve:${year}`, `records_from:${year}`]),
      indicators.isJanFebMerged(year),
    ]);
    const parsed = new Map<number, RuleSet>();
    // The version ruling m: the latest effective_month at or before it, then the latest version (findRuleVersionInForce).
    const inForce = (m: number): RulesInForce => {
      let row: (typeof versions)[number] | undefined;
      for (const v of versions) {
        if (v.effective_month > m) continue;
        if (!row || v.effective_month > row.effective_month || (v.effective_month === row.effective_month && v.version > row.version)) row = v;
      }
      if (!row) return { rules: DEFAULT_RULE_SET, version: null };
      let rules = parsed.get(row.version);
      if (!rules) parsed.set(row.version, rules = ruleSetSchema.parse(JSON.parse(row.rules)));
      return { rules, version: row.version };
    };
    const setting = settings.get(`time_curve:${year}`);
    const curve = Array.isArray(setting) ? setting.map(Number) : null;
    const current = inForce(month);
    const depth = Math.max(0, ...current.rules.rules.filter((r) => r.enabled && r.kind === 'consecutive').map((r) => (r.kind === 'consecutive' ? r.periods - 1 : 0)));
    // The months before `month` in the same year that are reporting periods (a merged year has no January), latest first.
    const earlier: number[] = [];
    for (let m = month - 1; depth > 0 && m >= 1 && earlier.length < depth; m--) if (!(merged && m === 1)) earlier.push(m);
    const earlierRules = earlier.map(inForce);
    const recordsFrom = settings.get(`records_from:${year}`);
    return { year, month, curve, current, earlier, earlierRules, recordsFrom: typeof recordsFrom === 'number' ? recordsFrom : null };
  }

  /**
   * Lights of every project in the scope for (year, month), judged from scratch and naively (every earlier month
   * judged for history): the reference the snapshots must equal.
   */
  async judgeScope(actor: Actor, asked: ProjectFilter, year: number, month: number): Promise<Judged[]> {
    const filter = await this.lights.resolveSearch(asked);
    const ctx = await this.judgeContext(this.lights, this.indicators, year, month);
    const [rows, excuseRows] = await Promise.all([
      this.lights.listFacts(filter, actor.scope, year),
      this.lights.listActiveExcuses(filter, actor.scope, year),
    ]);
    return judgeRows(ctx, rows, excuseRows, { naive: true });
  }

  /**
   * Counts by light (overall and per dimension) and a page of projects whose light is among those asked (red,
   * yellow), read from the light snapshots (filled or re-judged first where their inputs changed).
   */
  async getLights(actor: Actor, query: LightsQuery) {
    const { year, month, light, dimension, page, page_size, ...filter } = query;
    await this.ensureSnapshots(year, month);
    const scope = snapshotScope(actor, await this.lights.resolveSearch(filter));
    // The month's rules and settings are read once, beside the counts, for both the page's judging and its rule_version.
    const [combos, ctx] = await Promise.all([
      this.lights.snapshots.countCombinations(year, month, scope),
      this.judgeContext(this.lights, this.indicators, year, month),
    ]);
    const counts = zeroCounts();
    const by_dimension = Object.fromEntries(DIMENSIONS.map((d) => [d, zeroCounts()])) as Record<Dimension, Counts>;
    let excused = 0;
    for (const c of combos) {
      counts[c.overall] += c.n;
      for (const d of DIMENSIONS) by_dimension[d][c[d]] += c.n;
      if (c.excused) excused += c.n;
    }
    const column: LightColumn = dimension ?? 'overall';
    const countOf = (l: LightOrNone) => (dimension ? by_dimension[dimension][l] : counts[l]);
    const asked = [...new Set(light)].sort((a, b) => ORDER[a] - ORDER[b]);
    // The page spans the asked lights in order (red, yellow, green, none), each listed by project id.
    let skip = (page - 1) * page_size;
    let want = page_size;
    const ids: number[] = [];
    for (const l of asked) {
      const n = countOf(l);
      if (want > 0 && skip < n) {
        const slice = await this.lights.snapshots.listProjectIds(year, month, scope, column, l, skip, Math.min(want, n - skip));
        ids.push(...slice);
        want -= slice.length;
      }
      skip = Math.max(0, skip - n);
    }
    const judged = await this.judgeProjects(year, month, ids, ctx);
    return {
      year, month, rule_version: ctx.current.version, counts, excused, by_dimension, total: asked.reduce((acc, l) => acc + countOf(l), 0),
      items: judged.map(presentItem),
    };
  }

  /** The same answer as getLights, judged from scratch over the scope (no snapshot read or written). */
  async getLightsJudged(actor: Actor, query: LightsQuery) {
    const { year, month, light, dimension, page, page_size, ...filter } = query;
    const judged = await this.judgeScope(actor, filter, year, month);
    const counts = zeroCounts();
    const by_dimension = Object.fromEntries(DIMENSIONS.map((d) => [d, zeroCounts()])) as Record<Dimension, Counts>;
    let excused = 0;
    for (const { lights } of judged) {
      counts[lights.overall]++;
      for (const d of lights.dimensions) by_dimension[d.dimension][d.light]++;
      if (lights.dimensions.some((d) => d.excuse)) excused++;
    }
    const lightOf = (l: ProjectLights) => (dimension ? l.dimensions.find((d) => d.dimension === dimension)!.light : l.overall);
    const listed = judged
      .filter(({ lights }) => light.includes(lightOf(lights)))
      .sort((a, b) => ORDER[lightOf(a.lights)] - ORDER[lightOf(b.lights)] || a.row.project_id - b.row.project_id);
    const rules = await this.rulesInForce(year, month);
    return {
      year, month, rule_version: rules.version, counts, excused, by_dimension, total: listed.length,
      items: listed.slice((page - 1) * page_size, page * page_size).map(presentItem),
    };
  }

  /**
   * A page of projects' lights and 1–N月 completion for (year, month), judged from scratch like a lights page's own
   * items: the project list's 灯色 and 完成率 columns. Projects not on year's list are absent.
   */
  async lightsOfProjects(year: number, month: number, ids: number[]) {
    return (await this.judgeProjects(year, month, ids)).map(({ row, lights }) => ({
      project_id: row.project_id, light: lights.overall, planned_investment: row.planned_investment, completed_ytd: row.months[month - 1] ?? 0,
      reasons: lights.dimensions.filter((d) => d.light === 'yellow' || d.light === 'red').map((d) => d.reason),
    }));
  }

  /** Some projects' lights judged from scratch (with reasons and figures), in the order of the ids given. */
  private async judgeProjects(year: number, month: number, ids: number[], known?: JudgeContext): Promise<Judged[]> {
    if (!ids.length) return [];
    const ctx = known ?? await this.judgeContext(this.lights, this.indicators, year, month);
    const byId = new Map<number, Judged>();
    // In slices, so that an export of every page stays below either engine's limit of bound parameters.
    for (let i = 0; i < ids.length; i += PAGE_SLICE) {
      const slice = ids.slice(i, i + PAGE_SLICE);
      // Facts and excuses do not depend on each other: read together (one round trip's wait on PostgreSQL, not two).
      const [facts, excuses] = await Promise.all([this.lights.listFactsOf(year, { ids: slice }), this.lights.listExcusesOf(year, { ids: slice })]);
      for (const j of judgeRows(ctx, facts, excuses)) byId.set(j.row.project_id, j);
    }
    return ids.map((id) => byId.get(id)).filter((j): j is Judged => j !== undefined);
  }

  /**
   * Makes (year, month)'s snapshots complete and current: fills the month when no complete fill exists, then
   * re-judges the projects the triggers marked stale. A rule change during the fill drops the month: start over.
   */
  async ensureSnapshots(year: number, month: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      // Read together (one round trip's wait on PostgreSQL); the month's marker is read again if the year is dropped.
      let [stale, marker] = await Promise.all([this.lights.snapshots.countStale(year), this.lights.snapshots.findMonth(year, month)]);
      // Re-judging every snapshot month of many stale pairs can cost more than judging the asked month afresh; with
      // no snapshot month at all (marks left by a bulk load on PostgreSQL) the marks are simply dropped.
      const months = stale > STALE_CHUNK ? (await this.lights.snapshots.listMonths(year)).length : 0;
      if (stale > STALE_CHUNK && (months === 0 || stale * months > await this.lights.snapshots.countPlanned(year))) {
        await inTransaction(this.deps.db, async (trx) => {
          const repo = new LightRepository(trx);
          await repo.snapshots.lock();
          await repo.snapshots.dropYear(year);
          await repo.snapshots.deleteAllStale(year);
        });
        [stale, marker] = [0, await this.lights.snapshots.findMonth(year, month)];
      }
      const complete = marker?.complete === 1;
      if (!complete && !(await this.fill(year, month))) continue;
      // No marks when counted and the month already complete: nothing to re-judge, and the two locked transactions
      // that would find none are skipped (issue 16: 4–6 statements of every lights read). A mark written after the
      // count is a write after this read began, as one written after refreshStale's own read would be.
      if (stale > 0 || !complete) await this.refreshStale(year);
      return;
    }
    throw new AppError('conflict', '灯色规则正在频繁变更，请稍后重试');
  }

  /**
   * After a bulk write (a month's import, submit-all): brings every month of the year that had snapshots up to
   * date now, in the same short resumable chunks a read would use, so that no reader afterwards pays for it.
   * Incremental: only the projects the write marked stale (its triggers) are re-judged, in every snapshot month;
   * the other projects' rows are kept as they are (never a drop and refill of the year's portfolio, which a read
   * with many marks may choose). A month with no complete fill yet (the month written, the first time) is filled.
   */
  async refreshAfterBulkWrite(year: number, month?: number): Promise<void> {
    await this.refreshStale(year);
    const months = new Set(await this.lights.snapshots.listMonths(year));
    // The month written is the one people open next, whether or not the warm-up had filled it yet.
    if (month !== undefined) months.add(month);
    for (const m of [...months].sort((a, b) => a - b)) {
      for (let attempt = 0; ; attempt++) {
        const marker = await this.lights.snapshots.findMonth(year, m);
        if (marker?.complete === 1 || (await this.fill(year, m))) break;
        if (attempt === 4) throw new AppError('conflict', '灯色规则正在频繁变更，请稍后重试');
      }
    }
    // Marks written meanwhile (another request's write) are re-judged too.
    await this.refreshStale(year);
  }

  /**
   * Judges every project on year Y's list for one month, chunk by chunk, each chunk continuing from the progress
   * stored with the month (an interrupted fill resumes, concurrent ones share the work); false when the month was
   * dropped meanwhile.
   */
  private async fill(year: number, month: number): Promise<boolean> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new LightRepository(trx);
      await repo.snapshots.lock();
      await repo.snapshots.startMonth(year, month);
    });
    for (;;) {
      const step = await inTransaction(this.deps.db, async (trx): Promise<'more' | 'filled' | 'complete' | 'dropped'> => {
        const repo = new LightRepository(trx);
        const snapshots = repo.snapshots;
        await snapshots.lock();
        // Read under the lock: a rule change that committed before is seen, one after drops these rows with the month.
        const marker = await snapshots.findMonth(year, month);
        if (!marker) return 'dropped';
        if (marker.complete === 1) return 'complete';
        const ids = await snapshots.listPlannedIds(year, marker.filled_to, FILL_CHUNK);
        if (!ids.length) {
          await snapshots.completeMonth(year, month);
          return 'filled';
        }
        const range = { fromId: marker.filled_to + 1, toId: ids[ids.length - 1]! };
        const ctx = await this.judgeContext(repo, new IndicatorRepository(repo.executor), year, month);
        const judged = judgeRows(ctx, await repo.listFactsOf(year, range), await repo.listExcusesOf(year, range));
        await snapshots.insert(judged.map((j) => snapshotRow(year, month, j)));
        await snapshots.setFilledTo(year, month, range.toId);
        return 'more';
      });
      if (step === 'filled') await this.lights.snapshots.analyze();
      if (step !== 'more') return step !== 'dropped';
      // Waiting requests run between chunks (issue 23).
      await yieldToEventLoop();
    }
  }

  /**
   * Re-judges, for every month of the year with snapshots, the projects whose inputs changed: those marked for the
   * whole year in every month, those whose 1–N月 cumulatives alone changed only from the first month that changed
   * (a month is judged on its own and earlier months' cumulatives, never on later ones: December's import leaves
   * November's lights as they were).
   */
  private async refreshStale(year: number): Promise<void> {
    for (const kind of ['year', 'ytd'] as const) {
      for (;;) {
        const more = await inTransaction(this.deps.db, async (trx) => {
          const repo = new LightRepository(trx);
          const snapshots = repo.snapshots;
          await snapshots.lock();
          const marks = kind === 'year'
            ? (await snapshots.listStale(year, STALE_CHUNK)).map((m) => ({ ...m, from_month: 1 }))
            : await snapshots.listStaleYtd(year, STALE_CHUNK);
          if (!marks.length) return false;
          // A whole-year re-judging also covers the same projects' cumulative marks read now (a later one keeps its stamp).
          const covered = kind === 'year' ? await snapshots.listStaleYtdOf(year, marks.map((m) => m.project_id)) : [];
          await this.rejudge(repo, year, marks);
          if (kind === 'year') await snapshots.deleteStale(year, marks.map((m) => ({ project_id: m.project_id, stamp: Number(m.stamp) })));
          await snapshots.deleteStale(year, [...(kind === 'ytd' ? marks : covered)].map((m) => ({ project_id: m.project_id, stamp: Number(m.stamp) })), 'light_stale_ytd');
          return marks.length === STALE_CHUNK;
        });
        if (!more) break;
        await yieldToEventLoop();
      }
    }
  }

  /** Re-judges some projects in the year's snapshot months from each one's `from_month` on, inside the caller's transaction. */
  private async rejudge(repo: LightRepository, year: number, marks: readonly { project_id: number; from_month: number }[]): Promise<void> {
    const snapshots = repo.snapshots;
    // The months are read after the marks: a fill that began before a mark was written is re-judged too.
    const first = Math.min(...marks.map((m) => m.from_month));
    const months = (await snapshots.listMonths(year)).filter((m) => m >= first);
    if (!months.length) return;
    const ids = marks.map((m) => m.project_id);
    const fromOf = new Map(marks.map((m) => [m.project_id, m.from_month]));
    // Only rows whose judgement changed are replaced: a write that leaves a project's lights as they were
    // (most rows of a bulk write, in most months) costs a read and a comparison, not a delete and an insert.
    const stored = new Map((await snapshots.listRowsOf(year, months, ids)).map((r) => [`${r.month}|${r.project_id}`, r]));
    const facts = await repo.listFactsOf(year, { ids });
    const excuses = await repo.listExcusesOf(year, { ids });
    const indicators = new IndicatorRepository(repo.executor);
    for (const month of months) {
      const due = (id: number) => fromOf.get(id)! <= month;
      const ctx = await this.judgeContext(repo, indicators, year, month);
      const fresh: SnapshotRow[] = [];
      const all = marks.every((m) => m.from_month <= month);
      for (const j of judgeRows(ctx, all ? facts : facts.filter((f) => due(f.project_id)), excuses)) {
        const row = snapshotRow(year, month, j);
        const key = `${month}|${row.project_id}`;
        const old = stored.get(key);
        stored.delete(key);
        if (!old || !sameRow(old, row)) fresh.push(row);
      }
      // Rows to drop: changed ones and those of projects no longer on the year's list (left in `stored`).
      const gone = [...fresh.map((r) => r.project_id), ...[...stored.values()].filter((r) => r.month === month && due(r.project_id)).map((r) => r.project_id)];
      await snapshots.deleteProjects(year, [month], gone);
      await snapshots.insert(fresh);
    }
  }

  /**
   * Compares every stored snapshot with a judgement from scratch (projects marked stale excepted: the next read
   * re-judges them) and the counts with the rows; with fix, drops the years that differ so that the next read
   * fills them again.
   */
  async verifySnapshots(opts: { fix?: boolean } = {}): Promise<SnapshotVerifyResult> {
    const differences: SnapshotDifference[] = [];
    let rowsDiffering = 0;
    let countsDiffering = 0;
    let checked = 0;
    const badYears = new Set<number>();
    for (const { year, month, complete } of await this.lights.snapshots.listAllMonths()) {
      const stale = new Set([...await this.lights.snapshots.listStale(year, 2_147_483_647), ...await this.lights.snapshots.listStaleYtd(year, 2_147_483_647)].map((m) => m.project_id));
      const ctx = await this.judgeContext(this.lights, this.indicators, year, month);
      let after = 0;
      for (;;) {
        const ids = await this.lights.snapshots.listPlannedIds(year, after, FILL_CHUNK);
        const range = ids.length ? { fromId: after + 1, toId: ids[ids.length - 1]! } : { fromId: after + 1, toId: 2_147_483_647 };
        const expected = new Map(judgeRows(ctx, await this.lights.listFactsOf(year, range), await this.lights.listExcusesOf(year, range), { naive: true })
          .map((j) => [j.row.project_id, snapshotRow(year, month, j)]));
        const stored = new Map((await this.lights.snapshots.listRows(year, month, range)).map((r) => [r.project_id, r]));
        for (const id of new Set([...expected.keys(), ...stored.keys()])) {
          if (stale.has(id)) continue;
          const e = expected.get(id);
          const s = stored.get(id);
          checked++;
          // A month still being filled may lack rows; a row it has must be right.
          if (!s && complete !== 1) continue;
          if (e && s && sameRow(e, s)) continue;
          rowsDiffering++;
          badYears.add(year);
          if (differences.length < 1000) differences.push({ year, month, project_id: id, stored: s ? lightsOf(s) : null, expected: e ? lightsOf(e) : null });
        }
        if (!ids.length) break;
        after = range.toId;
      }
      const counts = await this.lights.snapshots.countDifferences(year, month);
      if (counts) {
        countsDiffering += counts;
        badYears.add(year);
      }
    }
    if (badYears.size && opts.fix) {
      for (const year of badYears) {
        await inTransaction(this.deps.db, async (trx) => {
          const repo = new LightRepository(trx);
          await repo.snapshots.lock();
          await repo.snapshots.dropYear(year);
        });
      }
    }
    return { ok: rowsDiffering === 0 && countsDiffering === 0, rows_checked: checked, rows_differing: rowsDiffering, counts_differing: countsDiffering, differences, fixed: badYears.size > 0 && !!opts.fix };
  }

  async listExcuses(actor: Actor, year: number, projectId?: number) {
    return { items: await this.lights.listActiveExcuses({}, actor.scope, year, projectId) };
  }

  /** Records an accepted excuse (正当理由) with who accepted it and why. */
  async acceptExcuse(actor: Actor, input: ExcuseWrite) {
    if (!(await this.projects.findById(input.project_id, actor.scope))) throw notFound('项目');
    if (input.month_to != null && input.month_to < input.month_from) throw new AppError('validation_failed', '截止月份不能早于起始月份', [{ path: 'month_to' }]);
    return inTransaction(this.deps.db, async (trx) => {
      const lights = new LightRepository(trx);
      const excuse = await lights.insertExcuse({
        project_id: input.project_id, year: input.year, month_from: input.month_from, month_to: input.month_to ?? null,
        dimension: input.dimension ?? null, reason: input.reason, accepted_by: actor.userId, accepted_by_name: actor.displayName,
        accepted_at: this.deps.clock.now().toISOString(),
      });
      await this.deps.audit.record(lights.executor, actor, { action: 'lights.excuse_accept', entityType: 'light_excuse', entityId: excuse.id, before: null, after: excuse });
      return excuse;
    });
  }

  /** Revokes an excuse; the record stays (who accepted it, who revoked it). */
  async revokeExcuse(actor: Actor, id: number) {
    const excuse = await this.lights.findExcuse(id);
    if (!excuse || !(await this.projects.findById(excuse.project_id, actor.scope))) throw notFound('正当理由');
    await inTransaction(this.deps.db, async (trx) => {
      const lights = new LightRepository(trx);
      if (!(await lights.revokeExcuse(id, actor.userId, this.deps.clock.now().toISOString()))) throw new AppError('conflict', '该正当理由已撤销');
      await this.deps.audit.record(lights.executor, actor, { action: 'lights.excuse_revoke', entityType: 'light_excuse', entityId: id, before: excuse, after: await lights.findExcuse(id) });
    });
    return { ok: true };
  }
}

/**
 * After a bulk write (a month's import, submit-all: that period; a project import: every year with snapshots), outside
 * its transaction: brings the year's light snapshots up to date, the period's month included, so that no reader
 * pays for the re-judging (LightService.refreshAfterBulkWrite).
 */
export async function refreshLightsAfterBulkWrite(db: Executor, period?: { year: number; month: number }): Promise<void> {
  const lights = new LightRepository(db);
  const service = new LightService(createDeps(db), lights, new IndicatorRepository(db), new ProjectRepository(db));
  if (period) return service.refreshAfterBulkWrite(period.year, period.month);
  for (const y of await lights.snapshots.listYears()) await service.refreshAfterBulkWrite(y);
}
