// Supervision figures per unit and month (督办考核数据), consumed by the evaluation engine and bulletins. Pure: the
// rows come from the matters and feedback tables. Every rate is a fraction { num, den } (den 0: no rate), computed
// unrounded and rounded only when printed. Definitions (the lead unit answers for a matter; co-units do not count):
//
// - received: matters assigned to the unit in the month (assigned_on in the month).
// - feedback on time: den = the unit's feedback due dates met or missed in the month — entries dated in the month
//   that answered a due date, plus due dates that passed unanswered and escalated in the month (the 'missed'
//   escalation step, by its firing day); num = entries given on or before their due date. A late entry answering a
//   due date already counted as missed does not count a second time. missedFeedback: the missed due dates alone.
// - on-time completion (按期办结率): den = matters of the unit whose (current, i.e. after approved extensions) due
//   date falls in the month, not suspended; num = those whose approved close was applied for (closing_on) on or
//   before the due date.
// - overdue: matters of the unit open at the month's end (or today, for the current month) past their due date,
//   not suspended.
// - one-pass 销号 (一次性销号率): den = matters written off in the month; num = those whose close application was
//   never sent back (close_rejections = 0).
// - average days: calendar days from assignment to the approved close application, over matters closed (approved)
//   in the month: { sum, count }.

/** The columns of a matter the figures read. */
export interface MatterFigureRow {
  leadUnitId: number;
  status: string;
  assignedOn: string;
  dueOn: string;
  closingOn: string | null;
  closedOn: string | null;
  writtenOffOn: string | null;
  closeRejections: number;
}

/** A feedback entry the figures read. */
export interface FeedbackFigureRow {
  /** The matter it answered (to match a late entry with its missed due date). */
  entityId?: number;
  unitId: number | null;
  onDate: string;
  dueOn: string | null;
  onTime: boolean;
}

export interface Fraction {
  num: number;
  den: number;
}

/** One unit's figures for one month. */
export interface UnitMonthFigures {
  unitId: number;
  received: number;
  feedbackOnTime: Fraction;
  missedFeedback: number;
  onTimeCompletion: Fraction;
  overdue: number;
  onePassWriteOff: Fraction;
  days: { sum: number; count: number };
}

/** The value of a fraction, or null without a denominator (never rounded here). */
export function rate(f: Fraction): number | null {
  return f.den === 0 ? null : f.num / f.den;
}

const DAY = 86_400_000;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const OPEN = new Set(['pending_sign', 'in_progress', 'extension_requested', 'suspend_requested', 'closing', 'returned']);

/** A feedback due date that passed unanswered (its 'missed' escalation step fired on fireOn). */
export interface MissedFeedbackRow {
  unitId: number;
  fireOn: string;
  entityId?: number;
  /** The due date that was missed. */
  dueOn?: string;
}

/**
 * The figures of every unit that has anything in the month. `today` bounds the current month (overdue is judged
 * as of min(month end, today)); `missed` lists the lead units of feedback due dates escalated as missed in the month.
 */
export function unitMonthFigures(month: string, today: string, matters: readonly MatterFigureRow[], feedback: readonly FeedbackFigureRow[], missed: readonly MissedFeedbackRow[]): UnitMonthFigures[] {
  const first = `${month}-01`;
  const last = monthEnd(month);
  const asOf = today < last ? today : last;
  const inMonth = (d: string | null) => d !== null && d >= first && d <= last;
  const units = new Map<number, UnitMonthFigures>();
  const of = (unitId: number) => {
    let u = units.get(unitId);
    if (!u) {
      u = { unitId, received: 0, feedbackOnTime: { num: 0, den: 0 }, missedFeedback: 0, onTimeCompletion: { num: 0, den: 0 }, overdue: 0, onePassWriteOff: { num: 0, den: 0 }, days: { sum: 0, count: 0 } };
      units.set(unitId, u);
    }
    return u;
  };
  for (const m of matters) {
    if (inMonth(m.assignedOn)) of(m.leadUnitId).received++;
    if (inMonth(m.dueOn) && m.status !== 'suspended') {
      const u = of(m.leadUnitId);
      u.onTimeCompletion.den++;
      if (m.closedOn !== null && m.closingOn !== null && m.closingOn <= m.dueOn) u.onTimeCompletion.num++;
    }
    // Open at asOf: assigned by then and not closed (approved) by then.
    const openAtAsOf = m.assignedOn <= asOf && (m.closedOn === null || m.closedOn > asOf) && (OPEN.has(m.status) || m.closedOn !== null);
    if (openAtAsOf && m.status !== 'suspended' && m.dueOn < asOf) of(m.leadUnitId).overdue++;
    if (inMonth(m.writtenOffOn)) {
      const u = of(m.leadUnitId);
      u.onePassWriteOff.den++;
      if (m.closeRejections === 0) u.onePassWriteOff.num++;
    }
    if (inMonth(m.closedOn) && m.closingOn) {
      const u = of(m.leadUnitId);
      u.days.sum += daysBetween(m.assignedOn, m.closingOn);
      u.days.count++;
    }
  }
  const missedKeys = new Set(missed.filter((x) => x.entityId !== undefined && x.dueOn !== undefined).map((x) => `${x.entityId}|${x.dueOn}`));
  for (const f of feedback) {
    if (f.unitId === null || f.dueOn === null || !inMonth(f.onDate)) continue;
    if (!f.onTime && f.entityId !== undefined && missedKeys.has(`${f.entityId}|${f.dueOn}`)) continue; // counted as missed
    const u = of(f.unitId);
    u.feedbackOnTime.den++;
    if (f.onTime) u.feedbackOnTime.num++;
  }
  for (const x of missed) {
    if (!inMonth(x.fireOn)) continue;
    const u = of(x.unitId);
    u.missedFeedback++;
    u.feedbackOnTime.den++;
  }
  return [...units.values()].sort((a, b) => a.unitId - b.unitId);
}
