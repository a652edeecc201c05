// What a real list says about a project's year without a column for it: the group heading it sits under
// (新开工项目, （一）续建项目, 一、竣工投产项目) and its planned dates. A project import turns them into the plan's
// flags (是否计划新开工/竣工/投产 and their months) and the nature, so that start, completion and production rates
// come out of the list as published. An explicit column always wins.

type Value = string | number | null;

/** Flags a heading implies for the rows under it. */
export interface HeadingHints {
  nature?: string;
  planNewStart?: boolean;
  planCompletion?: boolean;
  planProduction?: boolean;
}

/** The hints of one heading text. */
export function headingHints(text: string): HeadingHints {
  const t = text.normalize('NFKC').replace(/[（(][^）)]*(共计|合计|共)[^）)]*[）)]/g, '');
  const out: HeadingHints = {};
  if (/续建/.test(t)) out.nature = 'continued';
  if (/新开工|计划开工|新建/.test(t)) {
    out.planNewStart = true;
    out.nature = 'new';
  }
  if (/竣工/.test(t)) out.planCompletion = true;
  if (/投产/.test(t)) out.planProduction = true;
  return out;
}

/** A date's month when it falls in the year. */
function monthIn(date: Value | undefined, year: number): number | undefined {
  if (typeof date !== 'string' || !date.startsWith(`${year}-`)) return undefined;
  return Number(date.slice(5, 7));
}

/**
 * Fills the plan flags the row leaves blank, for the plan year: from the heading above, else from a planned date
 * in that year (计划开工时间 2025-03 → 计划新开工, 3月). Also the nature from a 新开工/续建 heading.
 */
export function derivePlanFields(values: Record<string, Value>, year: number, hints: HeadingHints | undefined): void {
  const h = hints ?? {};
  if (values.nature === undefined && h.nature) values.nature = h.nature;
  const pairs: [flag: string, month: string, date: string, hint: boolean | undefined][] = [
    ['plan_new_start', 'plan_start_month', 'planned_start_date', h.planNewStart],
    ['plan_completion', 'plan_completion_month', 'planned_completion_date', h.planCompletion],
    ['plan_production', 'plan_production_month', 'planned_production_date', h.planProduction],
  ];
  for (const [flag, month, date, hint] of pairs) {
    const m = monthIn(values[date], year);
    if (values[flag] === undefined && (hint || m !== undefined)) values[flag] = 1;
    if (values[month] === undefined && values[flag] === 1 && m !== undefined) values[month] = m;
  }
}
