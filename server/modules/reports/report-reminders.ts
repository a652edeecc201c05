// Reminders of a period's report deadline (issue 17: "reminders before and at each deadline"), in the 消息提醒 tab
// as the matters' are. Each unit that still owes reports for an open period has a platform deadline
// ('reporting_period', period id, 'due:<unit>') at the period's deadline as it falls on the working-day calendar,
// with a three-step ladder: k working days before (the reporting setting remind_working_days), on the day, and the
// working day after (overdue). The platform's `deadlines.escalate` job takes each step once across servers (a
// deadline_steps row per step and due date, claimed in the step's transaction); the handler below checks again
// that the unit still owes before it notifies. The deadlines are kept by syncReportTodos, in the transaction of
// the writes that change what a unit owes: a unit that submits everything has its deadline closed, so no later
// step fires for it.
import { periodLabel } from '../../../core/monthly-report.ts';
import type { EscalationStep } from '../../../core/deadlines.ts';
import { chinaToday } from '../../../core/clock.ts';
import type { Executor } from '../../db/database.ts';
import { closeDeadline, listDeadlines, onDeadlineStep, scheduleDeadline, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { ReportRepository } from './report.repository.ts';
import { REPORTING_SETTINGS } from './reporting.settings.ts';

/** The deadlines' entity type: one deadline per open period and unit that owes reports. */
export const REPORT_DEADLINE_ENTITY = 'reporting_period';
const kindOf = (unitId: number) => `due:${unitId}`;
const unitOfKind = (kind: string) => (kind.startsWith('due:') ? Number(kind.slice(4)) : NaN);

/** The reminder ladder: k working days before (left out when k is 0), on the day, and overdue the next working day. */
export function reportReminderLadder(remindWorkingDays: number): EscalationStep[] {
  return [
    ...(remindWorkingDays > 0 ? [{ key: 'remind', offset: -remindWorkingDays, label: `截止前${remindWorkingDays}个工作日提醒` }] : []),
    { key: 'due', offset: 0, label: '今日截止提醒' },
    { key: 'overdue', offset: 1, label: '逾期提醒' },
  ];
}

/**
 * Brings a period's reminder deadlines in line with what each unit owes (in the caller's transaction): a unit that
 * owes gets (or keeps) a deadline at `dueOn` with the current ladder; one that owes nothing, or every unit when the
 * period is not open or has no deadline (`dueOn` null), has its deadline closed. With `unitIds` only those units'
 * are touched. A deadline already right is left alone, so the steps it took stay taken.
 */
export async function syncReportReminders(trx: Executor, input: {
  periodId: number; dueOn: string | null; owing: ReadonlyMap<number, number>; unitIds?: readonly number[]; now: Date;
}): Promise<void> {
  const { periodId, dueOn, owing, now } = input;
  const today = chinaToday(now);
  const inReach = (unitId: number) => !input.unitIds || input.unitIds.includes(unitId);
  const existing = (await listDeadlines(trx, REPORT_DEADLINE_ENTITY, periodId)).filter((d) => inReach(unitOfKind(d.kind)));
  const byUnit = new Map(existing.map((d) => [unitOfKind(d.kind), d]));
  const ladder = dueOn ? reportReminderLadder((await REPORTING_SETTINGS.get(trx)).remind_working_days ?? 2) : [];
  for (const [unitId, owed] of owing) {
    if (!dueOn || owed <= 0 || !inReach(unitId)) continue;
    const d = byUnit.get(unitId);
    if (d && d.status === 'open' && d.dueOn === dueOn && JSON.stringify(d.ladder) === JSON.stringify(ladder)) continue;
    await scheduleDeadline(trx, { entityType: REPORT_DEADLINE_ENTITY, entityId: periodId, kind: kindOf(unitId), startOn: d?.startOn ?? today, dueOn, unitId, ladder }, now);
  }
  for (const d of existing) {
    if (d.status !== 'open') continue;
    const owed = owing.get(unitOfKind(d.kind)) ?? 0;
    if (dueOn && owed > 0) continue;
    await closeDeadline(trx, d, dueOn ? 'done' : 'cancelled', today, now);
  }
}

/**
 * What a step of a unit's report deadline does: one in-app notification to the unit's accounts, saying how many
 * reports it still owes, unless by now it owes none or the period closed (then the deadline closes and nothing is
 * sent).
 */
export async function onReportDeadlineStep(trx: Executor, ctx: StepContext): Promise<void> {
  const unitId = unitOfKind(ctx.deadline.kind);
  const repo = new ReportRepository(trx);
  const period = await trx.selectFrom('reporting_periods').selectAll().where('id', '=', ctx.deadline.entityId).executeTakeFirst();
  const [counts] = Number.isFinite(unitId) && period ? await repo.unitReportCounts(period.year, period.month, [unitId]) : [];
  const owed = counts ? counts.expected - counts.submitted : 0;
  if (!period || period.status !== 'open' || owed <= 0) {
    await closeDeadline(trx, ctx.deadline, period?.status === 'open' ? 'done' : 'cancelled', ctx.today, ctx.now);
    return;
  }
  const label = `${period.year}年${periodLabel(period.first_month, period.month)}月报`;
  const due = `${Number(ctx.deadline.dueOn.slice(5, 7))}月${Number(ctx.deadline.dueOn.slice(8, 10))}日`;
  const title = ctx.step.key === 'overdue' ? `${label}已逾期（${due}截止）：${owed}个项目未报送`
    : ctx.step.key === 'due' ? `${label}今日（${due}）截止：${owed}个项目待报送`
      : `${label}将于${due}截止（还有${-ctx.step.offset}个工作日）：${owed}个项目待报送`;
  await emitEvent(trx, {
    name: 'report.reminded', entityType: REPORT_DEADLINE_ENTITY, entityId: period.id, actorId: null, at: ctx.now,
    payload: { unitId, step: ctx.step.key, dueOn: ctx.deadline.dueOn, owed },
    notify: { recipients: [{ unitId }], title, link: `/reports?year=${period.year}&month=${period.month}&view=todo` },
  });
}

/** Registers the reminder step handler (static wiring, the same in every process: app.ts and the demo call it). */
export function registerReportReminders(): void {
  onDeadlineStep(REPORT_DEADLINE_ENTITY, onReportDeadlineStep);
}
