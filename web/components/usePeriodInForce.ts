import { useEffect, useState } from 'react';
import { reportApi } from '../api/endpoints.ts';
import type { CurrentPeriods } from '../api/types.ts';

// One request per page load: the answer changes at most once a day (a deadline passing, a period closing), and a
// period opened or closed by the office reloads it through refreshPeriodInForce().
let pending: Promise<CurrentPeriods | null> | undefined;

function load(): Promise<CurrentPeriods | null> {
  pending ??= reportApi.current().catch(() => null);
  return pending;
}

/** Forgets the cached answer (after the office opens or closes a period). */
export function refreshPeriodInForce(): void {
  pending = undefined;
}

/**
 * The server's choice of period (GET /reporting/current): `in_force` for figures (数据截至), `reporting` for the
 * period a unit fills. Undefined while loading; null when it could not be read (pages then fall back to last month).
 */
export function usePeriodInForce(): CurrentPeriods | null | undefined {
  const [value, setValue] = useState<CurrentPeriods | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void load().then((v) => {
      if (alive) setValue(v);
    });
    return () => {
      alive = false;
    };
  }, []);
  return value;
}

/**
 * Today in China ('YYYY-MM-DD') by the browser's clock: only the fallback when the server's answer could not be
 * read (or the role may not read it). Every default "this year / this month / today" comes from the server first.
 */
export function browserToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Today by the server's clock (GET /reporting/current), the browser's only when that failed; undefined while asked. */
export function useServerToday(): string | undefined {
  const current = usePeriodInForce();
  if (current === undefined) return undefined;
  return current?.today ?? browserToday();
}

/** The year and month pages open at: the period in force, else last month; undefined while the server is asked. */
export function useMonthInForce(): { year: number; month: number } | undefined {
  const current = usePeriodInForce();
  if (current === undefined) return undefined;
  if (current) return { year: current.in_force.year, month: current.in_force.month };
  const today = browserToday();
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 };
}
