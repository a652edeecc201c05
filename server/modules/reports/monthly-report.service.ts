import { IndicatorService } from '../indicators/index.ts';
import type { Updateable } from 'kysely';
import {
  canDo, REPORT_WORKFLOW, changesSince, checkNegativeReason, chinaDate, deriveAmounts, isAfterDeadline, periodLabel, rechain, refusalOf,
  stageMove, stageNeedsPhoto, statusAfter, type ReportAction,
} from '../../../core/monthly-report.ts';
import { STAGE_LABELS } from '../../../core/stages.ts';
import type { Actor } from '../../context.ts';
import type { MonthlyReportTable, ProjectTable } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import { isPermission, roleHas } from '../../plugins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import type { AuditEvent, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { presentPeriod } from './period.service.ts';
import { refreshLightsAfterBulkWrite } from '../lights/index.ts';
import { ReportBulkService } from './report-bulk.service.ts';
import { syncReportTodos, syncReportTodosOfProjects } from './report-todos.ts';
import type { PeriodRow, PhotoRow, ReportRepository, ReportRow } from './report.repository.ts';
import type { BatchSave, ReportCorrection, ReportFields, ReportProblemMatter, ReportWrite } from './report.schema.ts';
import { createMatterService } from '../supervision/index.ts';

type ProjectRow = NonNullable<Awaited<ReturnType<ReportRepository['findReportingProject']>>>;

/** How a stored photo is presented: URLs of the authorized routes, never a file path. */
export function presentPhoto(p: PhotoRow) {
  return {
    id: p.id, report_id: p.report_id, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, original_name: p.original_name,
    created_at: p.created_at, url: `/api/v1/report-photos/${p.id}`, thumb_url: `/api/v1/report-photos/${p.id}?size=thumb`,
  };
}

/** The previous period's figures as shown next to a report. */
function presentPrevious(r: ReportRow | undefined) {
  if (!r) return null;
  return {
    month: r.month, amount_month: r.amount_month, amount_ytd: r.amount_ytd, amount_since_start: r.amount_since_start,
    stage: r.stage, progress_text: r.progress_text, workers: r.workers, status: r.status,
  };
}

function periodName(year: number, period: Pick<PeriodRow, 'first_month' | 'month'>): string {
  return `${year}年${periodLabel(period.first_month, period.month)}`;
}

function versionConflict(current: unknown): AppError {
  return new AppError('version_conflict', '该月报已被他人修改，请查看最新内容后重新提交', { current });
}

/**
 * Records a change of a report with the stored row before and the row as it now stands, in the repository's
 * transaction (so the event commits or rolls back with the change).
 */
async function recordReport(deps: Pick<Deps, 'audit'>, repo: ReportRepository, actor: Actor, action: string, before: ReportRow | null, reportId: number, details?: AuditEvent['details'], project?: Pick<ProjectRow, 'id' | 'name'>): Promise<ReportRow | undefined> {
  const after = await repo.findReportById(reportId);
  const row = after ?? before;
  // The trail names the report as people do (月报 · 吴中大道… 2026年11月), not by its row number; the caller's project
  // row, when it has read it in this transaction, saves reading its name again.
  const projectName = row ? (project?.id === row.project_id ? project.name : await repo.findProjectName(row.project_id)) : undefined;
  const entityName = row && projectName ? `${projectName} ${row.year}年${row.month}月` : undefined;
  await deps.audit.record(repo.executor, actor, { action, entityType: 'report', entityId: reportId, entityName, before, after: after ?? null, details });
  return after;
}

/** What a write read in its transaction, for its answer: the report as it now stands, its period and the previous report. */
interface Written {
  report: ReportRow;
  period: PeriodRow;
  /** The previous period's report, when the write read it (undefined: not read). */
  previous?: ReportRow | null;
  /** False when the report cannot have photos (it was just created). */
  mayHavePhotos: boolean;
}

/**
 * Validates entered fields against the stored report, the previous period's report and the plan, and derives the
 * figures: this month ⇄ 1–N月 from the previous period, since-start from the annual plan (`today`: China date). Pure: the bulk paths
 * read the inputs of many rows at once and call it per row. Throws AppError('validation_failed').
 */
