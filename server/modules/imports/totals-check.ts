// A list's 合计/总计 row (often stale) and its 小计 rows, checked against the sum of the rows they cover: a
// difference is a warning, never an error. 合计 covers the whole sheet wherever it sits; a 小计 covers the data rows
// since the last heading or 小计 above it. A package and its sub-items count once: the package row's own figure
// (which includes them), or the sum of its sub-items where the package row leaves the figure blank.

import { formatWan } from '../../../core/money.ts';
import { readMoneyCell } from './money-cell.ts';
import type { SheetLayout } from './layout.ts';
import type { SheetRow } from './sheet-reader.ts';

const CHECKED = ['total_investment', 'planned_investment', 'progress_ytd', 'completed_before_year'];

interface Stated {
  row: number;
  text: string;
  values: Map<string, number>;
  /** The rows a 小计 covers; undefined for 合计 (the whole sheet, known at the end). */
  covered?: Entry[];
}

/**
 * A row that counts once in a total: a stand-alone project, or a package (打捆/打包项目) whose own figure already
 * includes its sub-items — which are added up only to stand in for a figure the package row leaves blank.
 */
interface Entry {
  name: string | undefined;
  own: Map<string, number>;
  subs: Map<string, number>;
}

function add(to: Map<string, number>, values: Record<string, string | number | null>): void {
  for (const k of CHECKED) {
    const v = values[k];
    if (typeof v === 'number') to.set(k, (to.get(k) ?? 0) + v);
  }
}

/** The sums of rows as a total counts them: each package once (its own figure, else its sub-items'). */
function sumOf(entries: readonly Entry[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const e of entries) {
    for (const k of CHECKED) {
      const v = e.own.get(k) ?? e.subs.get(k);
      if (v !== undefined) sums.set(k, (sums.get(k) ?? 0) + v);
    }
  }
  return sums;
}

/** Collects one sheet's data rows and stated totals; `finish` reports the differences. */
export class TotalsCheck {
  private readonly sheetEntries: Entry[] = [];
  private groupEntries: Entry[] = [];
  private readonly byName = new Map<string, Entry>();
  private last: Entry | undefined;
  private readonly stated: Stated[] = [];
  private readonly layout: SheetLayout;
  constructor(layout: SheetLayout) {
    this.layout = layout;
  }

  /**
   * A data row's converted values (yuan). `sub`: a sub-item of the row before it (by 序号 or 其中：); `packageName`:
   * the package its 所属打包项目 cell names (counted in that package when it is a row of this sheet).
   */
  data(values: Record<string, string | number | null>, opts: { sub?: boolean; packageName?: string } = {}): void {
    const pkg = opts.packageName !== undefined ? this.byName.get(opts.packageName) : opts.sub ? this.last : undefined;
    if (pkg) {
      add(pkg.subs, values);
      return;
    }
    const e: Entry = { name: typeof values.name === 'string' ? values.name : undefined, own: new Map(), subs: new Map() };
    add(e.own, values);
    this.sheetEntries.push(e);
    this.groupEntries.push(e);
    if (e.name) this.byName.set(e.name, e);
    this.last = e;
  }

  heading(): void {
    this.groupEntries = [];
    this.last = undefined;
  }

  total(row: SheetRow, text: string): void {
    const values = new Map<string, number>();
    for (const c of this.layout.columns) {
      if (!CHECKED.includes(c.field.key)) continue;
      const v = readMoneyCell(row.cells[c.col - 1] ?? null, c.unit);
      if (v !== undefined) values.set(c.field.key, v);
    }
    const sub = /^小\s*计/.test(text);
    this.stated.push({ row: row.number, text, values, covered: sub ? this.groupEntries : undefined });
    if (sub) this.groupEntries = [];
    this.last = undefined;
  }

  /** Warnings for every stated figure that differs from the sum of its rows. */
  finish(): { row: number; column: string | null; message: string }[] {
    const out: { row: number; column: string | null; message: string }[] = [];
    for (const s of this.stated) {
      const sums = sumOf(s.covered ?? this.sheetEntries);
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
