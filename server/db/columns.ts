import type { IndicatorYtdTable, PlanMonthColumns } from './schema.ts';

// Month-column lists of tables that several modules' repositories read in SQL: the projects module writes the plan
// columns (annual_plans), the indicators module copies them into indicator_facts and keeps the ytd columns
// (indicator_ytd, indicator_facts, indicator_groups), lights read both. They are the database's shape, not one
// module's, so they live beside schema.ts, where any repository may import them (eslint.config.js).

/** A plan's month-by-month amounts (计划完成表) in yuan, one column a month, all NULL without one. */
export const PLAN_MONTH_COLUMNS = [
  'plan_m01', 'plan_m02', 'plan_m03', 'plan_m04', 'plan_m05', 'plan_m06', 'plan_m07', 'plan_m08', 'plan_m09', 'plan_m10', 'plan_m11', 'plan_m12',
] as const satisfies readonly (keyof PlanMonthColumns)[];
export type PlanMonthColumn = (typeof PLAN_MONTH_COLUMNS)[number];

/** The rollup's 1–N月 cumulative of month N, one column a month (indicator_ytd and the rows copied from it). */
export const YTD_COLUMNS = [
  'ytd_01', 'ytd_02', 'ytd_03', 'ytd_04', 'ytd_05', 'ytd_06', 'ytd_07', 'ytd_08', 'ytd_09', 'ytd_10', 'ytd_11', 'ytd_12',
] as const satisfies readonly (keyof IndicatorYtdTable)[];
export type YtdColumn = (typeof YTD_COLUMNS)[number];
