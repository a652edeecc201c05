import { z } from 'zod';
import { GROUP_SOURCES, TABLE_KINDS } from '../../../core/bulletins/template.ts';
import { FEED_KEYS } from '../../../core/bulletins/feeds.ts';
import { periodSchema } from '../indicators/index.ts';

const text = (max: number) => z.string().max(max, `内容过长（最多 ${max} 字）`);

const blockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), text: text(200).min(1, '标题不能为空') }),
  z.object({ kind: z.literal('paragraph'), text: text(4000) }),
  z.object({ kind: z.literal('list'), lead: text(1000).optional(), items: z.array(z.object({ text: text(1000), unless_zero: text(20).optional() })).max(20) }),
  z.object({ kind: z.literal('group_list'), lead: text(1000).optional(), source: z.enum(GROUP_SOURCES), item: text(1000) }),
  z.object({ kind: z.literal('table'), table: z.enum(TABLE_KINDS), title: text(200).optional(), limit: z.number().int().min(1, '行数上限至少为 1').max(10_000).optional() }),
  z.object({ kind: z.literal('feeds') }),
]);

/** A bulletin template (core/bulletins/template.ts), as the office edits it. */
export const templateSchema = z.object({
  area: text(50),
  red_head: text(50).min(1, '红头不能为空'),
  issuer: text(100),
  doc_prefix: text(30),
  title: text(200).min(1, '标题不能为空'),
  recipients: text(500),
  body: z.array(blockSchema).max(200, '正文块过多'),
  annexes: z.array(z.object({ title: text(200).min(1, '附件标题不能为空'), blocks: z.array(blockSchema).max(50) })).max(10, '附件过多'),
  signature: text(100),
  cc: text(500),
  printed_by: text(100),
  time_progress_digits: z.union([z.literal(1), z.literal(2)]),
  fonts: z.object({
    title: text(50).min(1), body: text(50).min(1), heading1: text(50).min(1), heading2: text(50).min(1), latin: text(50).min(1), red_head: text(50).min(1),
  }),
});

/** PUT /api/v1/bulletins/template: the template and the version it was read at (409 when someone saved since). */
export const templateWriteSchema = z.object({ template: templateSchema, version: z.number().int().min(0) });

const regionCode = z.string().regex(/^\d{6}$/, '地区代码须为 6 位数字');

/** POST /api/v1/bulletins: a draft for a period and a region (none: the office's jurisdiction; `all`: everything). */
export const bulletinCreateSchema = periodSchema.extend({ region: regionCode.optional() });
export type BulletinCreate = z.infer<typeof bulletinCreateSchema>;

export const bulletinListQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const versionParams = idParams.extend({ revision: z.coerce.number().int().positive() });

/** Workflow actions carry the version read (optimistic check); returning and re-issuing need a reason. */
export const actionSchema = z.object({ version: z.number().int().positive() });
export const reasonActionSchema = actionSchema.extend({ reason: z.string().trim().min(2, '请填写原因').max(1000) });

/** PUT /api/v1/bulletins/:id/feeds: the feed sections this draft leaves out (督查督办, 会议, 问题, 招商). */
export const feedsSchema = actionSchema.extend({ omitted: z.array(z.enum(FEED_KEYS)).max(FEED_KEYS.length) });

/** GET /api/v1/bulletins/ranking(.xlsx): the unit ranking of a period, as the bulletin prints it (月讲评). */
export const rankingQuerySchema = periodSchema.extend({ region: regionCode.optional() });
export type RankingQuery = z.infer<typeof rankingQuerySchema>;
