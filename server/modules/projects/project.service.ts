import { searchTextOf } from '../../../core/search.ts';
import { checkProjectCode } from '../../../core/project-code.ts';
import { checkStageMove, isStage, nextStages, STAGE_DATE_COLUMN, type Stage } from '../../../core/stages.ts';
import { checkReserveReview, checkTierMove, type ReserveReview, type Tier } from '../../../core/tiers.ts';
import { PROCEDURE_KINDS, PROCEDURE_LABELS, type ProcedureKind, type ProcedureStatus } from '../../../core/procedures.ts';
import {
  changeKindOf, diffFields, matchStageEvents, PROJECT_AUDIT_ACTIONS, PROJECT_REQUEST_ROUTES, type ChangeKind, type FieldChange,
} from '../../../core/project-changes.ts';
import type { Actor } from '../../context.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Selectable } from 'kysely';
import type { ProjectTable } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import { roleHas } from '../../plugins/permissions.ts';
import { formatWan } from '../../../core/money.ts';
import { formatPercent, fraction, periodLabel, toNumber } from '../../../core/indicators.ts';
import { periodInForce, previousMonth } from '../../../core/period-in-force.ts';
import { createLightService } from '../lights/index.ts';
import { ReportRepository } from '../reports/index.ts';
import { planMonthColumns, ProjectRepository } from './project.repository.ts';
import { createAuditService } from '../audit/index.ts';
import { ReferenceRepository } from '../reference/index.ts';
import {
  FUND_COLUMNS, OFFICE_ONLY_FIELDS,
  type AnnualPlanWrite, type ProcedureWrite, type ProjectChangesQuery, type ProjectListQuery, type ProjectUpdate, type ProjectWrite, type StageChange, type TierChange,
} from './project.schema.ts';
import { clock } from '../../clock.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';

type ProjectRow = Selectable<ProjectTable>;

/** One entry of a project's change history (变更记录). */
export interface ProjectChange {
  /** 'a<seq>' for an audit row, 's<id>' for a stage-history row the audit does not describe. */
  id: string;
  at: string;
  user_id: number | null;
  /** The writer's display name, else the username the audit recorded. */
  user_name: string | null;
  kind: ChangeKind;
  /** For updates, stage and tier moves: the fields that differ, old and new. */
  changes: FieldChange[];
  /** For stage moves: the reason and the event date given. */
  reason: string | null;
  event_date: string | null;
}

const STAGE_ACTIONS = ['project.create', 'project.stage_change', 'project.tier_change'];
const parseJson = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
const stageIn = (snapshot: unknown): string | null => {
  const stage = snapshot !== null && typeof snapshot === 'object' ? (snapshot as { stage?: unknown }).stage : undefined;
  return typeof stage === 'string' ? stage : null;
};

const STALE = '该项目已被他人修改，请查看最新内容后重新提交';

/** The current calendar year in China (annual plans default to it). */
export function currentYear(now = clock.now()): number {
  return chinaYear(now);
}

