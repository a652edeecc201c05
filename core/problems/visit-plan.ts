// The visit plan of a cadre–enterprise link (走访计划): at least one visit every N months. The next visit is due N
// months after the last one (or after the day the link began, before any visit); a link past that day is overdue.

/** The day `months` calendar months after `day`, clamped to the month's last day (01-31 + 1 month → 02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface VisitPlanState {
  /** The day the next visit is due by; null without a plan. */
  next_due: string | null;
  overdue: boolean;
  /** Calendar days past the due day (0 when not overdue). */
  days_overdue: number;
}

/** Where a link stands against its plan on `today`. */
export function visitPlanState(link: { visit_every_months: number | null; linked_on: string; unlinked_on?: string | null }, lastVisit: string | null, today: string): VisitPlanState {
  if (!link.visit_every_months || link.unlinked_on) return { next_due: null, overdue: false, days_overdue: 0 };
  const next = addMonths(lastVisit ?? link.linked_on, link.visit_every_months);
  const overdue = today > next;
  const days = overdue ? Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${next}T00:00:00Z`)) / 86_400_000) : 0;
  return { next_due: next, overdue, days_overdue: days };
}
