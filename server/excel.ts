import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | undefined;

/**
 * exceljs, loaded at its first use: loading it costs ~150 ms of CPU, 15% of a server's cold start, and most
 * processes (a server just started, most CLI commands) never read or write a workbook.
 */
export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => m.default);
  return loading;
}
