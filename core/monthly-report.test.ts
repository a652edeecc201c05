import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildYearCalendar, canDo, changesSince, checkNegativeReason, chinaDate, deadlineOf, deriveAmounts, isAfterDeadline, periodLabel,
  rechain, stageMove, stageNeedsPhoto, statusAfter, ytdLabel, type ReportAction, type ReportStatus,
} from './monthly-report.ts';

describe('reporting calendar', () => {
  it('builds twelve monthly periods due on the 25th by default', () => {
    const periods = buildYearCalendar(2026, { mergeJanFeb: false, deadlineDay: 25, deadlineMonthOffset: 0 });
    expect(periods).toHaveLength(12);
    expect(periods[0]).toEqual({ month: 1, first_month: 1, deadline: '2026-01-25' });
    expect(periods[11]).toEqual({ month: 12, first_month: 12, deadline: '2026-12-25' });
  });

  it('merges January and February into one 1–2月 period (month 2, first month 1) as national statistics do', () => {
    const periods = buildYearCalendar(2026, { mergeJanFeb: true, deadlineDay: 25, deadlineMonthOffset: 0 });
    expect(periods).toHaveLength(11);
    expect(periods[0]).toEqual({ month: 2, first_month: 1, deadline: '2026-02-25' });
    expect(periodLabel(periods[0]!.first_month, periods[0]!.month)).toBe('1–2月');
    expect(periods[1]!.first_month).toBe(3);
  });

  it('clamps the deadline day to the month and can fall in the following month', () => {
    expect(deadlineOf(2026, 2, 31)).toBe('2026-02-28');
    expect(deadlineOf(2028, 2, 30)).toBe('2028-02-29');
    expect(deadlineOf(2026, 12, 5, 1)).toBe('2027-01-05');
    expect(deadlineOf(2026, 5, 5, 1)).toBe('2026-06-05');
  });

  it('labels periods and year-to-date cumulatives in Chinese', () => {
    expect(periodLabel(5, 5)).toBe('5月');
    expect(ytdLabel(5)).toBe('1–5月');
    expect(ytdLabel(1)).toBe('1月');
  });

  it('judges lateness by the whole deadline day in China time', () => {
    expect(chinaDate(new Date('2026-05-25T15:59:59Z'))).toBe('2026-05-25');
    expect(chinaDate(new Date('2026-05-25T16:00:00Z'))).toBe('2026-05-26');
    expect(isAfterDeadline('2026-05-25T15:59:59.000Z', '2026-05-25')).toBe(false);
    expect(isAfterDeadline('2026-05-25T16:00:00.000Z', '2026-05-25')).toBe(true);
  });
});

describe('month and 1–N月 amounts', () => {
  it('derives the cumulative from a monthly figure and the previous period', () => {
    expect(deriveAmounts({ amount_month: 2_000_000 }, 3_000_000)).toEqual({ ok: true, amount_month: 2_000_000, amount_ytd: 5_000_000 });
  });

  it('derives the monthly figure from a cumulative, negative when the cumulative fell', () => {
    expect(deriveAmounts({ amount_ytd: 5_000_000 }, 3_000_000)).toEqual({ ok: true, amount_month: 2_000_000, amount_ytd: 5_000_000 });
    expect(deriveAmounts({ amount_ytd: 2_500_000 }, 3_000_000)).toEqual({ ok: true, amount_month: -500_000, amount_ytd: 2_500_000 });
  });

  it('accepts both only when they agree', () => {
    expect(deriveAmounts({ amount_month: 1, amount_ytd: 11 }, 10).ok).toBe(true);
    const bad = deriveAmounts({ amount_month: 1, amount_ytd: 12 }, 10);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('不一致');
  });

  it('keeps the stored monthly figure when neither is entered, re-deriving the cumulative', () => {
    expect(deriveAmounts({}, 700, 300)).toEqual({ ok: true, amount_month: 300, amount_ytd: 1000 });
    expect(deriveAmounts({}, 0)).toEqual({ ok: true, amount_month: 0, amount_ytd: 0 });
  });

  it('always yields a pair that agrees with the previous period (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (prev, value, asYtd) => {
      const r = deriveAmounts(asYtd ? { amount_ytd: value } : { amount_month: value }, prev);
      return r.ok && r.amount_ytd === prev + r.amount_month;
    }));
  });

  it('needs a reason for a negative monthly figure', () => {
    expect(checkNegativeReason(-1, null)).toContain('核减原因');
    expect(checkNegativeReason(-1, '  ')).toContain('核减原因');
    expect(checkNegativeReason(-1, '统计核减')).toBeUndefined();
    expect(checkNegativeReason(0, null)).toBeUndefined();
  });

  it('rechains cumulatives in month order so 1–N月 is always the sum of the monthly figures (property)', () => {
    expect(rechain([{ month: 3, amount_month: 5 }, { month: 2, amount_month: 10 }], 100)).toEqual([
      { month: 2, amount_month: 10, amount_ytd: 10, amount_since_start: 110 },
      { month: 3, amount_month: 5, amount_ytd: 15, amount_since_start: 115 },
    ]);
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.integer({ min: -1e9, max: 1e10 }), { minLength: 12, maxLength: 12 }),
      fc.integer({ min: 0, max: 1e12 }),
      (months, amounts, before) => {
        const links = months.map((m, i) => ({ month: m, amount_month: amounts[i]! }));
        const chain = rechain(links, before);
        return chain.every((c) => {
          const sum = links.filter((l) => l.month <= c.month).reduce((s, l) => s + l.amount_month, 0);
          return c.amount_ytd === sum && c.amount_since_start === before + sum;
        });
      },
    ));
  });
});

