import { clock } from '../../clock.ts';
import { canDo, chinaDate, refusalOf, stageMove, stageNeedsPhoto, type ReportStatus } from '../../../core/monthly-report.ts';
import { STAGE_LABELS } from '../../../core/stages.ts';
import type { Actor } from '../../context.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { roleHas } from '../../plugins/permissions.ts';
import { IndicatorService } from '../indicators/indicator.service.ts';
import { deriveReportFields } from './monthly-report.service.ts';
import { ReportBulkRepository, type BulkReportRow } from './report-bulk.repository.ts';
import { ReportRepository } from './report.repository.ts';
import type { ReportFields } from './report.schema.ts';

/**
 * What a bulk write makes of its reports: drafts (the unit still submits them), submitted (counted, waiting for
 * review), or approved as the office's imported figures (counted, locked, moving the projects' stages).
 */
export type BulkReportStatus = 'draft' | 'submitted' | 'approved';
export const BULK_REPORT_STATUSES = ['draft', 'submitted', 'approved'] as const;

/** One row of a bulk write: the project and the fields as entered (absent = keep, null = clear). */
export interface BulkReportInput {
  project_id: number;
  fields: ReportFields;
}

/** What the bulk write did or would do with each row (by its index in the input). */
export interface BulkReportOutcome {
  action: 'create' | 'update' | 'unchanged';
  /** Fields whose value changes (update). */
  changed?: string[];
}

/** A refused row: its index in the input and a Chinese message (field when one is to blame). */
export interface BulkReportError {
  index: number;
  project_id: number;
  field: string | null;
  message: string;
}

const STATUS_ORDER: Record<ReportStatus, number> = { draft: 0, returned: 1, submitted: 2, approved: 3 };

const COMPARED = ['amount_month', 'amount_ytd', 'negative_reason', 'stage', 'stage_date', 'progress_text', 'workers', 'problems', 'next_plan',
  'stats_entered', 'stats_code', 'stats_reason'] as const;

function periodTitle(year: number, month: number): string {
  return `${year}年${month}月`;
}

/**
 * Bulk report writes at office scale (issue 23): a month's import of every project and submit-all for a city. The
 * rules are the per-report ones (core/monthly-report.ts, deriveReportFields) applied row by row in memory to inputs
 * read set-based; the writes, the re-chaining of later months and the indicator rollup are set-based statements
 * over chunks of hundreds of rows, so the cost grows with the rows written and the write lock is held only for
 * the writes. The caller owns the transaction and the audit event (one summary per bulk operation).
 */
export class ReportBulkService {
  private readonly trx: Executor;
  private readonly bulk: ReportBulkRepository;
  private readonly reports: ReportRepository;
  constructor(trx: Executor) {
    this.trx = trx;
    this.bulk = new ReportBulkRepository(trx);
    this.reports = new ReportRepository(trx);
  }

  /** The period when reports of it may be written; 404 / 409 otherwise (same messages as one report's write). */
  private async writablePeriod(year: number, month: number) {
    const period = await this.reports.findPeriod(year, month);
    if (!period) throw new AppError('not_found', `${year}年${month}月不是已建立的填报期（1–2月合并填报时为 2 月）`);
    if (period.status === 'closed') throw new AppError('conflict', `${periodTitle(year, month)}填报期已关闭，数据只读；如需修改请联系发改部门重新开放该填报期`, { period });
    if (period.status !== 'open') throw new AppError('conflict', `${periodTitle(year, month)}填报期尚未开放填报`, { period });
    return period;
  }

  /**
   * Checks every row against the stored reports, previous periods, plans and projects (read set-based), and — with
   * `write` and no refused row — writes them all as `status`: an upsert per 400 rows, later months re-chained,
   * approved rows' stage moves and statistics carried to their projects, the indicator rollup refreshed for the
   * projects written. Returns per-row outcomes and the refused rows (nothing is written when any is refused).
   */
  async saveMonth(actor: Actor, year: number, month: number, rows: readonly BulkReportInput[], status: BulkReportStatus, write: boolean) {
    const checked = await this.checkMonth(actor, year, month, rows, status);
    if (!write) return { ...checked, written: 0 };
    return { ...checked, written: await this.writeMonth(actor, checked) };
  }

