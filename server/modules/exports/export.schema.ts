import { z } from 'zod';
import { BREAKDOWNS, indicatorQuerySchema } from '../indicators/index.ts';
import { lightsQuerySchema } from '../lights/index.ts';
import { projectFilterSchema } from '../../platform/project-filter.ts';
import { GROUP_BYS } from './export.repository.ts';

const groupBy = z.enum(GROUP_BYS, { error: `不支持的分组方式（可选 ${GROUP_BYS.join('、')}）` }).optional();

/** A period as the exports take it, with Chinese messages for a missing or wrong year or month. */
const period = {
  year: z.coerce.number({ error: '请指定年份（year）' }).int('年份有误').min(2000, '年份有误').max(2100, '年份有误'),
  month: z.coerce.number({ error: '请指定月份（month）' }).int('月份须在 1 到 12 之间').min(1, '月份须在 1 到 12 之间').max(12, '月份须在 1 到 12 之间'),
};

/** GET /api/v1/exports/projects.xlsx: the project-list filter and optional group headings. */
export const projectExportQuery = projectFilterSchema.extend({ group_by: groupBy });

/** GET /api/v1/exports/monthly-progress.xlsx: the project-list filter, a period and optional group headings. */
export const progressExportQuery = projectFilterSchema.extend(period).extend({ group_by: groupBy });

/**
 * GET /api/v1/exports/indicators.xlsx: the indicators view's query (breakdowns default to the bulletin's three);
 * group_by, as the other exports take it, names one breakdown.
 */
export const indicatorExportQuery = indicatorQuerySchema.extend(period).extend({
  group_by: z.enum(BREAKDOWNS, { error: `不支持的分组方式（可选 ${BREAKDOWNS.join('、')}）` }).optional(),
});

/** GET /api/v1/exports/lights.xlsx: the lights view's query without paging (the export holds every page). */
export const lightsExportQuery = lightsQuerySchema.omit({ page: true, page_size: true }).extend(period);

/** GET /api/v1/exports/missing.xlsx: the 催报 view's period and optional unit subtree. */
export const missingExportQuery = z.object({
  ...period,
  unit: z.coerce.number({ error: '单位编号有误' }).int('单位编号有误').positive('单位编号有误').optional(),
});
