import type { Transaction } from 'kysely';
import { canDo, chinaDate, refusalOf, stageMove, stageNeedsPhoto, type ReportStatus } from '../../../core/monthly-report.ts';
import { STAGE_LABELS } from '../../../core/stages.ts';
import type { Actor } from '../../context.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { yieldToEventLoop, type ChunkHook } from '../../platform/yield.ts';
import { roleHas } from '../../plugins/permissions.ts';
import { GroupDeltas, IndicatorService } from '../indicators/index.ts';
import { deriveReportFields } from './monthly-report.service.ts';
import { ReportBulkRepository, type BulkReportRow } from './report-bulk.repository.ts';
import { ReportRepository } from './report.repository.ts';
import type { ReportFields } from './report.schema.ts';

/**
 * What a bulk write makes of its reports: drafts (the unit still submits them), submitted (counted, waiting for
 * review), or approved as the office's imported figures (counted, locked, moving the projects' stages). Every report
 * status of core's one list but 'returned', which only a reviewer's 退回 gives.
 */
export type BulkReportStatus = Exclude<ReportStatus, 'returned'>;

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
 * Rows per write transaction of a bulk write. SQLite has one writer and the server one connection, so every other
 * request (a sign-in, a read) waits for the transaction in progress: a chunk of this size holds it well under a
 * second, and the requests queued meanwhile run between chunks. A write of at most this many rows is one
 * transaction (all or nothing).
 */
export const BULK_CHUNK_ROWS = 1000;

/**
 * Runs a chunked write's chunks, then applies the group deltas of those committed to the indicator groups — also
 * when a chunk fails (a concurrent change), since the chunks before it are saved; the chunk's error is rethrown.
 */
async function withGroupDeltas(db: Deps['db'], deltas: GroupDeltas, chunks: () => Promise<void>): Promise<void> {
  try {
    await chunks();
  } catch (err) {
    await IndicatorService.refreshGroupsAfterChunks(db, deltas);
    throw err;
  }
  await IndicatorService.refreshGroupsAfterChunks(db, deltas);
}


/** What a bulk write records in its last transaction (the caller's one summary audit event). */
export type BulkFinish = (trx: Transaction<DB>) => Promise<void>;

/**
 * Bulk report writes at office scale (issue 23): a month's import of every project and submit-all for a city. The
 * rules are the per-report ones (core/monthly-report.ts, deriveReportFields) applied row by row in memory to inputs
 * read set-based, outside any transaction; the writes, the re-chaining of later months and the indicator rollup are
 * set-based statements over chunks of hundreds of rows, so the cost grows with the rows written. Up to
 * BULK_CHUNK_ROWS rows are one transaction; more are written in transactions of that many rows (other requests run
 * between them), and the group rollup and the caller's summary audit event commit in a last one.
 */
export class ReportBulkService {
  private readonly deps: Pick<Deps, 'db' | 'clock'>;
  private readonly chunkRows: number;
  private readonly onChunk: ChunkHook | undefined;
  /** `onChunk` is called at each chunk boundary (check batches, write chunks), after the yield: a test hook. */
  constructor(deps: Pick<Deps, 'db' | 'clock'>, options: { chunkRows?: number; onChunk?: ChunkHook } = {}) {
    this.deps = deps;
    this.chunkRows = Math.max(1, options.chunkRows ?? BULK_CHUNK_ROWS);
    this.onChunk = options.onChunk;
  }