  /**
   * The read-only half of saveMonth: per-row outcomes, refused rows and the rows to write. On SQLite a caller may
   * run it outside the write transaction (other requests then interleave on the connection) and writeMonth inside.
   */
  async checkMonth(actor: Actor, year: number, month: number, rows: readonly BulkReportInput[], status: BulkReportStatus) {
    if (status === 'approved' && !roleHas(actor.role, 'report.review')) {
      throw new AppError('forbidden', '只有审核人员（发改部门）可以将导入的数据直接作为已审核数据');
    }
    const started = Date.now();
    await this.writablePeriod(year, month);
    const ids = rows.map((r) => r.project_id);
    const [projects, existing, previous, plans] = await Promise.all([
      this.bulk.listReportingProjects(ids, actor.scope), this.bulk.listReports(ids, year, month),
      this.bulk.listPreviousCumulatives(ids, year, month), this.bulk.listPlanBases(ids, year),
    ]);
    const projectById = new Map(projects.map((p) => [p.id, p]));
    const existingByProject = new Map(existing.map((r) => [r.project_id, r]));
    const previousByProject = new Map(previous.map((r) => [r.project_id, r]));
    const planByProject = new Map(plans.map((p) => [p.project_id, p]));
    const photos = status === 'draft' ? new Map<number, number>() : await this.bulk.countPhotos(existing.map((r) => r.id));

    const errors: BulkReportError[] = [];
    const outcomes: BulkReportOutcome[] = [];
    const toWrite: BulkReportRow[] = [];
    const moves: { row: BulkReportRow; from: string; to: string; dateField: string | null | undefined }[] = [];
    const now = clock.now().toISOString();
    const seen = new Set<number>();
    for (const [index, input] of rows.entries()) {
      const fail = (message: string, field: string | null = null) => errors.push({ index, project_id: input.project_id, field, message });
      if (seen.has(input.project_id)) {
        fail('该项目在本次写入中重复出现');
        continue;
      }
      seen.add(input.project_id);
      const project = projectById.get(input.project_id);
      if (!project) {
        fail('项目不在实施库中、已删除或不在您的数据范围内');
        continue;
      }
      const stored = existingByProject.get(input.project_id);
      if (stored && !canDo(stored.status as ReportStatus, 'edit')) {
        // An identical row for a report already past review is no error: nothing to do.
        if (COMPARED.every((k) => input.fields[k] === undefined || input.fields[k] === stored[k])) {
          outcomes[index] = { action: 'unchanged' };
          continue;
        }
        fail(refusalOf(stored.status as ReportStatus, 'edit'));
        continue;
      }
      let fields;
      try {
        fields = deriveReportFields(project, stored, previousByProject.get(input.project_id), planByProject.get(input.project_id), input.fields);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const path = (err.details as { path?: string }[] | null)?.[0]?.path ?? null;
        fail(err.message, path);
        continue;
      }
      const changed = COMPARED.filter((k) => !stored || (fields as Record<string, unknown>)[k] !== stored[k]);
      const target: ReportStatus = STATUS_ORDER[status] > STATUS_ORDER[(stored?.status ?? 'draft') as ReportStatus] ? status : (stored?.status as ReportStatus ?? 'draft');
      if (stored && changed.length === 0 && target === stored.status) {
        outcomes[index] = { action: 'unchanged' };
        continue;
      }
      const move = stageMove(project.stage, fields.stage ?? null);
      if (target !== 'draft' && move.kind === 'forward') {
        if (move.dateField && !fields.stage_date) {
          fail(`建设阶段变更为“${STAGE_LABELS[move.to]}”时须填写${STAGE_LABELS[move.to]}日期`, 'stage_date');
          continue;
        }
        if (stageNeedsPhoto(move.to) && (!stored || !photos.get(stored.id))) {
          fail(`建设阶段变更为“${STAGE_LABELS[move.to]}”须上传至少一张现场照片，不能在导入中直接${status === 'approved' ? '审核' : '报送'}；请先以草稿导入，上传照片后报送`, 'stage');
          continue;
        }
      }
      const submitting = target !== 'draft' && (!stored || STATUS_ORDER[stored.status as ReportStatus] < STATUS_ORDER.submitted);
      const row: BulkReportRow = {
        project_id: input.project_id, year, month,
        amount_month: fields.amount_month ?? 0, amount_ytd: fields.amount_ytd ?? 0, amount_since_start: fields.amount_since_start ?? 0,
        negative_reason: fields.negative_reason ?? null, stage: fields.stage ?? null, stage_date: fields.stage_date ?? null,
        progress_text: fields.progress_text ?? null, workers: fields.workers ?? null, problems: fields.problems ?? null, next_plan: fields.next_plan ?? null,
        stats_entered: fields.stats_entered ?? null, stats_code: fields.stats_code ?? null, stats_reason: fields.stats_reason ?? null,
        status: target, return_reason: stored?.return_reason ?? null,
        submitted_at: submitting ? now : stored?.submitted_at ?? null, submitted_by: submitting ? actor.userId : stored?.submitted_by ?? null,
        first_submitted_at: stored?.first_submitted_at ?? (submitting ? now : null),
        reviewed_at: target === 'approved' ? now : stored?.reviewed_at ?? null, reviewed_by: target === 'approved' ? actor.userId : stored?.reviewed_by ?? null,
        revision: stored?.revision ?? 1, version: (stored?.version ?? 0) + 1, created_at: stored?.created_at ?? now, updated_at: now,
      };
      toWrite.push(row);
      if (target === 'approved' && move.kind === 'forward') moves.push({ row, from: project.stage, to: move.to, dateField: move.dateField });
      outcomes[index] = stored ? { action: 'update', changed: [...changed] } : { action: 'create' };
    }
    return { year, month, status, outcomes, errors, toWrite, moves, checkMs: Date.now() - started };
  }

