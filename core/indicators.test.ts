import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  carryForwardYtd, checkTimeCurve, computeIndicators, describeGap, emptySums, formatPercent, fraction, periodEndExclusive, timeProgress,
} from './indicators.ts';

const YI = 100_000_000; // 1 亿 yuan

describe('indicators (domain.md worked example)', () => {
  it('45.54 亿 of a 100 亿 plan after May: 45.5%, 3.9 points above the 41.67% time progress (not 3.8)', () => {
    const sums = { ...emptySums(), planned_investment: 100 * YI, completed_ytd: 4_554_000_000 };
    const ind = computeIndicators(2026, 5, sums);
    expect(ind.completion_rate.text).toBe('45.5');
    expect(ind.time_progress.text).toBe('41.7');
    expect(ind.gap_points.text).toBe('3.9');
    expect(ind.completion_rate.value).toBeCloseTo(0.4554, 12);
    expect(ind.gap_points.value).toBeCloseTo(3.8733, 4);
    expect(describeGap(fraction(sums.completed_ytd, sums.planned_investment), timeProgress(5))).toBe('高于序时进度3.9个百分点');
    // Rounding first and subtracting after would have printed 3.8: the engine never does that.
    expect((45.5 - 41.7).toFixed(1)).toBe('3.8');
  });

  it('prints completion against the month-by-month plan up to month N (domain.md: 完成1–4月投资计划的132.1%)', () => {
    // Two projects plan 1–4月 5.3 亿 in all and completed 7.0 亿: 132.075…% → 132.1; a third has no monthly plan
    // and counts only in the whole-year rate.
    const sums = { ...emptySums(), planned_investment: 30 * YI, completed_ytd: 9 * YI, monthly_planned: 2, planned_to_date: 530_000_000, completed_ytd_monthly_planned: 7 * YI };
    const ind = computeIndicators(2026, 4, sums);
    expect(ind.plan_to_date_rate.text).toBe('132.1');
    expect(ind.plan_to_date_rate.value).toBeCloseTo(1.32075, 5);
    expect(ind.plan_to_date_rate.label).toBe('完成1–4月投资计划（2个有分月计划的项目）');
    expect(ind.completion_rate.text).toBe('30.0');
    expect(computeIndicators(2026, 4, emptySums()).plan_to_date_rate).toMatchObject({ value: null, text: '—' });
  });

  it('prints a gap below time progress with its sign and as 低于 in words', () => {
    const f = fraction(30 * YI, 100 * YI);
    expect(formatPercent({ num: f!.num * 12n - 5n * f!.den, den: f!.den * 12n })).toBe('-11.7');
    expect(describeGap(f, timeProgress(5))).toBe('低于序时进度11.7个百分点');
    expect(describeGap(fraction(5, 12), timeProgress(5))).toBe('与序时进度持平');
  });

  it('rounds half away from zero, exactly, where binary floating point would not', () => {
    expect(formatPercent(fraction(4555, 10_000))).toBe('45.6'); // 0.4555 * 100 = 45.55 in decimal
    expect(formatPercent(fraction(-4555, 10_000))).toBe('-45.6');
    expect(formatPercent(fraction(1, 3))).toBe('33.3');
    expect(formatPercent(fraction(2, 3))).toBe('66.7');
    expect(formatPercent(fraction(-1, 10_000))).toBe('0.0');
    expect(formatPercent(null)).toBe('—');
    // Amounts near 10^15 yuan times a 10^4 denominator exceed 2^53: still exact.
    expect(formatPercent(fraction(999_999_999_999_995n, 10n ** 16n))).toBe('10.0');
  });

  it('matches a decimal reference rounding on random fractions', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 1e12 }), (n, d) => {
      const text = formatPercent(fraction(n, d));
      // Reference: integer arithmetic on the thousandths, half away from zero.
      const t = (BigInt(Math.abs(n)) * 1000n * 2n + BigInt(d)) / (2n * BigInt(d));
      const ref = `${n < 0 && t !== 0n ? '-' : ''}${t / 10n}.${t % 10n}`;
      expect(text).toBe(ref);
    }), { numRuns: 200 });
  });

  it('time progress is N/12 by default and follows a custom cumulative curve', () => {
    expect(formatPercent(timeProgress(2))).toBe('16.7'); // 1–2月 merged is still two months of twelve
    expect(formatPercent(timeProgress(12))).toBe('100.0');
    const curve = [5, 10, 20, 30, 40, 50, 58, 66, 75, 83.33, 91.67, 100];
    expect(checkTimeCurve(curve)).toBeUndefined();
    expect(formatPercent(timeProgress(3, curve))).toBe('20.0');
    expect(computeIndicators(2026, 3, { ...emptySums(), planned_investment: 100, completed_ytd: 25 }, curve).gap_points.text).toBe('5.0');
    expect(checkTimeCurve([10, 5, ...Array(10).fill(100)])).toContain('不减');
    expect(checkTimeCurve([1, 2, 3])).toContain('12');
    expect(checkTimeCurve([...Array(11).fill(10), 90])).toContain('100');
    expect(() => timeProgress(13)).toThrow(RangeError);
  });

  it('labels both start-rate denominators and leaves a rate over nothing undefined', () => {
    const ind = computeIndicators(2026, 4, { ...emptySums(), planned_starts: 20, planned_starts_to_date: 8, started: 9, started_to_date: 6 });
    expect(ind.start_rate.whole_year).toMatchObject({ text: '45.0', numerator: 9, denominator: 20, label: '开工率（按全年计划新开工项目）' });
    expect(ind.start_rate.to_date).toMatchObject({ text: '75.0', numerator: 6, denominator: 8, label: '开工率（按1–4月计划新开工项目）' });
    expect(ind.completion_rate).toMatchObject({ value: null, text: '—' });
    expect(ind.gap_points).toEqual({ value: null, text: '—' });
    expect(ind.period_label).toBe('1–4月');
    expect(computeIndicators(2026, 1, emptySums()).period_label).toBe('1月');
  });

  it('carries the latest cumulative forward over months without a report', () => {
    expect(carryForwardYtd([{ month: 2, amount_ytd: 50 }, { month: 5, amount_ytd: 120 }, { month: 6, amount_ytd: 110 }]))
      .toEqual([0, 50, 50, 50, 120, 110, 110, 110, 110, 110, 110, 110]);
    expect(periodEndExclusive(2026, 12)).toBe('2027-01-01');
    expect(periodEndExclusive(2026, 5)).toBe('2026-06-01');
  });
});
