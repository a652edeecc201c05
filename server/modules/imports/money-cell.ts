import { parseMoney, type MoneyUnit } from '../../../core/money.ts';
import { cellText, isCellError, type CellScalar } from './cell.ts';

/** A money cell in yuan, undefined when empty or unreadable (for checks that only warn, such as 合计 rows). */
export function readMoneyCell(cell: CellScalar, unit: MoneyUnit | undefined): number | undefined {
  if (cell === null || isCellError(cell)) return undefined;
  const text = cellText(cell).trim();
  if (!text) return undefined;
  const r = typeof cell === 'number' ? parseMoney(cell, unit ?? '万元') : parseMoney(text, unit ?? '万元');
  return r.ok ? r.yuan : undefined;
}