  /**
   * The writing half: nothing when a row was refused. Upserts the checked rows (each only if its report is still at
   * the version read), re-chains the month and the later ones from the monthly figures (so a previous month changed
   * since the check cannot leave a stale 1–N月), moves approved rows' projects and refreshes the rollup.
   */
  async writeMonth(actor: Actor, checked: Awaited<ReturnType<ReportBulkService['checkMonth']>>): Promise<number> {
    const { year, month, status, errors, toWrite, moves } = checked;
    if (errors.length || !toWrite.length) return 0;
    await this.writablePeriod(year, month);
    const written = await this.bulk.upsertReports(toWrite);
    if (written !== toWrite.length) {
      throw new AppError('version_conflict', `写入期间有 ${toWrite.length - written} 份月报已被他人修改，本次未保存任何数据，请重新导入`);
    }
    const projectIds = toWrite.map((r) => r.project_id);
    await this.bulk.rechainFrom(projectIds, year, month);
    if (status === 'approved') await this.applyToProjects(actor, year, month, projectIds, moves);
    await IndicatorService.refreshProjects(this.trx, projectIds, year);
    return written;
  }

  /** Approved rows move their projects: stage (with its date and history) per moving row, statistics set-based. */
  private async applyToProjects(actor: Actor, year: number, month: number, projectIds: number[], moves: { row: BulkReportRow; from: string; to: string; dateField: string | null | undefined }[]) {
    const today = chinaDate(clock.now());
    for (const m of moves) {
      await this.reports.insertStageHistory({
        project_id: m.row.project_id, from_stage: m.from, to_stage: m.to, event_date: m.row.stage_date ?? today,
        reason: `${periodTitle(year, month)}月报审核通过（批量导入）`, user_id: actor.userId,
      });
      await this.reports.updateProject(m.row.project_id, { stage: m.to, ...(m.dateField && m.row.stage_date ? { [m.dateField]: m.row.stage_date } : {}) }, actor.userId);
    }
    await this.bulk.applyStatsToProjects(projectIds, year, month, actor.userId, today);
  }

  /**
   * Submits every draft or returned report of the period in the scope (optionally one unit subtree): all or none.
   * The checks of one submission (a stage move needs its date and photos) run over the pending rows read at once;
   * the status change is one UPDATE per 500 reports and the rollup is refreshed set-based.
   */
  async submitAll(actor: Actor, year: number, month: number, unit: number | undefined) {
    await this.writablePeriod(year, month);
    const pending = await this.bulk.listPending(actor.scope, year, month, unit);
    const photos = await this.bulk.countPhotos(pending.filter((r) => {
      const move = stageMove(r.project_stage, r.stage);
      return move.kind === 'forward' && stageNeedsPhoto(move.to);
    }).map((r) => r.id));
    const errors: { row: number; project_id: number; project_name: string; code: string; message: string }[] = [];
    for (const [index, r] of pending.entries()) {
      const move = stageMove(r.project_stage, r.stage);
      let message: string | undefined;
      if (move.kind === 'refused') message = move.message;
      else if (move.kind === 'forward' && move.dateField && !r.stage_date) message = `建设阶段变更为“${STAGE_LABELS[move.to]}”时须填写${STAGE_LABELS[move.to]}日期`;
      else if (move.kind === 'forward' && stageNeedsPhoto(move.to) && !photos.get(r.id)) message = `建设阶段变更为“${STAGE_LABELS[move.to]}”须上传至少一张现场照片（形象进度照片）`;
      if (message) errors.push({ row: index + 1, project_id: r.project_id, project_name: r.project_name, code: 'unprocessable', message });
    }
    if (errors.length) {
      const lines = errors.slice(0, 3).map((e) => `第${e.row}行（${e.project_name}）：${e.message}`);
      throw new AppError('unprocessable', `共有 ${errors.length} 行有误，本次未保存任何数据。${lines.join('；')}${errors.length > 3 ? '……' : ''}`, { rows: errors });
    }
    const ids = pending.map((r) => r.id);
    const changed = await this.bulk.submitReports(ids, actor.userId);
    if (changed !== ids.length) throw new AppError('version_conflict', '报送期间有月报已被他人修改，本次未报送任何月报，请刷新后重试');
    await IndicatorService.refreshProjects(this.trx, [...new Set(pending.map((r) => r.project_id))], year);
    const counts = await this.bulk.periodCounts(actor.scope, year, month, unit);
    return {
      submitted: ids.length, already_submitted: counts.alreadySubmitted - ids.length, missing: counts.missing,
      report_ids: ids,
    };
  }
}