export function deriveReportFields(
  project: Pick<ProjectRow, 'stage'>, existing: ReportRow | undefined, previous: Pick<ReportRow, 'amount_ytd'> | undefined,
  plan: { completed_before_year: number } | undefined, input: ReportFields, today: string,
): Updateable<MonthlyReportTable> {
  const amounts = deriveAmounts({ amount_month: input.amount_month, amount_ytd: input.amount_ytd }, previous?.amount_ytd ?? 0, existing?.amount_month ?? 0);
  if (!amounts.ok) throw new AppError('validation_failed', amounts.message, [{ path: amounts.field }]);

  // undefined keeps the stored value, null clears it.
  const keep = <K extends keyof ReportFields & keyof ReportRow>(k: K) => (input[k] !== undefined ? input[k] : (existing?.[k] ?? null));
  const negativeReason = keep('negative_reason') || null;
  const negativeProblem = checkNegativeReason(amounts.amount_month, negativeReason);
  if (negativeProblem) throw new AppError('validation_failed', negativeProblem, [{ path: 'negative_reason' }]);

  const statsEntered = keep('stats_entered');
  const statsCode = keep('stats_code') || null;
  const statsReason = keep('stats_reason') || null;
  if (statsEntered === 1 && !statsCode) throw new AppError('validation_failed', '已入库纳统的项目请填写统计纳统编码', [{ path: 'stats_code' }]);
  if (statsEntered === 0 && !statsReason) throw new AppError('validation_failed', '未入库纳统的项目请填写未纳统原因', [{ path: 'stats_reason' }]);

  const stage = keep('stage');
  const stageDate = keep('stage_date');
  const move = stageMove(project.stage, stage);
  // A stored stage the project has since passed stays valid history; only newly stating one is refused.
  const isNewlyStated = input.stage !== undefined && input.stage !== existing?.stage;
  if (move.kind === 'refused' || (move.kind === 'behind' && isNewlyStated)) {
    throw new AppError('validation_failed', move.message, [{ path: 'stage' }]);
  }
  if (move.kind === 'forward' && move.dateField) {
    if (!stageDate) throw new AppError('validation_failed', `建设阶段变更为“${STAGE_LABELS[move.to]}”时请填写${STAGE_LABELS[move.to]}日期`, [{ path: 'stage_date' }]);
    if (stageDate > today) throw new AppError('validation_failed', `${STAGE_LABELS[move.to]}日期不能晚于今天：${stageDate}`, [{ path: 'stage_date' }]);
  }

  return {
    amount_month: amounts.amount_month,
    amount_ytd: amounts.amount_ytd,
    amount_since_start: (plan?.completed_before_year ?? 0) + amounts.amount_ytd,
    negative_reason: amounts.amount_month < 0 ? negativeReason : null,
    stage, stage_date: stageDate,
    progress_text: keep('progress_text'), workers: keep('workers'), problems: keep('problems'), next_plan: keep('next_plan'),
    stats_entered: statsEntered,
    stats_code: statsEntered === 0 ? null : statsCode,
    stats_reason: statsEntered === 1 ? null : statsReason,
  };
}

/**
 * The ids of a bulk operation for its audit event: the list itself up to 1000, beyond that its count, first and
 * last (the reports' own submitted_at / submitted_by say which they were).
 */
export function summarizeIds(ids: readonly number[]): number[] | { count: number; first: number; last: number } {
  if (ids.length <= 1000) return [...ids];
  return { count: ids.length, first: ids.reduce((a, b) => Math.min(a, b)), last: ids.reduce((a, b) => Math.max(a, b)) };
}

/** Monthly reports (月度填报): entry, derivations, the review workflow, batches, the review queue and 催报. */
/**
 * Keeps the indicator engine's rollups (ytd, facts, groups) equal to this project-year's reports, in the report
 * write's transaction (the service composes it; the repository no longer calls a service).
 */
function refreshIndicatorRollup(repo: ReportRepository, projectId: number, year: number): Promise<void> {
  return IndicatorService.refreshProject(repo.executor, projectId, year);
}

