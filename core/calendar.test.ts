import { describe, expect, it } from 'vitest';
import {
  addWorkingDays, calendarOf, checkCalendarYear, CHINA_2025, CHINA_2026, DEFAULT_CALENDAR_DAYS, isWorkingDay, workingDaysBetween,
} from './calendar.ts';

const cal = calendarOf(DEFAULT_CALENDAR_DAYS);
const weekendsOnly = calendarOf([]);

describe('the official 2025 and 2026 schedules', () => {
  it('are consistent: 调休 workdays on weekends, no day twice', () => {
    expect(checkCalendarYear(2025, CHINA_2025)).toEqual([]);
    expect(checkCalendarYear(2026, CHINA_2026)).toEqual([]);
  });

  it('give the published number of days off per holiday', () => {
    const count = (days: typeof CHINA_2025, name: string) => days.filter((d) => d.kind === 'holiday' && d.name === name).length;
    expect(count(CHINA_2025, '春节')).toBe(8);
    expect(count(CHINA_2025, '国庆节、中秋节')).toBe(8);
    expect(count(CHINA_2025, '劳动节')).toBe(5);
    expect(count(CHINA_2026, '春节')).toBe(9);
    expect(count(CHINA_2026, '国庆节')).toBe(7);
  });

  it('know 调休 weekends and holiday weekdays', () => {
    expect(isWorkingDay('2025-01-26', cal)).toBe(true); // Sunday, worked for 春节
    expect(isWorkingDay('2025-01-26', weekendsOnly)).toBe(false);
    expect(isWorkingDay('2025-01-28', cal)).toBe(false); // Tuesday, 除夕
    expect(isWorkingDay('2025-10-11', cal)).toBe(true); // Saturday after 国庆
    expect(isWorkingDay('2026-02-14', cal)).toBe(true);
    expect(isWorkingDay('2026-10-05', cal)).toBe(false);
    expect(isWorkingDay('2025-03-03', cal)).toBe(true); // an ordinary Monday
    expect(cal.years.has(2025) && cal.years.has(2026) && !cal.years.has(2027)).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('skips 春节 2025 and counts the 调休 Saturday 2/8', () => {
    // Fri 1/24 → Sun 1/26 (调休) is the 1st; Mon 1/27 the 2nd; 1/28–2/4 off; Wed 2/5 the 3rd … Sat 2/8 (调休) the 6th.
    expect(addWorkingDays('2025-01-24', 1, cal)).toBe('2025-01-26');
    expect(addWorkingDays('2025-01-24', 3, cal)).toBe('2025-02-05');
    expect(addWorkingDays('2025-01-24', 6, cal)).toBe('2025-02-08');
    expect(addWorkingDays('2025-01-24', 7, cal)).toBe('2025-02-10');
    // Without the schedule the same count lands three weeks earlier.
    expect(addWorkingDays('2025-01-24', 7, weekendsOnly)).toBe('2025-02-04');
  });

  it('skips 国庆+中秋 2025 with 9/28 and 10/11 worked', () => {
    expect(addWorkingDays('2025-09-26', 1, cal)).toBe('2025-09-28');
    expect(addWorkingDays('2025-09-26', 3, cal)).toBe('2025-09-30');
    expect(addWorkingDays('2025-09-26', 4, cal)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 6, cal)).toBe('2025-10-11');
    expect(addWorkingDays('2025-09-26', 7, cal)).toBe('2025-10-13');
  });

  it('skips 春节 2026 (2/15–2/23, 2/14 and 2/28 worked) and 国庆 2026 (9/20 and 10/10 worked)', () => {
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2, cal)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-23', 5, cal)).toBe('2026-02-28');
    expect(addWorkingDays('2026-09-30', 1, cal)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 3, cal)).toBe('2026-10-10');
  });

  it('counts from a day off and backwards, and 0 is the day itself', () => {
    expect(addWorkingDays('2025-02-01', 1, cal)).toBe('2025-02-05');
    expect(addWorkingDays('2025-02-05', -1, cal)).toBe('2025-01-27');
    expect(addWorkingDays('2025-02-05', -2, cal)).toBe('2025-01-26');
    expect(addWorkingDays('2025-02-01', 0, cal)).toBe('2025-02-01');
    expect(() => addWorkingDays('2025-02-30', 1, cal)).toThrow();
  });
});

describe('workingDaysBetween', () => {
  it('counts across 春节 and 国庆 with their 调休 days', () => {
    expect(workingDaysBetween('2025-01-24', '2025-02-08', cal)).toBe(6);
    expect(workingDaysBetween('2025-01-24', '2025-02-08', weekendsOnly)).toBe(10);
    expect(workingDaysBetween('2025-09-26', '2025-10-13', cal)).toBe(7);
    // 9/20 (调休), 9/21–24, 9/28–30, 10/8, 10/9, 10/10 (调休), 10/12; 中秋 9/25 and 国庆 10/1–7 off.
    expect(workingDaysBetween('2026-09-18', '2026-10-12', cal)).toBe(12);
  });

  it('is the inverse of addWorkingDays and antisymmetric', () => {
    for (const start of ['2025-01-20', '2025-09-25', '2026-02-10', '2026-04-30', '2026-09-28']) {
      for (let n = 0; n <= 25; n++) {
        const end = addWorkingDays(start, n, cal);
        expect(workingDaysBetween(start, end, cal)).toBe(n);
        expect(workingDaysBetween(end, start, cal)).toBe(-n || 0);
      }
    }
  });
});

describe('checkCalendarYear', () => {
  it('refuses a weekday entered as a 调休 workday, another year and duplicates, in Chinese', () => {
    const errors = checkCalendarYear(2027, [
      { day: '2027-02-03', kind: 'workday', name: '春节' },
      { day: '2026-12-31', kind: 'holiday', name: '元旦' },
      { day: '2027-02-06', kind: 'holiday', name: '春节' },
      { day: '2027-02-06', kind: 'holiday', name: '春节' },
      { day: '2027-13-01', kind: 'holiday', name: '春节' },
    ]);
    expect(errors).toEqual([
      '第 1 行（2027-02-03）：调休上班日应为周六或周日，该日本来就是工作日',
      '第 2 行（2026-12-31）：不属于 2027 年',
      '第 4 行（2027-02-06）：日期重复',
      '第 5 行（2027-13-01）：日期无效，应为 YYYY-MM-DD',
    ]);
  });
});