describe('review workflow', () => {
  const table: Array<[string, ReportAction, boolean]> = [
    ['draft', 'edit', true], ['draft', 'submit', true], ['draft', 'approve', false], ['draft', 'return', false], ['draft', 'correct', false],
    ['submitted', 'edit', false], ['submitted', 'submit', false], ['submitted', 'approve', true], ['submitted', 'return', true], ['submitted', 'correct', false],
    ['approved', 'edit', false], ['approved', 'submit', false], ['approved', 'approve', false], ['approved', 'return', false], ['approved', 'correct', true],
    ['returned', 'edit', true], ['returned', 'submit', true], ['returned', 'approve', false], ['returned', 'return', false], ['returned', 'correct', false],
  ];
  it.each(table)('%s → %s allowed: %s', (status, action, allowed) => {
    expect(canDo(status as ReportStatus, action)).toBe(allowed);
  });

  it('moves draft → submitted → approved, returned → resubmitted, and routes corrections by who makes them', () => {
    expect(statusAfter('draft', 'submit', false)).toBe('submitted');
    expect(statusAfter('submitted', 'approve', true)).toBe('approved');
    expect(statusAfter('submitted', 'return', true)).toBe('returned');
    expect(statusAfter('returned', 'edit', false)).toBe('returned');
    expect(statusAfter('returned', 'submit', false)).toBe('submitted');
    expect(statusAfter('approved', 'correct', true)).toBe('approved');
    expect(statusAfter('approved', 'correct', false)).toBe('submitted');
  });
});

describe('stage moves through a report', () => {
  it('moves forward with the date field to fill, and needs photos for start and completion', () => {
    expect(stageMove('preliminary', 'started')).toEqual({ kind: 'forward', from: 'preliminary', to: 'started', dateField: 'actual_start_date' });
    expect(stageMove('started', 'completed')).toMatchObject({ kind: 'forward', dateField: 'actual_completion_date' });
    expect(stageMove('completed', 'producing')).toMatchObject({ kind: 'forward', dateField: 'actual_production_date' });
    expect(stageMove('preliminary', 'signed')).toMatchObject({ kind: 'forward', dateField: null });
    expect(stageNeedsPhoto('started')).toBe(true);
    expect(stageNeedsPhoto('completed')).toBe(true);
    expect(stageNeedsPhoto('producing')).toBe(false);
  });

  it('treats the same or no stage as no move; going back is behind; skipping, pausing and resuming are refused', () => {
    expect(stageMove('started', 'started')).toEqual({ kind: 'none' });
    expect(stageMove('started', null)).toEqual({ kind: 'none' });
    expect(stageMove('completed', 'started')).toMatchObject({ kind: 'behind', message: expect.stringContaining('不能回退') });
    expect(stageMove('preliminary', 'completed')).toMatchObject({ kind: 'refused', message: expect.stringContaining('只能变更为') });
    expect(stageMove('started', 'paused')).toMatchObject({ kind: 'refused', message: expect.stringContaining('无效') });
    expect(stageMove('paused', 'started')).toMatchObject({ kind: 'refused', message: expect.stringContaining('停工') });
  });
});

describe('what changed since last month', () => {
  const base = { amount_month: 100, stage: 'started', progress_text: '主体施工', workers: 50, problems: null, next_plan: '封顶', stats_entered: 1, stats_code: 'A1' };
  it('lists changed fields with Chinese labels, ignoring whitespace-only text changes', () => {
    const changes = changesSince(base, { ...base, amount_month: 80, workers: 60, progress_text: ' 主体施工 ', problems: '' });
    expect(changes).toEqual([
      { field: 'amount_month', label: '本月完成投资', from: 100, to: 80 },
      { field: 'workers', label: '在岗人数', from: 50, to: 60 },
    ]);
  });
  it('shows every filled field as new when there was no previous report', () => {
    expect(changesSince(null, base).map((c) => c.field)).toEqual(['amount_month', 'stage', 'progress_text', 'workers', 'next_plan', 'stats_entered', 'stats_code']);
  });
});
