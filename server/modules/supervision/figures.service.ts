import { chinaToday } from '../../../core/clock.ts';
import { monthEnd, rate, unitMonthFigures, type UnitMonthFigures } from '../../../core/supervision/figures.ts';
import type { Executor } from '../../db/database.ts';
import { standing, loadWorkCalendar, listOverdue } from '../../platform/deadlines/deadlines.ts';

/** One unit's figures with its name and the rates as numbers (unrounded; null without a denominator). */
export interface UnitFigures extends UnitMonthFigures {
  unitName: string;
  rates: { feedbackOnTime: number | null; onTimeCompletion: number | null; onePassWriteOff: number | null; averageDays: number | null };
}

/**
 * Supervision figures per unit for a month 'YYYY-MM' (definitions and denominators: core/supervision/figures.ts).
 * The evaluation engine and bulletins call this through the module's index.ts.
 */
export async function supervisionFigures(db: Executor, month: string, now: Date): Promise<UnitFigures[]> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`month must be YYYY-MM, got ${month}`);
  const first = `${month}-01`;
  const last = monthEnd(month);
  // Only matters that can count in the month: assigned by its end and not finished before it began.
  const matters = await db.selectFrom('matters')
    .select(['lead_unit_id', 'status', 'assigned_on', 'due_on', 'closing_on', 'closed_on', 'written_off_on', 'close_rejections'])
    .where('assigned_on', '<=', last)
    .where((eb) => eb.or([eb('written_off_on', 'is', null), eb('written_off_on', '>=', first)]))
    .execute();
  const feedback = await db.selectFrom('feedback_entries').select(['entity_id', 'unit_id', 'on_date', 'due_on', 'on_time'])
    .where('entity_type', '=', 'matter').where('on_date', '>=', first).where('on_date', '<=', last).execute();
  // Missed due dates: those escalated in the month, and older ones a late entry of the month answered.
  const lateDue = feedback.filter((f) => Number(f.on_time) !== 1 && f.due_on !== null).map((f) => f.due_on!).sort()[0];
  const missed = await db.selectFrom('deadline_steps').innerJoin('deadlines', 'deadlines.id', 'deadline_steps.deadline_id')
    .select(['deadlines.unit_id', 'deadlines.entity_id', 'deadline_steps.fire_on', 'deadline_steps.due_on'])
    .where('deadlines.entity_type', '=', 'matter').where('deadlines.kind', '=', 'feedback').where('deadline_steps.step', '=', 'missed')
    .where((eb) => eb.or([
      eb.and([eb('deadline_steps.fire_on', '>=', first), eb('deadline_steps.fire_on', '<=', last)]),
      ...(lateDue ? [eb.and([eb('deadline_steps.due_on', '>=', lateDue), eb('deadline_steps.fire_on', '<', first)])] : []),
    ])).execute();
  const figures = unitMonthFigures(month, chinaToday(now),
    matters.map((m) => ({ leadUnitId: m.lead_unit_id, status: m.status, assignedOn: m.assigned_on, dueOn: m.due_on, closingOn: m.closing_on, closedOn: m.closed_on, writtenOffOn: m.written_off_on, closeRejections: Number(m.close_rejections) })),
    feedback.map((f) => ({ entityId: f.entity_id, unitId: f.unit_id, onDate: f.on_date, dueOn: f.due_on, onTime: Number(f.on_time) === 1 })),
    missed.filter((x) => x.unit_id !== null).map((x) => ({ unitId: x.unit_id!, fireOn: x.fire_on, entityId: x.entity_id, dueOn: x.due_on })));
  const ids = figures.map((f) => f.unitId);
  const names = new Map((ids.length ? await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute() : []).map((u) => [u.id, u.name]));
  return figures.map((f) => ({
    ...f, unitName: names.get(f.unitId) ?? String(f.unitId),
    rates: { feedbackOnTime: rate(f.feedbackOnTime), onTimeCompletion: rate(f.onTimeCompletion), onePassWriteOff: rate(f.onePassWriteOff), averageDays: f.days.count ? f.days.sum / f.days.count : null },
  }));
}

/** The overdue matters today (not suspended), most overdue first: number, title, lead unit, due date, working days overdue. */
export async function overdueMatters(db: Executor, now: Date): Promise<{ id: number; number: string; title: string; unitName: string; dueOn: string; workingDaysOverdue: number; status: string }[]> {
  const today = chinaToday(now);
  const cal = await loadWorkCalendar(db);
  const deadlines = await listOverdue(db, today, 'matter');
  const complete = deadlines.filter((d) => d.kind === 'complete');
  if (complete.length === 0) return [];
  const rows = await db.selectFrom('matters').innerJoin('units', 'units.id', 'matters.lead_unit_id')
    .select(['matters.id', 'matters.number', 'matters.title', 'matters.status', 'units.name as unit_name'])
    .where('matters.id', 'in', complete.map((d) => d.entityId)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return complete.flatMap((d) => {
    const m = byId.get(d.entityId);
    return m ? [{ id: m.id, number: m.number, title: m.title, unitName: m.unit_name, dueOn: d.dueOn, workingDaysOverdue: standing(d, today, cal).workingDays, status: m.status }] : [];
  }).sort((a, b) => b.workingDaysOverdue - a.workingDaysOverdue || a.id - b.id);
}
