import { describe, expect, it } from 'vitest';
import { periodBeingReported, periodInForce, previousMonth } from './period-in-force.ts';

const cal = (year: number, statuses: Record<number, string>) =>
  Array.from({ length: 12 }, (_, i) => ({ year, month: i + 1, status: statuses[i + 1] ?? 'pending', deadline: `${year}-${String(i + 1).padStart(2, '0')}-25` }));

describe('the period in force', () => {
  it('is the latest month whose deadline has passed: 11月 on 2026-12-06 while 12月 is open', () => {
    const periods = cal(2026, { 10: 'closed', 11: 'open', 12: 'open' });
    expect(periodInForce(periods, '2026-12-06')).toMatchObject({ year: 2026, month: 11 });
    expect(periodBeingReported(periods, '2026-12-06')).toMatchObject({ year: 2026, month: 12 });
  });

  it('moves to the open month once it is closed, even before its deadline', () => {
    const periods = cal(2026, { 11: 'closed', 12: 'closed' });
    expect(periodInForce(periods, '2026-12-06')).toMatchObject({ month: 12 });
    expect(periodBeingReported(periods, '2026-12-06')).toBeUndefined();
  });

  it('moves on the day after the deadline, and reads last year in January', () => {
    const periods = cal(2026, { 12: 'open' });
    expect(periodInForce(periods, '2026-12-25')).toMatchObject({ month: 11 });
    expect(periodInForce(periods, '2026-12-26')).toMatchObject({ month: 12 });
    expect(periodInForce([...periods, ...cal(2027, { 1: 'open' })], '2027-01-10')).toMatchObject({ year: 2026, month: 12 });
    expect(periodInForce([], '2027-01-10')).toBeUndefined();
    expect(previousMonth('2027-01-10')).toEqual({ year: 2026, month: 12 });
    expect(previousMonth('2026-12-06')).toEqual({ year: 2026, month: 11 });
  });
});