export class MonthlyReportService {
  private readonly deps: Deps;
  private readonly repos: (db: Executor) => ReportRepository;
  private readonly repo: ReportRepository;
  private readonly bulkChunkRows: number | undefined;
  constructor(deps: Deps, repos: (db: Executor) => ReportRepository, options: { bulkChunkRows?: number } = {}) {
    this.deps = deps;
    this.repos = repos;
    this.repo = repos(deps.db);
    this.bulkChunkRows = options.bulkChunkRows;
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────────────

  /** The report with its photos, the previous period's figures and what the actor may do next. */
  private async present(repo: ReportRepository, actor: Actor, report: ReportRow, known: { period?: PeriodRow; previous?: ReportRow | null; mayHavePhotos?: boolean } = {}) {
    // What the write already read in its transaction is not read again (issue 16: a save + submit re-read each row).
    const [photos, period, previous] = await Promise.all([
      known.mayHavePhotos === false ? [] : repo.listPhotos(report.id),
      known.period ?? repo.findPeriod(report.year, report.month),
      known.previous !== undefined ? (known.previous ?? undefined) : repo.findPreviousReport(report.project_id, report.year, report.month),
    ]);
    const open = period?.status === 'open';
    const actions = open ? REPORT_WORKFLOW.choices(report.status, (p) => isPermission(p) && roleHas(actor.role, p)) : [];
    return {
      ...report,
      period: period ? presentPeriod(period) : null,
      photos: photos.map(presentPhoto),
      previous: presentPrevious(previous),
      allowed_actions: actions,
    };
  }

  async getReportById(actor: Actor, id: number) {
    const report = await this.repo.findReportInScope(id, actor.scope);
    if (!report) throw notFound('月报');
    return this.present(this.repo, actor, report);
  }

  private async getProject(repo: ReportRepository, actor: Actor, projectId: number): Promise<ProjectRow> {
    const project = await repo.findReportingProject(projectId, actor.scope);
    if (!project) throw notFound('项目（实施库）');
    return project;
  }

  /** The report of a project for a period; 404 when the project is out of scope or nothing was entered yet. */
  async getReport(actor: Actor, projectId: number, year: number, month: number) {
    await this.getProject(this.repo, actor, projectId);
    const report = await this.repo.findReport(projectId, year, month);
    if (!report) throw new AppError('not_found', `该项目${year}年${month}月的月报尚未填写`);
    return this.present(this.repo, actor, report);
  }

  /** Every report of a project in a year, in month order, each with the matter its 需协调问题 became (or null). */
  async listProjectReports(actor: Actor, projectId: number, year: number) {
    await this.getProject(this.repo, actor, projectId);
    const items = await this.repo.listProjectReports(projectId, year);
    const links = await this.repo.matterLinksOf(items.map((r) => r.id));
    return { items: items.map((r) => ({ ...r, matter: links.get(r.id) ?? null })) };
  }

  /**
   * 转督办: a report's 需协调问题 becomes one supervised matter through the supervision module, in one transaction —
   * the problem text as content, the project linked, the project's unit leading unless the dialog chose another,
   * the source linking back to the report (source 'report', source_id = the report, the project page's reports).
   * A report's problem becomes one matter only: a second attempt is refused 409 naming the matter it has.
   */
  async problemToMatter(actor: Actor, id: number, input: ReportProblemMatter) {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repos(trx);
      const report = await repo.findReportInScope(id, actor.scope);
      if (!report) throw notFound('月报');
      const problem = report.problems?.trim();
      if (!problem) throw new AppError('unprocessable', '该月报没有填写需协调问题，无需转督办');
      const already = async () => {
        const link = await repo.findMatterLink(report.id);
        return link ? new AppError('conflict', `该月报的需协调问题已转为督办事项${link.matter_number}，不能重复转办`, { matter_id: link.matter_id, matter_number: link.matter_number }) : undefined;
      };
      const refused = await already();
      if (refused) throw refused;
      const project = await this.getProject(repo, actor, report.project_id);
      const period = await repo.findPeriod(report.year, report.month);
      const label = `${report.year}年${period ? periodLabel(period.first_month, period.month) : `${report.month}月`}`;
      const made = await createMatterService({ ...this.deps, db: trx }).create(actor, {
        title: input.title?.trim() || `协调解决：${project.name}${label}月报反映的问题`, content: input.content?.trim() || problem,
        source: 'report', sourceId: report.id, sourceRef: `${project.name} ${label}月报·需协调问题`, sourceLink: `/projects/${project.id}?tab=reports&year=${report.year}`,
        type: input.type?.trim() || '协调问题', urgency: input.urgency ?? 'normal', leadUnitId: input.lead_unit_id ?? project.unit_id,
        coUnitIds: input.co_unit_ids ?? [], projectIds: [project.id], dueOn: input.due_on ?? null, feedbackDays: input.feedback_days ?? null,
      });
      if (!(await repo.insertMatterLink({ report_id: report.id, matter_id: made.id, matter_number: made.number, created_at: this.deps.clock.now().toISOString() }))) {
        // Another request linked a matter first: this transaction (and its matter) is rolled back.
        throw (await already().catch(() => undefined)) ?? new AppError('conflict', '该月报的需协调问题已转为督办事项，不能重复转办');
      }
      return made;
    });
  }

  /** The revisions kept by corrections after approval, oldest first, plus the current report. */
  async listRevisions(actor: Actor, id: number) {
    const current = await this.getReportById(actor, id);
    const revisions = await this.repo.listRevisions(id);
    return {
      current,
      revisions: revisions.map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as Record<string, unknown> })),
    };
  }

  // ── writing one report ─────────────────────────────────────────────────────────────────────────────────────

  /** The period, when reports of it may still be written; 409 when it is closed or not yet open. */
  private async writablePeriod(repo: ReportRepository, year: number, month: number): Promise<PeriodRow> {
    const period = await repo.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期（1–2月合并填报时为 2 月）`);
    if (period.status === 'closed') {
      throw new AppError('conflict', `${periodName(year, period)}填报期已关闭，数据只读；如需修改请联系发改部门重新开放该填报期`, { period });
    }
    if (period.status !== 'open') throw new AppError('conflict', `${periodName(year, period)}填报期尚未开放填报`, { period });
    return period;
  }

  /**
   * Validates entered fields against the stored report and the previous period, and derives the figures:
   * this month ⇄ 1–N月 from the previous period, since-start from the annual plan.
   */
  private async validatedFields(repo: ReportRepository, project: ProjectRow, year: number, month: number, existing: ReportRow | undefined, input: ReportFields) {
    const [previous, plan] = await Promise.all([repo.findPreviousReport(project.id, year, month), repo.findPlan(project.id, year)]);
    return { fields: deriveReportFields(project, existing, previous, plan, input, chinaDate(this.deps.clock.now())), previous, plan };
  }

  /**
   * Keeps 1–N月 and since-start of every report of the project-year equal to the running sum of monthly figures.
   * `plan`: the project-year's plan when the caller has read it in this transaction. Returns the statuses of the
   * reports whose cumulatives it rewrote.
   */
  private async rechainYear(repo: ReportRepository, projectId: number, year: number, plan?: { completed_before_year: number } | null): Promise<ReportRow['status'][]> {
    const [reports, planRow] = await Promise.all([repo.listProjectReports(projectId, year), plan !== undefined ? plan ?? undefined : repo.findPlan(projectId, year)]);
    const rewritten: ReportRow['status'][] = [];
    for (const r of rechain(reports, planRow?.completed_before_year ?? 0)) {
      const stored = reports.find((s) => s.id === r.id);
      if (stored && (stored.amount_ytd !== r.amount_ytd || stored.amount_since_start !== r.amount_since_start)) {
        await repo.updateCumulatives(r.id, r.amount_ytd, r.amount_since_start);
        rewritten.push(stored.status);
      }
    }
    return rewritten;
  }

  /**
   * Creates or edits (draft / returned) the report of a project for a period. Returns its id, the report as it now
   * stands and the previous report (for the answer), and the statuses of every report whose figures it changed
   * (this one's and those the rechaining rewrote: whether the indicator rollup can have moved).
   */
  private async write(repo: ReportRepository, actor: Actor, projectId: number, period: PeriodRow, input: ReportWrite) {
    const project = await this.getProject(repo, actor, projectId);
    const { year, month } = period;
    const existing = await repo.findReport(projectId, year, month);
    let id: number;
    let derived: Awaited<ReturnType<MonthlyReportService['validatedFields']>>;
    if (existing) {
      if (input.version === undefined) {
        throw new AppError('version_conflict', '该项目本期月报已存在，请刷新后在最新内容上修改', { current: existing });
      }
      if (existing.version !== input.version) throw versionConflict(existing);
      if (!canDo(existing.status, 'edit')) throw new AppError('conflict', refusalOf(existing.status, 'edit'), { current: existing });
      derived = await this.validatedFields(repo, project, year, month, existing, input);
      if (!(await repo.updateReportIfVersion(existing.id, existing.version, derived.fields))) throw versionConflict(await repo.findReport(projectId, year, month));
      id = existing.id;
    } else {
      derived = await this.validatedFields(repo, project, year, month, undefined, input);
      const { fields } = derived;
      const now = this.deps.clock.now().toISOString();
      id = await repo.insertReport({
        ...fields, amount_month: fields.amount_month ?? 0, project_id: projectId, year, month,
        status: 'draft', revision: 1, version: 1, created_at: now, updated_at: now,
      });
    }
    const rewritten = await this.rechainYear(repo, projectId, year, derived.plan ?? null);
    const after = await recordReport(this.deps, repo, actor, 'report.save', existing ?? null, id, { project_id: projectId, year, month }, project);
    return { id, after, previous: derived.previous ?? null, isNew: !existing, statuses: [existing?.status ?? 'draft', ...rewritten] };
  }

  /** Creates or updates the report of a project for an open period. */
  async saveReport(actor: Actor, projectId: number, year: number, month: number, input: ReportWrite) {
    const written = await inTransaction(this.deps.db, async (trx): Promise<Written | number> => {
      const repo = this.repos(trx);
      const period = await this.writablePeriod(repo, year, month);
      const w = await this.write(repo, actor, projectId, period, input);
      // Only reports in a counted status feed the rollup: a draft saved (the rechaining touching no counted report)
      // leaves it as it was, and skips its refresh.
      await IndicatorService.refreshProjectIfCounted(trx, projectId, year, w.statuses);
      return w.after ? { report: w.after, period, previous: w.previous, mayHavePhotos: !w.isNew } : w.id;
    });
    return this.presentWritten(actor, written);
  }

  /** The answer of a write: what it read in its transaction, or the report read afresh when it could not be. */
  private async presentWritten(actor: Actor, written: Written | number) {
    if (typeof written === 'number') return this.getReportById(actor, written);
    return this.present(this.repo, actor, written.report, written);
  }

  // ── workflow ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Runs one workflow step on a report read inside the transaction with the client's version checked. */
  private async step(actor: Actor, id: number, version: number, action: ReportAction, fn: (repo: ReportRepository, report: ReportRow, period: PeriodRow) => Promise<ProjectRow | void>, details?: (report: ReportRow) => AuditEvent['details']) {
    const written = await inTransaction(this.deps.db, async (trx): Promise<Written | number> => {
      const repo = this.repos(trx);
      const report = await repo.findReportInScope(id, actor.scope);
      if (!report) throw notFound('月报');
      const period = await this.writablePeriod(repo, report.year, report.month);
      if (report.version !== version) throw versionConflict(report);
      if (!canDo(report.status, action)) throw new AppError('conflict', refusalOf(report.status, action), { current: report });
      const project = await fn(repo, report, period);
      const after = await recordReport(this.deps, repo, actor, `report.${action}`, report, report.id, details?.(report), project ?? undefined);
      // Which statuses count toward indicators is a setting, so every step refreshes the project's rollup.
      await refreshIndicatorRollup(repo, report.project_id, report.year);
      // A submit clears the unit's "report due" (or lowers its count), a return adds a "return to fix".
      if (project) await syncReportTodos(this.deps, trx, period, { unitIds: [project.unit_id], by: actor.userId, stored: period });
      else await syncReportTodosOfProjects(this.deps, trx, report, [report.project_id], actor.userId);
      return after ? { report: after, period, mayHavePhotos: true } : report.id;
    });
    return this.presentWritten(actor, written);
  }

  /**
   * A report states a move that needs photos or a date: refuse submitting or approving it without them. A stage
   * the project has already passed (a later month was approved first) is history, not a move, and is not checked.
   */
  private async checkComplete(repo: ReportRepository, project: ProjectRow, report: ReportRow): Promise<void> {
    const move = stageMove(project.stage, report.stage);
    if (move.kind === 'refused') throw new AppError('unprocessable', move.message);
    if (move.kind !== 'forward') return;
    if (move.dateField && !report.stage_date) throw new AppError('unprocessable', `建设阶段变更为“${STAGE_LABELS[move.to]}”时须填写${STAGE_LABELS[move.to]}日期`);
    if (stageNeedsPhoto(move.to) && (await repo.countPhotos(report.id)) === 0) {
      throw new AppError('unprocessable', `建设阶段变更为“${STAGE_LABELS[move.to]}”须上传至少一张现场照片（形象进度照片）`);
    }
  }

  /** Submits the report (checked complete); returns its project as read in the transaction. */
  private async doSubmit(repo: ReportRepository, actor: Actor, report: ReportRow): Promise<ProjectRow> {
    const project = await this.getProject(repo, actor, report.project_id);
    await this.checkComplete(repo, project, report);
    const now = this.deps.clock.now().toISOString();
    const ok = await repo.updateReportIfVersion(report.id, report.version, {
      status: statusAfter(report.status, 'submit', false), submitted_at: now, submitted_by: actor.userId,
      first_submitted_at: report.first_submitted_at ?? now,
    });
    if (!ok) throw versionConflict(await repo.findReport(report.project_id, report.year, report.month));
    return project;
  }

  /** Moves the project along with an approved report: stage, its date, history, statistics entry. */
  private async applyToProject(repo: ReportRepository, actor: Actor, report: ReportRow, period: PeriodRow): Promise<void> {
    const project = await this.getProject(repo, actor, report.project_id);
    await this.checkComplete(repo, project, report);
    const patch: Updateable<ProjectTable> = {};
    const move = stageMove(project.stage, report.stage);
    if (move.kind === 'forward') {
      patch.stage = move.to;
      if (move.dateField && report.stage_date) patch[move.dateField] = report.stage_date;
      await repo.insertStageHistory({
        project_id: project.id, from_stage: project.stage, to_stage: move.to, event_date: report.stage_date ?? chinaDate(this.deps.clock.now()),
        reason: `${periodName(report.year, period)}月报审核通过`, user_id: report.submitted_by ?? actor.userId,
      });
    }
    if (report.stats_entered === 1) {
      Object.assign(patch, { stats_entered: 1, stats_code: report.stats_code, stats_reason: null });
      if (project.stats_entered !== 1) patch.stats_entered_date = chinaDate(this.deps.clock.now());
    } else if (report.stats_entered === 0) {
      Object.assign(patch, { stats_entered: 0, stats_reason: report.stats_reason });
    }
    if (Object.keys(patch).length > 0) await repo.updateProject(project.id, patch, actor.userId);
  }

  async submit(actor: Actor, id: number, version: number) {
    return this.step(actor, id, version, 'submit', async (repo, report) => this.doSubmit(repo, actor, report));
  }

  /** Approves and locks the report; a stage it reports moves the project. */
  async approve(actor: Actor, id: number, version: number) {
    return this.step(actor, id, version, 'approve', async (repo, report, period) => {
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.updateReportIfVersion(report.id, report.version, { status: 'approved', reviewed_at: now, reviewed_by: actor.userId }))) {
        throw versionConflict(report);
      }
      await this.applyToProject(repo, actor, report, period);
    });
  }

  async returnReport(actor: Actor, id: number, version: number, reason: string) {
    return this.step(actor, id, version, 'return', async (repo, report) => {
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.updateReportIfVersion(report.id, report.version, { status: 'returned', return_reason: reason, reviewed_at: now, reviewed_by: actor.userId }))) {
        throw versionConflict(report);
      }
    }, () => ({ reason }));
  }

  /**
   * Corrects an approved report: the report as it stood is kept as a revision with the reason, the revision number
   * goes up. A reviewer's correction stays approved (and moves the project); a unit's goes back to review.
   */
  async correct(actor: Actor, id: number, input: ReportCorrection) {
    const { version, reason, ...fields } = input;
    return this.step(actor, id, version, 'correct', async (repo, report, period) => {
      const project = await this.getProject(repo, actor, report.project_id);
      await repo.insertRevision({ report_id: report.id, revision: report.revision, snapshot: JSON.stringify(report), reason, user_id: actor.userId });
      const changed = (await this.validatedFields(repo, project, report.year, report.month, report, fields)).fields;
      const move = stageMove(project.stage, changed.stage);
      if (move.kind === 'forward' && stageNeedsPhoto(move.to) && (await repo.countPhotos(report.id)) === 0) {
        // Photos of an approved report cannot change, so such a move belongs in the next period's report.
        throw new AppError('unprocessable', `更正中将建设阶段变更为“${STAGE_LABELS[move.to]}”须已有现场照片；请在下期月报中填报阶段变更并上传照片`);
      }
      const byReviewer = roleHas(actor.role, 'report.review');
      const now = this.deps.clock.now().toISOString();
      const ok = await repo.updateReportIfVersion(report.id, report.version, {
        ...changed, revision: report.revision + 1, status: statusAfter('approved', 'correct', byReviewer),
        ...(byReviewer ? { reviewed_at: now, reviewed_by: actor.userId } : { submitted_at: now, submitted_by: actor.userId }),
      });
      if (!ok) throw versionConflict(report);
      await this.rechainYear(repo, report.project_id, report.year);
      if (byReviewer) {
        const updated = await repo.findReport(report.project_id, report.year, report.month);
        if (updated) await this.applyToProject(repo, actor, updated, period);
      }
    }, (report) => ({ reason, revision_kept: report.revision, revision: report.revision + 1, by_reviewer: roleHas(actor.role, 'report.review') }));
  }

  // ── a unit's whole period at once ──────────────────────────────────────────────────────────────────────────

  /** The grid a unit fills: every reporting project in scope with its plan, last month's figures and this report. */
  async grid(actor: Actor, year: number, month: number, unit: number | undefined) {
    const period = await this.repo.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期（1–2月合并填报时为 2 月）`);
    const [projects, reports, previous, photoCounts] = await Promise.all([
      this.repo.listPeriodProjects(actor.scope, year, month, unit),
      this.repo.listPeriodReports(actor.scope, year, month, unit),
      this.repo.listPreviousReports(actor.scope, year, month, unit),
      this.repo.countPeriodPhotos(actor.scope, year, month, unit),
    ]);
    const reportById = new Map(reports.map((r) => [r.id, r]));
    const previousByProject = new Map(previous.map((r) => [r.project_id, r]));
    return {
      period: presentPeriod(period),
      rows: projects.map((p) => {
        const report = p.report_id === null ? undefined : reportById.get(p.report_id);
        return {
          project: { id: p.project_id, name: p.project_name, unit_id: p.unit_id, unit_name: p.unit_name, stage: p.project_stage, total_investment: p.total_investment },
          plan: p.planned_investment === null ? null : { planned_investment: p.planned_investment, completed_before_year: p.completed_before_year ?? 0 },
          previous: presentPrevious(previousByProject.get(p.project_id)),
          report: report ? { ...report, photo_count: photoCounts.get(report.id) ?? 0 } : null,
        };
      }),
    };
  }

  /** Collects a Chinese message per failing row; throws them together so the transaction saves nothing. */
  private async eachRow<T>(repo: ReportRepository, actor: Actor, items: readonly T[], projectOf: (item: T) => number, fn: (item: T) => Promise<void>): Promise<void> {
    const errors: Array<{ row: number; project_id: number; project_name: string | null; code: string; message: string; field: string | null }> = [];
    for (const [index, item] of items.entries()) {
      try {
        await fn(item);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const projectId = projectOf(item);
        const project = await repo.findReportingProject(projectId, actor.scope);
        // The field a validation error names (stage_date, negative_reason…), so the form can mark that input.
        const field = Array.isArray(err.details) ? ((err.details[0] as { path?: unknown } | undefined)?.path ?? null) : null;
        errors.push({ row: index + 1, project_id: projectId, project_name: project?.name ?? null, code: err.code, message: err.message, field: typeof field === 'string' ? field : null });
      }
    }
    if (errors.length > 0) {
      const lines = errors.slice(0, 3).map((e) => `第${e.row}行${e.project_name ? `（${e.project_name}）` : ''}：${e.message}`);
      throw new AppError('unprocessable', `共有 ${errors.length} 行有误，本次未保存任何数据。${lines.join('；')}${errors.length > 3 ? '……' : ''}`, { rows: errors });
    }
  }

  /** Saves (and with `submit`, submits) a unit's rows in one transaction: every row or none. */
  async saveBatch(actor: Actor, year: number, month: number, input: BatchSave) {
    const seen = new Set<number>();
    const duplicate = input.rows.findIndex((r) => (seen.has(r.project_id) ? true : (seen.add(r.project_id), false)));
    if (duplicate >= 0) throw new AppError('validation_failed', `第${duplicate + 1}行的项目在本次提交中重复出现`, [{ path: `rows.${duplicate}.project_id` }]);
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repos(trx);
      const period = await this.writablePeriod(repo, year, month);
      const saved: Array<{ project_id: number; report_id: number }> = [];
      await this.eachRow(repo, actor, input.rows, (r) => r.project_id, async (row) => {
        const { project_id: projectId, ...fields } = row;
        const { id } = await this.write(repo, actor, projectId, period, fields);
        if (input.submit) {
          const report = await repo.findReport(projectId, year, month);
          if (report && canDo(report.status, 'submit')) {
            await this.doSubmit(repo, actor, report);
            await recordReport(this.deps, repo, actor, 'report.submit', report, report.id, { batch: true });
          }
        }
        saved.push({ project_id: projectId, report_id: id });
      });
      // The rollup is refreshed once per project, after every row is in; in id order, as each takes its project's lock.
      for (const projectId of saved.map((x) => x.project_id).sort((a, b) => a - b)) await refreshIndicatorRollup(repo, projectId, year);
      if (input.submit) await syncReportTodosOfProjects(this.deps, trx, { year, month }, saved.map((x) => x.project_id), actor.userId);
      const ids = new Set(saved.map((s) => s.report_id));
      const reports = (await repo.listPeriodReports(actor.scope, year, month, undefined)).filter((r) => ids.has(r.id));
      return { saved: saved.length, submitted: input.submit ? saved.length : 0, reports };
    });
  }

  /**
   * Submits every draft or returned report of the unit's reporting projects for the period: all or none, set-based
   * (ReportBulkService), with one summary audit event; afterwards the year's light snapshots are brought up to date
   * so the first read after it costs no more than any other.
   */
  async submitAll(actor: Actor, year: number, month: number, unit: number | undefined) {
    const bulk = new ReportBulkService(this.deps, { chunkRows: this.bulkChunkRows });
    const result = await bulk.submitAll(actor, year, month, unit, (trx, reportIds) => this.deps.audit.record(trx, actor, {
      action: 'report.submit_all', entityType: 'reporting_period', entityId: `${year}-${month}`,
      details: { year, month, unit: unit ?? null, submitted: reportIds.length, report_ids: summarizeIds(reportIds) },
    }));
    if (result.submitted > 0) {
      await inTransaction(this.deps.db, (trx) => syncReportTodos(this.deps, trx, { year, month }, { by: actor.userId }));
      await refreshLightsAfterBulkWrite(this.deps.db, { year, month });
    }
    const { report_ids: _ids, ...answer } = result;
    return answer;
  }


  // ── review and 催报 ────────────────────────────────────────────────────────────────────────────────────────

  /** Submitted reports waiting for review in the scope, each with what changed since the previous period. */
  async reviewQueue(actor: Actor, year: number, month: number, unit: number | undefined) {
    // The queue does not depend on the period's row: both read at once (on PostgreSQL a round trip less in turn).
    const [period, rows] = await Promise.all([this.repo.findPeriod(year, month), this.repo.listSubmitted(actor.scope, year, month, unit)]);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期`);
    // Last month's reports and photo counts of the queued reports only: the queue is short, the scope is not.
    const [previous, photoCounts, matters] = await Promise.all([
      this.repo.listPreviousReportsOf(rows.map((r) => r.project_id), year, month),
      this.repo.countPhotosOf(rows.map((r) => r.id)),
      this.repo.matterLinksOf(rows.filter((r) => r.problems?.trim()).map((r) => r.id)),
    ]);
    const previousByProject = new Map(previous.map((r) => [r.project_id, r]));
    return {
      period: presentPeriod(period),
      items: rows.map(({ project_name, unit_id, unit_name, project_stage, ...report }) => {
        const prev = previousByProject.get(report.project_id);
        return {
          report: { ...report, photo_count: photoCounts.get(report.id) ?? 0 },
          project: { id: report.project_id, name: project_name, unit_id, unit_name, stage: project_stage },
          previous: presentPrevious(prev),
          changes: changesSince(prev ?? null, report),
          is_late: !!period.deadline && !!report.first_submitted_at && isAfterDeadline(report.first_submitted_at, period.deadline),
          matter: matters.get(report.id) ?? null,
        };
      }),
    };
  }

  /**
   * The 催报 list: per unit, reporting projects without a submitted report for the period (overdue once the deadline
   * has passed) and reports first submitted after the deadline.
   */
  async missing(actor: Actor, year: number, month: number, unit: number | undefined) {
    const period = await this.repo.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期`);
    const pastDeadline = !!period.deadline && isAfterDeadline(this.deps.clock.now(), period.deadline);
    // Counts per unit come from the engine; only the rows the list shows are read: the missing, and the kept late
    // submitters (isAfterDeadline, the rule the kept rows follow, is applied again to what is read).
    const status = await this.repo.periodReportingStatus(actor.scope, year, month, unit, period.deadline ?? null);
    type UnitEntry = {
      unit_id: number; unit_name: string; expected: number; submitted: number;
      missing: Array<{ project_id: number; project_name: string; status: 'none' | 'draft' | 'returned'; is_overdue: boolean }>;
      late: Array<{ project_id: number; project_name: string; first_submitted_at: string }>;
    };
    const units = new Map<number, UnitEntry>(status.units.map((u) => [u.unit_id, { ...u, missing: [], late: [] }]));
    for (const p of status.missing) {
      units.get(p.unit_id)?.missing.push({ project_id: p.project_id, project_name: p.project_name, status: (p.status ?? 'none') as 'none' | 'draft' | 'returned', is_overdue: pastDeadline });
    }
    for (const p of status.late) {
      if (period.deadline && p.first_submitted_at && isAfterDeadline(p.first_submitted_at, period.deadline)) {
        units.get(p.unit_id)?.late.push({ project_id: p.project_id, project_name: p.project_name, first_submitted_at: p.first_submitted_at });
      }
    }
    return {
      period: { ...presentPeriod(period), is_past_deadline: pastDeadline },
      units: [...units.values()]
        .map((u) => ({ ...u, missing_count: u.missing.length, late_count: u.late.length }))
        .sort((a, b) => b.missing_count - a.missing_count || b.late_count - a.late_count || a.unit_id - b.unit_id),
    };
  }

  /**
   * One page of the 催报 list (what its page shows): the units that owe a report or reported late, in the list's
   * order, with exact counts and at most `perUnit` of their missing and late projects each, and how many units owe
   * something in all. Only the page's units are read, never every reporting project of the scope.
   */
  async missingPage(actor: Actor, year: number, month: number, unit: number | undefined, opts: { page: number; pageSize: number; perUnit?: number }) {
    const period = await this.repo.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期`);
    const pastDeadline = !!period.deadline && isAfterDeadline(this.deps.clock.now(), period.deadline);
    const status = await this.repo.periodReportingPage(actor.scope, year, month, unit, period.deadline ?? null, opts);
    const byUnit = <T extends { unit_id: number }>(rows: T[]) => {
      const of = new Map<number, T[]>();
      for (const r of rows) {
        const list = of.get(r.unit_id);
        if (list) list.push(r);
        else of.set(r.unit_id, [r]);
      }
      return of;
    };
    const missingOf = byUnit(status.missing);
    const lateOf = byUnit(status.late);
    return {
      period: { ...presentPeriod(period), is_past_deadline: pastDeadline },
      units: status.units.map((u) => ({
        unit_id: u.unit_id, unit_name: u.unit_name, expected: u.expected, submitted: u.submitted,
        missing: (missingOf.get(u.unit_id) ?? []).map((p) => ({ project_id: p.project_id, project_name: p.project_name, status: (p.status ?? 'none') as 'none' | 'draft' | 'returned', is_overdue: pastDeadline })),
        late: (lateOf.get(u.unit_id) ?? []).map((p) => ({ project_id: p.project_id, project_name: p.project_name, first_submitted_at: p.first_submitted_at })),
        missing_count: u.missing_count, late_count: u.late_count,
      })),
      total: status.total,
    };
  }
}
