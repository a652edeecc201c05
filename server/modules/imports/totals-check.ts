// A list's 合计/总计 row (often stale) and its 小计 rows, checked against the sum of the rows they cover: a
// difference is a warning, never an error. 合计 covers the whole sheet wherever it sits; a 小计 covers the data rows
// since the last heading or 小计 above it.

import { formatWan } from '../../../core/money.ts';
import { readMoneyCell } from './money-cell.ts';
import type { SheetLayout } from './layout.ts';
import type { SheetRow } from './sheet-reader.ts';

const CHECKED = ['total_investment', 'planned_investment', 'progress_ytd', 'completed_before_year'];

interface Stated {
  row: number;
  text: string;
  values: Map<string, number>;
  /** The sum it is compared with; undefined for 合计 (the whole sheet, known at the end). */
  covered?: Map<string, number>;
}

/** Collects one sheet's data sums and stated totals; `finish` reports the differences. */
export class TotalsCheck {
  private readonly sheetSum = new Map<string, number>();
  private groupSum = new Map<string, number>();
  private readonly stated: Stated[] = [];
  private readonly layout: SheetLayout;
  constructor(layout: SheetLayout) {
    this.layout = layout;
  }

  /** A data row's converted values (yuan). */
  data(values: Record<string, string | number | null>): void {
    for (const k of CHECKED) {
      const v = values[k];
      if (typeof v !== 'number') continue;
      this.sheetSum.set(k, (this.sheetSum.get(k) ?? 0) + v);
      this.groupSum.set(k, (this.groupSum.get(k) ?? 0) + v);
    }
  }

  heading(): void {
    this.groupSum = new Map();
  }

  total(row: SheetRow, text: string): void {
    const values = new Map<string, number>();
    for (const c of this.layout.columns) {
      if (!CHECKED.includes(c.field.key)) continue;
      const v = readMoneyCell(row.cells[c.col - 1] ?? null, c.unit);
      if (v !== undefined) values.set(c.field.key, v);
    }
    const sub = /^小\s*计/.test(text);
    this.stated.push({ row: row.number, text, values, covered: sub ? this.groupSum : undefined });
    if (sub) this.groupSum = new Map();
  }

  /** Warnings for every stated figure that differs from the sum of its rows. */
  finish(): { row: number; column: string | null; message: string }[] {
    const out: { row: number; column: string | null; message: string }[] = [];
    for (const s of this.stated) {
      const sums = s.covered ?? this.sheetSum;
      for (const [k, stated] of s.values) {
        const sum = sums.get(k) ?? 0;
        if (sum === stated) continue;
        const col = this.layout.columns.find((c) => c.field.key === k)!;
        out.push({
          row: s.row, column: col.letter,
          message: `${s.text.slice(0, 10)}行“${col.header}”为 ${formatWan(stated)} 万元，与${s.covered ? '本组' : '全表'}各行之和 ${formatWan(sum)} 万元相差 ${formatWan(stated - sum)} 万元（已按各行导入，请核对）`,
        });
      }
    }
    return out;
  }
}
