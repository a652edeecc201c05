// The working-day calendar (工作日): weekends, public holidays (法定节假日) and the 调休 working weekends that pay
// for the long holidays. Deadlines counted "within N working days" (N个工作日内) use these functions.
//
// Holidays and 调休 days are data, not code: the State Council (国务院办公厅) publishes each next year's schedule
// in the autumn, and the office enters it on the 工作日历 page (server/modules/calendar). The schedules below are
// the defaults the migration seeds and the tests use.

/** What a listed day is: a day off on a weekday (holiday), or a weekend day that is worked (调休 workday). */
export type CalendarDayKind = 'holiday' | 'workday';

/** One listed day of the calendar. */
export interface CalendarDay {
  /** 'YYYY-MM-DD' */
  day: string;
  kind: CalendarDayKind;
  /** The holiday it belongs to ('春节', '国庆节、中秋节'). */
  name: string;
}

/** A working-day calendar: the listed exceptions to "Monday to Friday". Build one with calendarOf(). */
export interface WorkCalendar {
  /** Days off that would otherwise be worked or that fall in a holiday (weekends inside a holiday too). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are worked (调休上班). */
  workdays: ReadonlySet<string>;
  /** Years whose official schedule is listed; outside them only weekends count as days off. */
  years: ReadonlySet<number>;
}

/** Builds a calendar from listed days. A year counts as known when it lists at least one day. */
export function calendarOf(days: readonly CalendarDay[]): WorkCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const years = new Set<number>();
  for (const d of days) {
    (d.kind === 'holiday' ? holidays : workdays).add(d.day);
    years.add(Number(d.day.slice(0, 4)));
  }
  return { holidays, workdays, years };
}

const DAY_MS = 86_400_000;

function toUtc(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid date "${day}": expected YYYY-MM-DD`);
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) throw new Error(`invalid date "${day}"`);
  return t;
}

function fromUtc(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** The day `n` calendar days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** True when the date is a weekday (Mon–Fri) by the Gregorian calendar alone. */
export function isWeekday(day: string): boolean {
  const wd = new Date(toUtc(day)).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** True when the day is worked: a listed 调休 workday, or a weekday that is not a listed holiday. */
export function isWorkingDay(day: string, cal: WorkCalendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  return isWeekday(day);
}

/**
 * The `n`-th working day after `day` ("N个工作日内" ends on it); before `day` when `n` is negative; `day` itself when
 * 0. `day` need not be a working day itself: a matter assigned on a Saturday and due in 1 working day is due Monday.
 */
export function addWorkingDays(day: string, n: number, cal: WorkCalendar): string {
  if (!Number.isInteger(n)) throw new Error(`working days must be a whole number, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let t = toUtc(day);
  for (let left = Math.abs(n); left > 0;) {
    t += step * DAY_MS;
    if (isWorkingDay(fromUtc(t), cal)) left--;
  }
  return fromUtc(t);
}

/**
 * The number of working days after `from` up to and including `to` (negative when `to` lies before `from`), so
 * that `addWorkingDays(from, workingDaysBetween(from, to))` is `to` whenever `to` is a working day. Used for
 * "overdue by N working days" and "N working days left".
 */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
  const a = toUtc(from);
  const b = toUtc(to);
  if (b < a) return 0 - workingDaysBetween(to, from, cal) || 0;
  let count = 0;
  for (let t = a + DAY_MS; t <= b; t += DAY_MS) if (isWorkingDay(fromUtc(t), cal)) count++;
  return count;
}

function range(name: string, first: string, last: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) days.push({ day: d, kind: 'holiday', name });
  return days;
}

function worked(name: string, ...days: string[]): CalendarDay[] {
  return days.map((day) => ({ day, kind: 'workday' as const, name }));
}

/**
 * 2025, from 国务院办公厅关于2025年部分节假日安排的通知 (published November 2024, the first year with the two extra
 * statutory days: 除夕 and 5月2日).
 */
export const CHINA_2025: readonly CalendarDay[] = [
  ...range('元旦', '2025-01-01', '2025-01-01'),
  ...range('春节', '2025-01-28', '2025-02-04'), ...worked('春节', '2025-01-26', '2025-02-08'),
  ...range('清明节', '2025-04-04', '2025-04-06'),
  ...range('劳动节', '2025-05-01', '2025-05-05'), ...worked('劳动节', '2025-04-27'),
  ...range('端午节', '2025-05-31', '2025-06-02'),
  ...range('国庆节、中秋节', '2025-10-01', '2025-10-08'), ...worked('国庆节、中秋节', '2025-09-28', '2025-10-11'),
];

/**
 * 2026, from 国务院办公厅关于2026年部分节假日安排的通知 (dated 2025-11-04, published by 新华社 the same day): every
 * range and 调休 working day was checked against the notice's text. 2027 is not in this release: the office enters it
 * on the 工作日历 page when the State Council publishes it.
 */
export const CHINA_2026: readonly CalendarDay[] = [
  ...range('元旦', '2026-01-01', '2026-01-03'), ...worked('元旦', '2026-01-04'),
  ...range('春节', '2026-02-15', '2026-02-23'), ...worked('春节', '2026-02-14', '2026-02-28'),
  ...range('清明节', '2026-04-04', '2026-04-06'),
  ...range('劳动节', '2026-05-01', '2026-05-05'), ...worked('劳动节', '2026-05-09'),
  ...range('端午节', '2026-06-19', '2026-06-21'),
  ...range('中秋节', '2026-09-25', '2026-09-27'),
  ...range('国庆节', '2026-10-01', '2026-10-07'), ...worked('国庆节', '2026-09-20', '2026-10-10'),
];

/** The schedules shipped as the default (the migration seeds them). */
export const DEFAULT_CALENDAR_DAYS: readonly CalendarDay[] = [...CHINA_2025, ...CHINA_2026];

/**
 * Checks a year's listed days as the office enters them: dates valid and in that year, no day twice, a holiday on a
 * weekday or inside a range, a 调休 workday only on a weekend. Returns Chinese messages (empty when valid).
 */
export function checkCalendarYear(year: number, days: readonly CalendarDay[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const [i, d] of days.entries()) {
    const where = `第 ${i + 1} 行（${d.day}）`;
    try {
      toUtc(d.day);
    } catch {
      errors.push(`${where}：日期无效，应为 YYYY-MM-DD`);
      continue;
    }
    if (Number(d.day.slice(0, 4)) !== year) errors.push(`${where}：不属于 ${year} 年`);
    if (seen.has(d.day)) errors.push(`${where}：日期重复`);
    seen.add(d.day);
    if (d.kind === 'workday' && isWeekday(d.day)) errors.push(`${where}：调休上班日应为周六或周日，该日本来就是工作日`);
    if (!d.name.trim()) errors.push(`${where}：请填写节日名称`);
  }
  return errors;
}