/** Today as 'YYYY-MM-DD' in China Standard Time, the offices' clock. */
function todayInChina(now = clock.now()): string {
  return chinaToday(now);
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

/**
 * Cross-field rules on the project as it would be stored: fund sources within the total, years and planned dates
 * in order, and statistics entry (a project not entered needs a reason).
 */
export function checkProjectConsistency(p: Partial<ProjectRow>, touched: { statsEntered: boolean; keys?: readonly string[] }): void {
  const funds = FUND_COLUMNS.reduce((s, c) => s + (p[c] ?? 0), 0);
  if (funds > (p.total_investment ?? 0)) {
    // Point at what the client changed: a fund it typed, else the total it lowered.
    const path = FUND_COLUMNS.find((c) => touched.keys?.includes(c)) ?? 'total_investment';
    throw invalid(path, `资金来源合计（${funds} 元）超过总投资（${p.total_investment ?? 0} 元），请同时调整资金来源`);
  }
  if (p.start_year && p.end_year && p.start_year > p.end_year) throw invalid('end_year', '建设结束年份不能早于开始年份');
  const ordered: [keyof ProjectRow, keyof ProjectRow, string][] = [
    ['planned_start_date', 'planned_completion_date', '计划竣工日期不能早于计划开工日期'],
    ['planned_completion_date', 'planned_production_date', '计划投产日期不能早于计划竣工日期'],
    ['actual_start_date', 'actual_completion_date', '实际竣工日期不能早于实际开工日期'],
  ];
  for (const [a, b, message] of ordered) {
    const x = p[a];
    const y = p[b];
    if (typeof x === 'string' && typeof y === 'string' && y < x) throw invalid(String(b), message);
  }
  if (touched.statsEntered && p.stats_entered === 0 && !p.stats_reason) throw invalid('stats_reason', '未入库纳统的项目须填写原因');
}

/** Business rules of the project library. */
export class ProjectService {
  private readonly deps: Deps;
  constructor(deps: Deps) {
    this.deps = deps;
  }

  /**
   * Records a change with its before/after in the caller's transaction. The project must still be within the
   * actor's scope afterwards: a scoped account may not create projects it cannot see, nor move one away.
   */
  private async recordChange(trx: Executor, actor: Actor, action: string, id: number, before: unknown) {
    const after = await this.repos(trx).projects.findById(id, actor.scope);
    if (!after) throw new AppError('forbidden', before ? '不能将项目移出本账号的数据范围' : '所选责任单位或地区不在本账号的数据范围内');
    await this.deps.audit.record(trx, actor, { action, entityType: 'project', entityId: id, before: before ?? undefined, after });
  }

  private repos(db: Executor = this.deps.db) {
    return { projects: new ProjectRepository(db), reference: new ReferenceRepository(db) };
  }

  private async load(actor: Actor, id: number, db?: Executor) {
    const project = await this.repos(db).projects.findById(id, actor.scope);
    if (!project) throw notFound('项目');
    return project;
  }

  /** The project with its levels and, for a package, the Σ of its sub-items; 404 outside the actor's scope. */
  async getProject(actor: Actor, id: number, year = currentYear(this.deps.clock.now())) {
    const project = await this.load(actor, id);
    const { projects } = this.repos();
    const levels = await projects.listLevels(id);
    const rollup = project.is_package ? await projects.rollup(id, year) : null;
    // The moves the stage endpoint would accept now, so a client offers only those.
    const before = project.stage_before_pause && isStage(project.stage_before_pause) ? project.stage_before_pause : null;
    const next_stages = isStage(project.stage) ? nextStages(project.stage, before) : [];
    return { ...project, levels, rollup, next_stages };
  }

  /**
   * The project's change history, newest first: the audit trail's project changes and the plan, procedure,
   * review and restore writes, plus stage moves that only the stage history holds (monthly-report approval,
   * imports). 404 outside the actor's scope.
   */
  async listChanges(actor: Actor, id: number, query: ProjectChangesQuery) {
    await this.load(actor, id);
    const { projects } = this.repos();
    await this.deps.audit.chainPending(); // events committed but not yet chained are read too (issue 16)
    const audit = createAuditService(this.deps.db);
    const entityId = String(id);
    const end = query.page * query.page_size;
    const [rows, snapshots, history] = await Promise.all([
      audit.listEntityHistory('project', entityId, Object.keys(PROJECT_AUDIT_ACTIONS), PROJECT_REQUEST_ROUTES, end),
      audit.listEntitySnapshots('project', entityId, STAGE_ACTIONS),
      projects.listStageHistory(id),
    ]);
    const moves = snapshots.map((r) => ({
      seq: Number(r.seq), at: r.at, user_id: r.user_id === null ? null : Number(r.user_id),
      from_stage: stageIn(parseJson(r.before_json)), to_stage: stageIn(parseJson(r.after_json)),
    }));
    const { uncovered, coveredBy } = matchStageEvents(history, moves);
    const fromAudit: ProjectChange[] = rows.items.map((r) => {
      const kind = changeKindOf(r) ?? 'update';
      const stage = coveredBy.get(Number(r.seq));
      const withFields = kind === 'update' || kind === 'stage' || kind === 'tier';
      return {
        id: `a${r.seq}`, at: r.at, user_id: r.user_id === null ? null : Number(r.user_id), user_name: r.display_name ?? r.username, kind,
        changes: withFields ? diffFields(parseJson(r.before_json), parseJson(r.after_json)) : [],
        reason: stage?.reason ?? null, event_date: stage?.event_date ?? null,
      };
    });
    const fromHistory: ProjectChange[] = uncovered.map((h) => ({
      id: `s${h.id}`, at: h.created_at, user_id: h.user_id, user_name: h.user_name, kind: 'stage',
      changes: [{ field: 'stage', old: h.from_stage, new: h.to_stage }], reason: h.reason, event_date: h.event_date,
    }));
    // The first `end` audit rows and every uncovered history row hold the first `end` entries of the merge.
    const merged = [...fromAudit, ...fromHistory].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return {
      total: rows.total + uncovered.length, page: query.page, page_size: query.page_size,
      items: merged.slice(end - query.page_size, end),
    };
  }

  /**
   * A page of the list with totals; with `progress`, each item also carries its light and 1–N月 completion rate for
   * that period (judged for the page's projects only, so the cost follows the page size, not the portfolio).
   */
  async listProjects(actor: Actor, query: ProjectListQuery) {
    const { progress, ...rest } = query;
    const page = await this.repos().projects.list(rest, actor.scope, query.year ?? currentYear(this.deps.clock.now()));
    if (!progress) return page;
    const { year, month } = progress === 'current' ? await this.periodInForce() : { year: Number(progress.slice(0, 4)), month: Number(progress.slice(5, 7)) };
    const lights = createLightService(this.deps);
    const judged = new Map((await lights.lightsOfProjects(year, month, page.items.map((p) => p.id))).map((j) => [j.project_id, j]));
    const items = page.items.map((p) => {
      const j = judged.get(p.id);
      const rate = j ? fraction(j.completed_ytd, j.planned_investment) : null;
      return {
        ...p,
        light: j?.light ?? null, light_reasons: j?.reasons ?? [],
        completed_ytd: j ? j.completed_ytd : null,
        completion_rate: rate ? { value: toNumber(rate), text: formatPercent(rate) } : null,
      };
    });
    return { items, totals: { ...page.totals, progress: { year, month, label: periodLabel(month) } } };
  }

  /**
   * The period in force as every page opens at it (core/period-in-force.ts, as GET /reporting/current answers): the
   * latest period of this or last year's calendar closed or past its deadline, else the month before today.
   */
  private async periodInForce(): Promise<{ year: number; month: number }> {
    const today = todayInChina(this.deps.clock.now());
    const year = Number(today.slice(0, 4));
    const reports = new ReportRepository(this.deps.db);
    const periods = [...(await reports.listPeriods(year - 1)), ...(await reports.listPeriods(year))];
    const p = periodInForce(periods, today);
    return p ? { year: p.year, month: p.month } : previousMonth(today);
  }

  listDeleted(actor: Actor) {
    return this.repos().projects.listDeleted(actor.scope, 500);
  }

  private async checkReferences(actor: Actor, db: Executor, input: Partial<ProjectWrite>, excludeId?: number): Promise<void> {
    const { projects, reference } = this.repos(db);
    if (input.region_code !== undefined && !(await reference.findRegion(input.region_code))) {
      throw invalid('region_code', `所属地区不存在：${input.region_code}`);
    }
    if (input.unit_id !== undefined && !(await reference.findUnit(input.unit_id))) {
      throw invalid('unit_id', `责任单位不存在：${input.unit_id}`);
    }
    if (input.lead_unit_id && !(await reference.findUnit(input.lead_unit_id))) {
      throw invalid('lead_unit_id', `牵头单位不存在：${input.lead_unit_id}`);
    }
    if (input.code) {
      const problem = checkProjectCode(input.code);
      if (problem) throw invalid('code', problem);
      const holder = await projects.findIdByCode(input.code);
      if (holder && holder.id !== excludeId) throw new AppError('conflict', `项目代码已被其他项目使用：${input.code}`, { project_id: holder.id });
    }
    if (input.parent_id) {
      if (input.parent_id === excludeId) throw invalid('parent_id', '项目不能作为自己的子项目');
      const parent = await projects.findById(input.parent_id, actor.scope);
      if (!parent) throw invalid('parent_id', `所属打包项目不存在：${input.parent_id}`);
      if (parent.parent_id !== null) throw invalid('parent_id', '子项目下不能再设子项目');
      if (excludeId !== undefined && (await projects.countLiveSubItems(excludeId)) > 0) throw invalid('parent_id', '已有子项目的打包项目不能再作为子项目');
    }
  }

  /** Creates a project (with its levels) and records its initial stage; returns the id. */
  async createProject(actor: Actor, input: ProjectWrite): Promise<number> {
    const { levels, ...fields } = input;
    checkProjectConsistency(fields, { statsEntered: fields.stats_entered !== undefined, keys: Object.keys(fields) });
    // Joins an open transaction: an attraction record becomes a project at 开工 in its own approval's transaction.
    return inTransaction(this.deps.db, async (trx) => {
      await this.checkReferences(actor, trx, input);
      const { projects } = this.repos(trx);
      const now = this.deps.clock.now().toISOString();
      const stage: Stage = fields.stage ?? (fields.tier === 'idea' || fields.tier === 'reserve' ? 'planning' : 'preliminary');
      const id = await projects.insert({
        ...fields, stage, reserve_review: fields.tier === 'reserve' ? (fields.reserve_review ?? 'none') : (fields.reserve_review ?? null),
        search_text: searchTextOf(fields.name),
        created_at: now, updated_at: now, created_by: actor.userId, updated_by: actor.userId,
      });
      if (levels?.length) await projects.replaceLevels(id, levels);
      if (fields.parent_id) await projects.markPackage(fields.parent_id);
      const dateColumn = STAGE_DATE_COLUMN[stage];
      await projects.insertStageHistory({
        project_id: id, from_stage: null, to_stage: stage, event_date: (dateColumn && fields[dateColumn]) || todayInChina(this.deps.clock.now()),
        reason: '录入项目', user_id: actor.userId,
      });
      await this.recordChange(trx, actor, 'project.create', id, null);
      return id;
    });
  }

  private canAdminister(actor: Actor): boolean {
    return roleHas(actor.role, 'project.admin');
  }

  /** Applies a patch if the client's version is current; a stale version answers 409 with the stored record. */
  async updateProject(actor: Actor, id: number, input: ProjectUpdate) {
    const { version, levels, ...patch } = input;
    if (!this.canAdminister(actor)) {
      const locked = OFFICE_ONLY_FIELDS.filter((f) => input[f] !== undefined);
      if (locked.length) throw new AppError('forbidden', `以下字段只能由发改部门修改：${locked.join('、')}`, { fields: locked });
    }
    await inTransaction(this.deps.db, async (trx) => {
      const current = await this.load(actor, id, trx);
      if (current.version !== version) throw new AppError('version_conflict', STALE, { current });
      await this.checkReferences(actor, trx, patch, id);
      checkProjectConsistency({ ...current, ...patch }, { statsEntered: patch.stats_entered !== undefined || patch.stats_reason !== undefined, keys: Object.keys(patch) });
      const { projects } = this.repos(trx);
      const changed = await projects.updateIfVersion(id, version, {
        ...patch,
        ...(patch.name !== undefined ? { search_text: searchTextOf(patch.name) } : {}),
        updated_at: this.deps.clock.now().toISOString(), updated_by: actor.userId,
      });
      if (!changed) throw new AppError('version_conflict', STALE, { current: await projects.findById(id, actor.scope) });
      if (levels) await projects.replaceLevels(id, levels);
      if (patch.parent_id) await projects.markPackage(patch.parent_id);
      await this.recordChange(trx, actor, 'project.update', id, current);
    });
    return this.getProject(actor, id);
  }

  /** Soft-deletes a project; a package with live sub-items cannot be deleted. */
  async deleteProject(actor: Actor, id: number, version?: number): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      const current = await this.load(actor, id, trx);
      if (version !== undefined && version !== current.version) throw new AppError('version_conflict', STALE, { current });
      const { projects } = this.repos(trx);
      if ((await projects.countLiveSubItems(id)) > 0) throw new AppError('unprocessable', '该打包项目下还有子项目，请先删除或移出子项目');
      if (!(await projects.setDeleted(id, current.version, this.deps.clock.now().toISOString(), actor.userId))) throw new AppError('version_conflict', STALE);
      await this.deps.audit.record(trx, actor, { action: 'project.delete', entityType: 'project', entityId: id, before: current });
    });
  }

  /** Restores a soft-deleted project. */
  async restoreProject(actor: Actor, id: number) {
    const { projects } = this.repos();
    const deleted = await projects.findDeletedById(id, actor.scope);
    if (!deleted) throw notFound('已删除的项目');
    if (!(await projects.setDeleted(id, deleted.version, null, actor.userId))) throw new AppError('version_conflict', STALE);
    return this.getProject(actor, id);
  }

  /** Moves a project along the stage machine, recording history and the actual date of the new stage. */
  async changeStage(actor: Actor, id: number, input: StageChange) {
    if (input.event_date > todayInChina(this.deps.clock.now())) throw invalid('event_date', '事件日期不能晚于今天');
    await inTransaction(this.deps.db, async (trx) => {
      const current = await this.load(actor, id, trx);
      if (input.version !== undefined && input.version !== current.version) throw new AppError('version_conflict', STALE, { current });
      // The column is typed by core's list, but the table has no CHECK: stored text outside it is refused here.
      if (!isStage(current.stage)) throw new AppError('unprocessable', `项目阶段数据有误：${String(current.stage)}`);
      const before = current.stage_before_pause && isStage(current.stage_before_pause) ? current.stage_before_pause : null;
      const result = checkStageMove({ from: current.stage, to: input.to, stageBeforePause: before, reason: input.reason });
      if ('error' in result) throw new AppError('unprocessable', result.error, { from: current.stage, to: input.to });
      const dateColumn = result.kind === 'advance' ? STAGE_DATE_COLUMN[result.stage] : undefined;
      const { projects } = this.repos(trx);
      const changed = await projects.updateIfVersion(id, current.version, {
        stage: result.stage, stage_before_pause: result.stageBeforePause,
        ...(dateColumn ? { [dateColumn]: input.event_date } : {}),
        updated_at: this.deps.clock.now().toISOString(), updated_by: actor.userId,
      });
      if (!changed) throw new AppError('version_conflict', STALE);
      await projects.insertStageHistory({
        project_id: id, from_stage: current.stage, to_stage: result.stage, event_date: input.event_date,
        reason: input.reason?.trim() || null, user_id: actor.userId,
      });
      await this.recordChange(trx, actor, 'project.stage_change', id, current);
    });
    return this.getProject(actor, id);
  }

  async listStageHistory(actor: Actor, id: number) {
    await this.load(actor, id);
    return this.repos().projects.listStageHistory(id);
  }

  /** Moves a project between library tiers (谋划/储备/实施/退库 and restore). */
  async changeTier(actor: Actor, id: number, input: TierChange) {
    await inTransaction(this.deps.db, async (trx) => {
      const current = await this.load(actor, id, trx);
      if (input.version !== undefined && input.version !== current.version) throw new AppError('version_conflict', STALE, { current });
      const result = checkTierMove({
        from: current.tier as Tier, to: input.to, review: current.reserve_review as ReserveReview | null,
        tierBeforeWithdraw: current.tier_before_withdraw as Tier | null, reason: input.reason,
      });
      if ('error' in result) throw new AppError('unprocessable', result.error, { from: current.tier, to: input.to });
      // Entering the implementation library starts the pre-construction stage of a project still being planned.
      const toPreliminary = result.tier === 'implementation' && current.stage === 'planning';
      const { projects } = this.repos(trx);
      const changed = await projects.updateIfVersion(id, current.version, {
        tier: result.tier, reserve_review: result.review, tier_before_withdraw: result.tierBeforeWithdraw, withdraw_reason: result.withdrawReason,
        ...(toPreliminary ? { stage: 'preliminary' } : {}),
        updated_at: this.deps.clock.now().toISOString(), updated_by: actor.userId,
      });
      if (!changed) throw new AppError('version_conflict', STALE);
      if (toPreliminary) {
        await projects.insertStageHistory({ project_id: id, from_stage: 'planning', to_stage: 'preliminary', event_date: todayInChina(this.deps.clock.now()), reason: '转入实施库', user_id: actor.userId });
      }
      await this.recordChange(trx, actor, 'project.tier_change', id, current);
    });
    return this.getProject(actor, id);
  }

  /** Records a reserve review step (初审, then 终审). */
  async reviewReserve(actor: Actor, id: number, review: ReserveReview, version?: number) {
    const current = await this.load(actor, id);
    if (version !== undefined && version !== current.version) throw new AppError('version_conflict', STALE, { current });
    const result = checkReserveReview(current.tier as Tier, current.reserve_review as ReserveReview | null, review);
    if (typeof result !== 'string') throw new AppError('unprocessable', result.error);
    const changed = await this.repos().projects.updateIfVersion(id, current.version, { reserve_review: result, updated_at: this.deps.clock.now().toISOString(), updated_by: actor.userId });
    if (!changed) throw new AppError('version_conflict', STALE);
    return this.getProject(actor, id);
  }

  // ── annual plans ──

  async listPlans(actor: Actor, projectId: number) {
    await this.load(actor, projectId);
    return this.repos().projects.listPlans(projectId);
  }

  /**
   * Creates (no version) or updates (the version read) a project's plan for a year. The plan cannot exceed what
   * remains of the total investment, and each planned event needs its month.
   */
  async savePlan(actor: Actor, projectId: number, year: number, input: AnnualPlanWrite) {
    const { version, monthly_plan: monthly, ...fields } = input;
    if (monthly) {
      const sum = monthly.reduce((a, b) => a + b, 0);
      if (sum !== fields.planned_investment) {
        throw invalid('monthly_plan', `各月计划之和（${formatWan(sum)} 万元）与年度计划投资（${formatWan(fields.planned_investment)} 万元）不一致`);
      }
    }
    const months = monthly === undefined ? {} : planMonthColumns(monthly);
    for (const [flag, monthField, label] of [['plan_new_start', 'plan_start_month', '新开工'], ['plan_completion', 'plan_completion_month', '竣工'], ['plan_production', 'plan_production_month', '投产']] as const) {
      if (fields[flag] && !fields[monthField]) throw invalid(monthField, `计划${label}的项目须填写计划${label}月份`);
      if (!fields[flag]) fields[monthField] = null;
    }
    return inTransaction(this.deps.db, async (trx) => {
      const project = await this.load(actor, projectId, trx);
      if (fields.completed_before_year + fields.planned_investment > project.total_investment) {
        throw new AppError('unprocessable', `以前年度累计完成与年度计划投资之和（${fields.completed_before_year + fields.planned_investment} 元）超过总投资（${project.total_investment} 元）`);
      }
      const { projects } = this.repos(trx);
      const existing = await projects.findPlan(projectId, year);
      const now = this.deps.clock.now().toISOString();
      if (!existing) {
        if (version !== undefined) throw new AppError('version_conflict', '该年度计划已被他人删除，请刷新后重新填写', { current: null });
        await projects.insertPlan({ ...fields, ...months, project_id: projectId, year, created_at: now, updated_at: now });
      } else {
        if (version !== existing.version) throw new AppError('version_conflict', '该年度计划已被他人修改，请查看最新内容后重新提交', { current: existing });
        if (!(await projects.updatePlanIfVersion(projectId, year, version, { ...fields, ...months, updated_at: now }))) {
          throw new AppError('version_conflict', '该年度计划已被他人修改，请查看最新内容后重新提交', { current: await projects.findPlan(projectId, year) });
        }
      }
      // Since-start of the year's reports is completed-before-year + 1–N月: keep it true when the former changes.
      await new ReportRepository(trx).rebaseSinceStart([projectId], year);
      return (await projects.findPlan(projectId, year))!;
    });
  }

  async deletePlan(actor: Actor, projectId: number, year: number, version: number): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      await this.load(actor, projectId, trx);
      const { projects } = this.repos(trx);
      const existing = await projects.findPlan(projectId, year);
      if (!existing) throw notFound(`${year} 年度计划`);
      if (!(await projects.deletePlanIfVersion(projectId, year, version))) {
        throw new AppError('version_conflict', '该年度计划已被他人修改，请查看最新内容后重新提交', { current: existing });
      }
      await new ReportRepository(trx).rebaseSinceStart([projectId], year);
    });
  }

  // ── procedures ──

  /** Every procedure kind in order, with what is recorded (status pending when nothing is). */
  async listProcedures(actor: Actor, projectId: number) {
    await this.load(actor, projectId);
    const stored = new Map((await this.repos().projects.listProcedures(projectId)).map((p) => [p.kind, p]));
    return PROCEDURE_KINDS.map((kind) => {
      const row = stored.get(kind);
      // The status column is written only through procedureWriteSchema's enum.
      return {
        kind, label: PROCEDURE_LABELS[kind], status: (row?.status ?? 'pending') as ProcedureStatus, doc_number: row?.doc_number ?? null,
        approved_date: row?.approved_date ?? null, note: row?.note ?? null, updated_at: row?.updated_at ?? null,
      };
    });
  }

  async saveProcedure(actor: Actor, projectId: number, kind: ProcedureKind, input: ProcedureWrite) {
    await this.load(actor, projectId);
    if (input.status === 'done' && !input.approved_date) throw invalid('approved_date', `${PROCEDURE_LABELS[kind]}已办结，须填写批复（办结）日期`);
    await this.repos().projects.upsertProcedure({
      project_id: projectId, kind, status: input.status, doc_number: input.doc_number ?? null,
      approved_date: input.approved_date ?? null, note: input.note ?? null,
    });
    return (await this.listProcedures(actor, projectId)).find((p) => p.kind === kind)!;
  }
}
