// The one place that knows what time it is and which day that is in China.
//
// Offices work in China Standard Time (UTC+8, no daylight saving): "today", "this month" and "this year" are
// China's, whatever the server's time zone. Code asks a Clock for the instant and these helpers for the calendar,
// so that a test or a demo can run the whole application at a chosen date (DOCKET_NOW).

/** Where "now" comes from. */
export interface Clock {
  now(): Date;
}

/** China Standard Time's offset from UTC. */
export const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` now and runs on at real speed from there (durations and timeouts keep working). */
export function shiftedClock(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset) };
}

/**
 * Parses a clock setting: 'YYYY-MM-DD' (that day at 09:00 China time, office hours) or a full ISO-8601 instant.
 * Throws on anything else, so a mistyped DOCKET_NOW stops the start instead of silently running at today.
 */
export function parseClockStart(text: string): Date {
  const t = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const at = day ? new Date(`${t}T09:00:00+08:00`) : new Date(t);
  if (Number.isNaN(at.getTime()) || (day && chinaToday(at) !== t) || (!day && !/^\d{4}-\d{2}-\d{2}T/.test(t))) {
    throw new Error(`invalid clock setting "${text}": expected YYYY-MM-DD or an ISO-8601 instant`);
  }
  return at;
}

/** The clock a process runs on: the system's, or shifted so that it starts at `setting` (see parseClockStart). */
export function clockFrom(setting: string | undefined): Clock {
  return setting ? shiftedClock(parseClockStart(setting)) : systemClock;
}

/** The calendar date in China ('YYYY-MM-DD') of an instant. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The calendar year in China of an instant. */
export function chinaYear(now: Date): number {
  return new Date(now.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
}

/** The calendar month (1–12) in China of an instant. */
export function chinaMonth(now: Date): number {
  return new Date(now.getTime() + CHINA_OFFSET_MS).getUTCMonth() + 1;
}

/** An instant printed as China time, 'YYYY-MM-DD HH:mm' (exports and notes say 北京时间 after it). */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
