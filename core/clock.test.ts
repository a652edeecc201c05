import { describe, expect, it } from 'vitest';
import { chinaDateTime, chinaMonth, chinaToday, chinaYear, clockFrom, parseClockStart, shiftedClock, systemClock, type Clock } from './clock.ts';

describe('the clock and China time', () => {
  it('turns an instant into China\'s calendar, across the UTC date line and the year end', () => {
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in China.
    const newYear = new Date('2026-12-31T16:30:00Z');
    expect([chinaToday(newYear), chinaYear(newYear), chinaMonth(newYear)]).toEqual(['2027-01-01', 2027, 1]);
    const before = new Date('2026-12-31T15:59:59Z');
    expect([chinaToday(before), chinaYear(before), chinaMonth(before)]).toEqual(['2026-12-31', 2026, 12]);
    expect(chinaDateTime(new Date('2026-12-06T17:14:00Z'))).toBe('2026-12-07 01:14');
  });

  it('reads a clock setting as a day at office hours or an exact instant, and refuses anything else', () => {
    expect(parseClockStart('2027-01-12').toISOString()).toBe('2027-01-12T01:00:00.000Z');
    expect(parseClockStart('2026-03-16T08:00:00+08:00').toISOString()).toBe('2026-03-16T00:00:00.000Z');
    for (const bad of ['2026-02-30', '2026-13-01', 'tomorrow', '20260316', '']) expect(() => parseClockStart(bad)).toThrow(/invalid clock setting/);
  });

  it('a shifted clock starts at the chosen instant and runs on at real speed', () => {
    let real = Date.parse('2026-12-06T12:00:00Z');
    const base: Clock = { now: () => new Date(real) };
    const shifted = shiftedClock(new Date('2027-01-12T01:00:00Z'), base);
    expect(shifted.now().toISOString()).toBe('2027-01-12T01:00:00.000Z');
    real += 90_000;
    expect(shifted.now().toISOString()).toBe('2027-01-12T01:01:30.000Z');
    expect(clockFrom(undefined)).toBe(systemClock);
    expect(chinaToday(clockFrom('2026-03-16').now())).toBe('2026-03-16');
  });
});
