import { describe, expect, it } from 'vitest';
import { calendarOf, DEFAULT_CALENDAR_DAYS } from './calendar.ts';
import { checkLadder, deadlineStanding, DEFAULT_LADDER, dueAfter, resumeDue, stepDay, stepsDue } from './deadlines.ts';

const cal = calendarOf(DEFAULT_CALENDAR_DAYS);

describe('deadlines in working days', () => {
  it('counts across 国庆 2025 (调休 Sunday 9-28 and Saturday 10-11 worked, 10-1…10-8 off)', () => {
    expect(dueAfter('2025-09-26', 5, cal)).toBe('2025-10-10');
    expect(stepDay('2025-10-10', DEFAULT_LADDER[0]!, cal)).toBe('2025-09-30'); // T−2 skips the holiday
    expect(stepDay('2025-10-10', DEFAULT_LADDER[1]!, cal)).toBe('2025-10-11'); // overdue on the 调休 Saturday
    expect(stepDay('2025-10-10', DEFAULT_LADDER[2]!, cal)).toBe('2025-10-17');
  });

  it('counts across 中秋 and 国庆 2026', () => {
    expect(dueAfter('2026-09-24', 5, cal)).toBe('2026-10-09');
    expect(stepsDue('2026-10-09', DEFAULT_LADDER, '2026-09-30', cal).map((s) => s.key)).toEqual(['remind']);
    expect(stepsDue('2026-10-09', DEFAULT_LADDER, '2026-09-29', cal)).toEqual([]);
  });

  it('a pause moves the due date by the working days it covered, not calendar days', () => {
    // Paused on Wednesday 9-30, resumed Monday 10-12: worked days in between are 10-8, 10-9, 10-10 (调休) and 10-12.
    expect(resumeDue('2026-10-09', '2026-09-30', '2026-10-12', cal)).toEqual({ dueOn: '2026-10-14', pausedDays: 4 });
    expect(resumeDue('2026-10-09', '2026-09-30', '2026-09-30', cal)).toEqual({ dueOn: '2026-10-09', pausedDays: 0 });
  });

  it('tells days left and days overdue in working days', () => {
    expect(deadlineStanding('2025-10-10', '2025-09-30', cal)).toEqual({ overdue: false, workingDays: 2 });
    expect(deadlineStanding('2025-10-10', '2025-10-13', cal)).toEqual({ overdue: true, workingDays: 2 });
  });

  it('refuses a ladder out of order, with duplicate keys or offsets out of range', () => {
    expect(checkLadder(DEFAULT_LADDER)).toEqual([]);
    expect(checkLadder([{ key: 'a', offset: 2, label: '' }, { key: 'a', offset: 1, label: '' }])).toEqual(['第 2 级：代码 a 重复', '第 2 级：应按时间先后排列']);
    expect(checkLadder([{ key: 'x', offset: -31, label: '' }])).toHaveLength(1);
  });
});
