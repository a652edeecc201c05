// Dates as offices type them: 2024年3月, 2024.3, 2024-03, 2024/3/5, 2024年3月5日, Excel serial numbers or Date
// cells. Docket stores 'YYYY-MM-DD'; a month without a day becomes its first day and says so in `precision`.

/** A parsed date: ISO 'YYYY-MM-DD' and how much of it the input gave. */
export type DateParse =
  | { ok: true; date: string; precision: 'day' | 'month' | 'year' }
  | { ok: false; reason: string };

const pad = (n: number) => String(n).padStart(2, '0');

function isValidDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function build(y: number, m: number, d: number | undefined, input: unknown): DateParse {
  if (y < 1900 || y > 2200) return { ok: false, reason: `年份超出范围：${String(input)}` };
  if (m < 1 || m > 12) return { ok: false, reason: `月份不正确：${String(input)}` };
  if (d !== undefined && !isValidDay(y, m, d)) return { ok: false, reason: `日期不存在：${String(input)}` };
  return { ok: true, date: `${y}-${pad(m)}-${pad(d ?? 1)}`, precision: d === undefined ? 'month' : 'day' };
}

/**
 * The calendar date of an Excel serial number (1900 date system): 1 = 1900-01-01, and Excel's phantom
 * 1900-02-29 (serial 60) is skipped as Excel itself counts it. Fractions (times of day) are dropped.
 */
export function excelSerialToDate(serial: number): string {
  const days = Math.floor(serial);
  // Serials after the phantom leap day are one too high; epoch 1899-12-30 absorbs it for them.
  const ms = Date.UTC(1899, 11, days > 60 ? 30 : 31) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Excel serial number of an ISO date (inverse of excelSerialToDate for dates after 1900-03-01). */
export function dateToExcelSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/**
 * Parses a date cell. Numbers: a year (2024), a year.month typed as a number (2024.3; note 2024.10 arrives from
 * Excel as 2024.1 and reads as January), or an Excel serial number. Dates: their UTC calendar day (how exceljs
 * delivers date cells).
 */
export function parseDate(input: string | number | Date): DateParse {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return { ok: false, reason: '日期无效' };
    return build(input.getUTCFullYear(), input.getUTCMonth() + 1, input.getUTCDate(), input);
  }
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input <= 0) return { ok: false, reason: `无法识别的日期：${input}` };
    if (Number.isInteger(input) && input >= 1900 && input <= 2200) return { ok: true, date: `${input}-01-01`, precision: 'year' };
    if (input >= 1900 && input < 2201) {
      const [y, frac = ''] = String(input).split('.');
      return build(Number(y), Number(frac), undefined, input);
    }
    if (input > 2958465) return { ok: false, reason: `无法识别的日期：${input}` };
    const iso = excelSerialToDate(input);
    return { ok: true, date: iso, precision: 'day' };
  }
  const t = input.normalize('NFKC').replace(/\s+/g, '').replace(/[－—–]/g, '-');
  if (t === '') return { ok: false, reason: '日期为空' };
  let m = /^(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号]?)?(?:底|末|初|中旬|上旬|下旬)?$/.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined, input);
  m = /^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?$/.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined, input);
  m = /^(\d{4})(\d{2})(\d{2})?$/.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined, input);
  m = /^(\d{4})年?$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    if (y < 1900 || y > 2200) return { ok: false, reason: `年份超出范围：${input}` };
    return { ok: true, date: `${y}-01-01`, precision: 'year' };
  }
  // ISO timestamps ("2024-03-05T00:00:00.000Z") from other systems.
  m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), input);
  if (/^\d+(\.\d+)?$/.test(t)) return parseDate(Number(t));
  return { ok: false, reason: `无法识别的日期：${input}（可填 2024-03-05、2024年3月、2024.3）` };
}

/** A year range as in 建设起止年限: "2024-2026", "2024—2026年", "2024年至2026年", "2025". */
export function parseYearRange(input: string | number): { ok: true; start: number; end: number } | { ok: false; reason: string } {
  const t = String(input).normalize('NFKC').replace(/\s+/g, '').replace(/[－—–~～]/g, '-');
  const m = /^(\d{4})年?(?:(?:-|至|到)(\d{4})年?)?$/.exec(t);
  if (!m) return { ok: false, reason: `无法识别的建设起止年限：${input}（如 2024-2026）` };
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  if (start < 1900 || end > 2200) return { ok: false, reason: `年份超出范围：${input}` };
  if (end < start) return { ok: false, reason: `建设起止年限的结束年份早于开始年份：${input}` };
  return { ok: true, start, end };
}
