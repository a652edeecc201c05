import { describe, expect, it } from 'vitest';
import { dateToExcelSerial, excelSerialToDate, parseDate, parseYearRange } from './dates.ts';

const ok = (input: string | number | Date) => {
  const r = parseDate(input);
  if (!r.ok) throw new Error(r.reason);
  return [r.date, r.precision];
};

describe('parseDate', () => {
  it.each([
    ['2024年3月', '2024-03-01', 'month'],
    ['2024年3月5日', '2024-03-05', 'day'],
    ['2024年03月底', '2024-03-01', 'month'],
    ['2024.3', '2024-03-01', 'month'],
    ['2024.10', '2024-10-01', 'month'],
    ['2024.3.5', '2024-03-05', 'day'],
    ['2024-03', '2024-03-01', 'month'],
    ['2024-03-05', '2024-03-05', 'day'],
    ['2024/3/5', '2024-03-05', 'day'],
    ['２０２４／３／５', '2024-03-05', 'day'],
    ['202403', '2024-03-01', 'month'],
    ['20240305', '2024-03-05', 'day'],
    ['2024', '2024-01-01', 'year'],
    ['2024年', '2024-01-01', 'year'],
    ['2024-03-05T00:00:00.000Z', '2024-03-05', 'day'],
    ['45356', '2024-03-05', 'day'],
  ])('%s → %s (%s)', (input, date, precision) => {
    expect(ok(input)).toEqual([date, precision]);
  });

  it('reads numbers as years, year.month or Excel serials', () => {
    expect(ok(2024)).toEqual(['2024-01-01', 'year']);
    expect(ok(2024.3)).toEqual(['2024-03-01', 'month']);
    expect(ok(2024.12)).toEqual(['2024-12-01', 'month']);
    expect(ok(45356)).toEqual(['2024-03-05', 'day']);
    expect(ok(45356.75)).toEqual(['2024-03-05', 'day']);
  });

  it('reads Date cells by their UTC day, as exceljs delivers them', () => {
    expect(ok(new Date(Date.UTC(2024, 2, 5)))).toEqual(['2024-03-05', 'day']);
  });

  it.each(['2024-13', '2024-02-30', '2023年2月29日', 'abc', '', '1800-01-01', '3月5日', '2024.13'])('rejects %j with a Chinese reason', (input) => {
    const r = parseDate(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/日期|月份|年份/);
  });
});

describe('Excel serial numbers', () => {
  it('follows the 1900 system including its phantom leap day', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45292)).toBe('2024-01-01');
    expect(excelSerialToDate(46022)).toBe('2025-12-31');
  });
  it('inverts for modern dates', () => {
    for (const iso of ['2000-02-29', '2024-03-05', '2026-11-23']) expect(excelSerialToDate(dateToExcelSerial(iso))).toBe(iso);
  });
});

describe('parseYearRange', () => {
  it.each([
    ['2024-2026', 2024, 2026],
    ['2024—2026年', 2024, 2026],
    ['2024年至2026年', 2024, 2026],
    ['2025', 2025, 2025],
    ['2024~2025', 2024, 2025],
  ])('%s', (input, start, end) => {
    expect(parseYearRange(input)).toEqual({ ok: true, start, end });
  });
  it('rejects reversed or unknown ranges', () => {
    expect(parseYearRange('2026-2024').ok).toBe(false);
    expect(parseYearRange('三年').ok).toBe(false);
  });
});