  /** The period when reports of it may be written; 404 / 409 otherwise (same messages as one report's write). */
  private async writablePeriod(db: Executor, year: number, month: number) {
    const period = await new ReportRepository(db).findPeriod(year, month);
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
    const started = performance.now(); // a duration, not "now": the monotonic clock
    await this.writablePeriod(this.deps.db, year, month);
    const bulk = new ReportBulkRepository(this.deps.db);
    const errors: BulkReportError[] = [];
    const outcomes: BulkReportOutcome[] = [];
    const toWrite: BulkReportRow[] = [];
    const moves: { row: BulkReportRow; from: string; to: string; dateField: string | null | undefined }[] = [];
    const now = this.deps.clock.now().toISOString();
    const today = chinaDate(this.deps.clock.now());
    const seen = new Set<number>();
    // A chunk of rows at a time: its inputs read set-based, its rows checked, then a yield to the event loop (the
    // reads are synchronous on SQLite, and 100k rows' checks took seconds of one uninterrupted turn: issue 23).
    for (let start = 0; start < rows.length; start += this.chunkRows) {
      if (start > 0) {
        await yieldToEventLoop();
        await this.onChunk?.({ phase: 'check', done: start });
      }
      const batch = rows.slice(start, start + this.chunkRows);
      const ids = batch.map((r) => r.project_id);
      const [projects, existing, previous, plans] = await Promise.all([
        bulk.listReportingProjects(ids, actor.scope), bulk.listReports(ids, year, month),
        bulk.listPreviousCumulatives(ids, year, month), bulk.listPlanBases(ids, year),
      ]);
      const projectById = new Map(projects.map((p) => [p.id, p]));
      const existingByProject = new Map(existing.map((r) => [r.project_id, r]));
      const previousByProject = new Map(previous.map((r) => [r.project_id, r]));
      const planByProject = new Map(plans.map((p) => [p.project_id, p]));
      const photos = status === 'draft' ? new Map<number, number>() : await bulk.countPhotos(existing.map((r) => r.id));
      for (const [offset, input] of batch.entries()) {
        const index = start + offset;
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
        if (stored && !canDo(stored.status, 'edit')) {
          // An identical row for a report already past review is no error: nothing to do.
          if (COMPARED.every((k) => input.fields[k] === undefined || input.fields[k] === stored[k])) {
            outcomes[index] = { action: 'unchanged' };
            continue;
          }
          fail(refusalOf(stored.status, 'edit'));
          continue;
        }
        let fields;
        try {
          fields = deriveReportFields(project, stored, previousByProject.get(input.project_id), planByProject.get(input.project_id), input.fields, today);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const path = (err.details as { path?: string }[] | null)?.[0]?.path ?? null;
          fail(err.message, path);
          continue;
        }
        const changed = COMPARED.filter((k) => !stored || (fields as Record<string, unknown>)[k] !== stored[k]);
        const target: ReportStatus = STATUS_ORDER[status] > STATUS_ORDER[stored?.status ?? 'draft'] ? status : (stored?.status ?? 'draft');
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
        const submitting = target !== 'draft' && (!stored || STATUS_ORDER[stored.status] < STATUS_ORDER.submitted);
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
    }
    return { year, month, status, outcomes, errors, toWrite, moves, checkMs: Math.round(performance.now() - started) };
  }

  /**
   * The writing half: nothing when a row was refused. Upserts the checked rows (each only if its report is still at
   * the version read), re-chains the month and the later ones from the monthly figures (so a previous month changed
   * since the check cannot leave a stale 1–N月), moves approved rows' projects and refreshes the rollup; `finish`
   * (the caller's audit event) commits with the last transaction. Up to chunkRows rows are one transaction; a
   * larger write commits chunk by chunk, and a chunk refused for a concurrent change stops it with the rows
   * already saved named in the message (importing the file again writes only what is still missing).
   */
  async writeMonth(actor: Actor, checked: Awaited<ReturnType<ReportBulkService['checkMonth']>>, finish?: BulkFinish): Promise<number> {
    const { year, month, status, errors, toWrite, moves } = checked;
    if (errors.length) return 0;
    const moveOf = new Map(moves.map((m) => [m.row, m]));
    const writeChunk = async (trx: Transaction<DB>, part: BulkReportRow[], before: number) => {
      await this.writablePeriod(trx, year, month);
      const written = await new ReportBulkRepository(trx).upsertReports(part);
      if (written !== part.length) {
        throw new AppError('version_conflict', before
          ? `写入期间有 ${part.length - written} 份月报已被他人修改：已保存前 ${before} 行，其余未保存；请重新导入（已保存的行不会重复写入）`
          : `写入期间有 ${part.length - written} 份月报已被他人修改，本次未保存任何数据，请重新导入`);
      }
      const projectIds = part.map((r) => r.project_id);
      await new ReportBulkRepository(trx).rechainFrom(projectIds, year, month, this.deps.clock.now().toISOString());
      if (status === 'approved') {
        await this.applyToProjects(trx, actor, year, month, projectIds, part.flatMap((r) => moveOf.get(r) ?? []));
      }
      return { written, projectIds };
    };
    if (toWrite.length <= this.chunkRows) {
      return inTransaction(this.deps.db, async (trx) => {
        const { written, projectIds } = toWrite.length ? await writeChunk(trx, toWrite, 0) : { written: 0, projectIds: [] };
        await IndicatorService.refreshProjects(trx, projectIds, year);
        await finish?.(trx);
        return written;
      });
    }
    let written = 0;
    const deltas = new GroupDeltas();
    await withGroupDeltas(this.deps.db, deltas, async () => {
      for (let i = 0; i < toWrite.length; i += this.chunkRows) {
        const chunk = await inTransaction(this.deps.db, async (trx) => {
          const part = await writeChunk(trx, toWrite.slice(i, i + this.chunkRows), written);
          // Approved rows may move their projects (stage, statistics entry): then every fact is recomputed.
          return { ...part, deltas: await IndicatorService.refreshProjectsChunk(trx, part.projectIds, year, { projectsWritten: status === 'approved' }) };
        });
        // Merged once committed: a chunk rolled back changed no fact.
        deltas.merge(chunk.deltas);
        written += chunk.written;
        // Requests that arrived during the chunk take the connection before the next one (the mutex is FIFO).
        await yieldToEventLoop();
        await this.onChunk?.({ phase: 'write', done: written });
      }
    });
    if (finish) await inTransaction(this.deps.db, finish);
    return written;
  }

  /** Approved rows move their projects: stage (with its date and history) per moving row, statistics set-based. */
  private async applyToProjects(trx: Executor, actor: Actor, year: number, month: number, projectIds: number[], moves: { row: BulkReportRow; from: string; to: string; dateField: string | null | undefined }[]) {
    const today = chinaDate(this.deps.clock.now());
    const reports = new ReportRepository(trx);
    for (const m of moves) {
      await reports.insertStageHistory({
        project_id: m.row.project_id, from_stage: m.from, to_stage: m.to, event_date: m.row.stage_date ?? today,
        reason: `${periodTitle(year, month)}月报审核通过（批量导入）`, user_id: actor.userId,
      });
      await reports.updateProject(m.row.project_id, { stage: m.to, ...(m.dateField && m.row.stage_date ? { [m.dateField]: m.row.stage_date } : {}) }, actor.userId);
    }
    await new ReportBulkRepository(trx).applyStatsToProjects(projectIds, year, month, actor.userId, today, this.deps.clock.now().toISOString());
  }

  /**
   * Submits every draft or returned report of the period in the scope (optionally one unit subtree). The checks of
   * one submission (a stage move needs its date and photos) run over the pending rows read at once, before any
   * write: one refused row submits nothing. The status change is one UPDATE per 500 reports and the rollup is
   * refreshed set-based; beyond chunkRows reports each chunk is its own transaction (see writeMonth), and `finish`
   * (the summary audit event) commits with the last.
   */
  async submitAll(actor: Actor, year: number, month: number, unit: number | undefined, finish?: (trx: Transaction<DB>, reportIds: number[]) => Promise<void>) {
    await this.writablePeriod(this.deps.db, year, month);
    const bulk = new ReportBulkRepository(this.deps.db);
    const pending = await bulk.listPending(actor.scope, year, month, unit);
    const photos = await bulk.countPhotos(pending.filter((r) => {
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
    const submitChunk = async (trx: Transaction<DB>, part: typeof pending, before: number) => {
      await this.writablePeriod(trx, year, month);
      const changed = await new ReportBulkRepository(trx).submitReports(part.map((r) => r.id), actor.userId, this.deps.clock.now().toISOString());
      if (changed !== part.length) {
        throw new AppError('version_conflict', before
          ? `报送期间有月报已被他人修改：已报送 ${before} 份，其余未报送；请刷新后再次“全部报送”`
          : '报送期间有月报已被他人修改，本次未报送任何月报，请刷新后重试');
      }
      return [...new Set(part.map((r) => r.project_id))];
    };
    const ids = pending.map((r) => r.id);
    if (pending.length <= this.chunkRows) {
      await inTransaction(this.deps.db, async (trx) => {
        const projectIds = pending.length ? await submitChunk(trx, pending, 0) : [];
        await IndicatorService.refreshProjects(trx, projectIds, year);
        if (ids.length) await finish?.(trx, ids);
      });
    } else {
      const deltas = new GroupDeltas();
      await withGroupDeltas(this.deps.db, deltas, async () => {
        for (let i = 0; i < pending.length; i += this.chunkRows) {
          deltas.merge(await inTransaction(this.deps.db, async (trx) => {
            const projectIds = await submitChunk(trx, pending.slice(i, i + this.chunkRows), i);
            return IndicatorService.refreshProjectsChunk(trx, projectIds, year, { projectsWritten: false, onlySubmitted: true });
          }));
          await yieldToEventLoop();
          await this.onChunk?.({ phase: 'write', done: Math.min(i + this.chunkRows, pending.length) });
        }
      });
      if (finish) await inTransaction(this.deps.db, (trx) => finish(trx, ids));
    }
    const counts = await bulk.periodCounts(actor.scope, year, month, unit);
    return {
      submitted: ids.length, already_submitted: counts.alreadySubmitted - ids.length, missing: counts.missing,
      report_ids: ids,
    };
  }
}
