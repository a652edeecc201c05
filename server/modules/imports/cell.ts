import type { CellValue } from 'exceljs';

/** A cell reduced to one plain value: text, number, boolean, date, an Excel error, or nothing. */
export type CellScalar = string | number | boolean | Date | { error: string } | null;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Flattens every shape exceljs delivers (plain values, rich text, formulas and shared formulas by their cached
 * result, errors, hyperlinks, dates) to a CellScalar. Empty strings become null so that '' never differs from
 * nothing.
 */
export function flattenCellValue(value: CellValue | Record<string, unknown>): CellScalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (!isObject(value)) return null;
  if (Array.isArray(value.richText)) {
    const text = value.richText.map((run: unknown) => (isObject(run) && typeof run.text === 'string' ? run.text : '')).join('');
    return text.trim() === '' ? null : text;
  }
  // Formulas: the cached result is what the author saw; a formula never evaluated has none.
  if ('formula' in value || 'sharedFormula' in value) return flattenCellValue(value.result as CellValue);
  if (typeof value.error === 'string') return { error: value.error };
  // Hyperlinks: the visible text, which may itself be rich text.
  if ('hyperlink' in value || 'text' in value) return flattenCellValue(value.text as CellValue);
  return null;
}

/** True for an Excel error value such as #REF!. */
export function isCellError(v: CellScalar): v is { error: string } {
  return isObject(v) && !(v instanceof Date) && typeof (v as { error?: unknown }).error === 'string';
}

/** The cell as display text (numbers in shortest form, dates as YYYY-MM-DD), '' for nothing. */
export function cellText(v: CellScalar): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return v.error;
}

/** Excel column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 1-based column number of Excel letters: A → 1, AA → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
