// Which reporting period a page opens at: the period in force (数据截至) and the period being reported (待填).

/** A reporting period as the calendar stores it. */
export interface CalendarEntry {
  year: number;
  month: number;
  status: string;
  deadline: string | null;
}

const key = (p: { year: number; month: number }) => p.year * 100 + p.month;

/** The calendar month before `today` (YYYY-MM-DD), as year and month. */
export function previousMonth(today: string): { year: number; month: number } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 };
}

/**
 * The period whose figures are in force on `today` (a China date): the latest period that is closed or whose
 * deadline has passed. Before its deadline the open month is still being reported, so its figures are partial and
 * the office reads the month before (on 2026-12-06 with 12月 due on 12-25: 11月). Undefined when no period qualifies.
 */
export function periodInForce<T extends CalendarEntry>(periods: readonly T[], today: string): T | undefined {
  let best: T | undefined;
  for (const p of periods) {
    const settled = p.status === 'closed' || (p.deadline !== null && p.deadline < today);
    if (settled && (!best || key(p) > key(best))) best = p;
  }
  return best;
}

/**
 * The period a reporter fills on `today`: the open period due soonest (the earliest open one still before its
 * deadline, else the latest open one); undefined when nothing is open.
 */
export function periodBeingReported<T extends CalendarEntry>(periods: readonly T[], today: string): T | undefined {
  const open = periods.filter((p) => p.status === 'open').sort((a, b) => key(a) - key(b));
  return open.find((p) => p.deadline === null || p.deadline >= today) ?? open.at(-1);
}
