// Reporters' to-dos (issue 17: "a report due, a return to fix"), kept as rows of the platform to-do inbox like the
// matters' ones, so the inbox and the header count have one source. They are derived from the reports and re-derived
// whenever something may have changed them:
// - report due: one per unit and open period (a clerk with 30 projects wants one line "11月月报：12个项目待报送", not
//   30), due on the period's deadline as it falls on the working-day calendar; gone once every project of the unit
//   has a submitted report, or when the period closes;
// - return to fix: one per returned report, addressed to the project's unit, linking to that report; gone once it
//   is resubmitted (or the period closes).
// Re-derived in the transaction of the writes that change them (submit, return, batch submit, submit-all, opening or
// closing a period) and by the `reports.todos` job for every other path (imports, library changes), which rewrites a
// row only when its title, link or due date changed. The same passes keep the units' reminder deadlines
// (report-reminders.ts), so the reminders stop for a unit the moment it owes nothing.
import { periodLabel } from '../../../core/monthly-report.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/context.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { inTransaction } from '../../platform/tx.ts';
import { addTodo, completeTodos, listOpenTodos, type TodoInput } from '../../platform/todos/todos.ts';
import { createCalendarService } from '../calendar/index.ts';
import { ReportRepository, type PeriodRow } from './report.repository.ts';
import { syncReportReminders } from './report-reminders.ts';
import { effectiveDeadline } from './reporting-figures.ts';

/** The key prefix of every report to-do of a period. */
export function reportTodoPrefix(year: number, month: number): string {
  return `report:${year}-${month}:`;
}
const dueKey = (year: number, month: number, unitId: number) => `${reportTodoPrefix(year, month)}due:${unitId}`;
const returnKey = (year: number, month: number, reportId: number) => `${reportTodoPrefix(year, month)}return:${reportId}`;

/**
 * Brings a period's report to-dos up to date: for every unit (or only `unitIds`, the units a write touched), its
 * "report due" with the count still owed and each returned report's "return to fix"; finishes those no longer owed,
 * and all of the period's when it is not open. Runs in the caller's transaction.
 */
export async function syncReportTodos(deps: Deps, trx: Executor, period: { year: number; month: number }, opts: { unitIds?: readonly number[]; by?: number | null; stored?: PeriodRow } = {}): Promise<void> {
  const repo = new ReportRepository(trx);
  const now = deps.clock.now();
  const by = opts.by ?? null;
  const { year, month } = period;
  // `stored`: the period row as the caller read it in this transaction (a submit), not read again.
  const stored = opts.stored ?? await repo.findPeriod(year, month);
  if (!stored || stored.status !== 'open') {
    await completeTodos(trx, { keyPrefix: reportTodoPrefix(year, month) }, now, by);
    if (stored) await syncReportReminders(trx, { periodId: stored.id, dueOn: null, owing: new Map(), now });
    return;
  }
  const label = `${year}年${periodLabel(stored.first_month, stored.month)}`;
  const dueOn = stored.deadline ? effectiveDeadline(stored.deadline, await createCalendarService(deps).load(trx)) : null;
  const [counts, returned, open] = await Promise.all([
    repo.unitReportCounts(year, month, opts.unitIds),
    repo.listReturnedReports(year, month, opts.unitIds),
    listOpenTodos(trx, reportTodoPrefix(year, month), opts.unitIds),
  ]);
  await syncReportReminders(trx, { periodId: stored.id, dueOn, owing: new Map(counts.map((c) => [c.unit_id, c.expected - c.submitted])), unitIds: opts.unitIds, now });
  const wanted: TodoInput[] = [];
  for (const c of counts) {
    const owed = c.expected - c.submitted;
    if (owed <= 0) continue;
    wanted.push({
      key: dueKey(year, month, c.unit_id), to: { unitId: c.unit_id }, kind: 'report.due', title: `${label}月报：${owed}个项目待报送`,
      link: `/reports?year=${year}&month=${month}&view=todo`, dueOn, entityType: 'reporting_period', entityId: stored.id,
    });
  }
  for (const r of returned) {
    const reason = r.return_reason ? `：${r.return_reason.length > 40 ? `${r.return_reason.slice(0, 40)}…` : r.return_reason}` : '';
    wanted.push({
      key: returnKey(year, month, r.id), to: { unitId: r.unit_id }, kind: 'report.return', title: `退回修改：${r.project_name} ${label}月报${reason}`,
      link: `/reports?year=${year}&month=${month}&project=${r.project_id}`, dueOn, entityType: 'report', entityId: r.id,
    });
  }
  const openByKey = new Map(open.map((t) => [t.key, t]));
  for (const w of wanted) {
    const o = openByKey.get(w.key);
    const unitId = 'unitId' in w.to ? w.to.unitId : null;
    if (o && o.title === w.title && o.link === w.link && o.dueOn === (w.dueOn ?? null) && o.unitId === unitId) continue;
    await addTodo(trx, w, now);
  }
  const keep = new Set(wanted.map((w) => w.key));
  await completeTodos(trx, { keys: open.filter((t) => !keep.has(t.key)).map((t) => t.key) }, now, by);
}

/** Re-derives the report to-dos of the units of some projects, for one period (after a write of their reports). */
export async function syncReportTodosOfProjects(deps: Deps, trx: Executor, period: { year: number; month: number }, projectIds: readonly number[], by: number | null): Promise<void> {
  if (projectIds.length === 0) return;
  const unitIds = await new ReportRepository(trx).unitsOfProjects(projectIds);
  await syncReportTodos(deps, trx, period, { unitIds, by });
}

/** Re-derives the report to-dos of every open period (the job, the demo). */
export async function syncOpenPeriodTodos(deps: Deps): Promise<void> {
  for (const p of await new ReportRepository(deps.db).listOpenPeriods()) {
    await inTransaction(deps.db, (trx) => syncReportTodos(deps, trx, p));
  }
}

/**
 * The job that keeps report to-dos true whatever wrote the reports (an import, a project moved to another unit or
 * out of the reporting tier): every 10 minutes by default.
 */
export function reportTodosJob(deps: Deps, everySeconds = 600): JobSpec {
  return { name: 'reports.todos', everySeconds, run: () => syncOpenPeriodTodos(deps) };
}
