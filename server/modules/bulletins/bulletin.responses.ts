import { z } from 'zod';
import { BULLETIN_STATUSES } from '../../../core/bulletins/workflow.ts';
import type { BulletinTemplate } from '../../../core/bulletins/template.ts';
import type { BulletinFigures } from '../../../core/bulletins/figures.ts';

// Response schemas of the bulletin routes (issue 15): they feed the OpenAPI document and so web/api/generated.ts.
// A template and a bulletin's figures are core types (core/bulletins/template.ts, figures.ts) the web imports as they
// are: declared here as open objects so that nothing of them is stripped.

const int = z.number().int();
const text = z.string().nullable();

const templateBody = z.custom<BulletinTemplate>((v) => typeof v === 'object' && v !== null).meta({ id: 'BulletinTemplateBody', type: 'object', additionalProperties: true });
const figuresBody = z.custom<BulletinFigures>((v) => typeof v === 'object' && v !== null).meta({ id: 'BulletinFiguresBody', type: 'object', additionalProperties: true });

/** One issued version (the bytes, frozen figures and template stay on the server). */
export const bulletinVersionSchema = z.object({
  id: int, bulletin_id: int, revision: int, issue_no: int, doc_number: text, title: z.string(), issued_on: z.string(), docx_sha256: z.string(),
  correction_note: text, submitted_by: int.nullable(), signed_by: int, signer_name: z.string(), signed_at: z.string(),
}).meta({ id: 'BulletinVersion' });

/** A bulletin as listed and shown: the row and its issued versions. */
export const bulletinSchema = z.object({
  id: int, year: int, month: int, region_code: text, template_id: int.nullable(), title: z.string(), status: z.enum(BULLETIN_STATUSES),
  issue_no: int.nullable(), revision: int, correction_note: text, return_reason: text, created_by: int.nullable(), submitted_by: int.nullable(),
  created_at: z.string(), updated_at: z.string(), version: int,
  /** Feed sections left out (core/bulletins/feeds.ts keys, comma-separated; '' = none). */
  omitted_feeds: z.string(),
  versions: z.array(bulletinVersionSchema),
}).meta({ id: 'Bulletin' });

export const bulletinListSchema = z.object({ items: z.array(bulletinSchema) });

/** The office's template (or the built-in default), its version, and the placeholders and tables it may use. */
export const templateAnswerSchema = z.object({
  template: templateBody, version: int, is_builtin: z.boolean(), updated_at: text, default_template: templateBody,
  placeholders: z.record(z.string(), z.string()), tables: z.record(z.string(), z.string()),
}).meta({ id: 'BulletinTemplateAnswer' });

/** A bulletin's figures: frozen at 签发 (with the revision) or computed live for a draft. */
export const figuresAnswerSchema = z.object({ frozen: z.boolean(), revision: int.nullable(), figures: figuresBody }).meta({ id: 'BulletinFiguresAnswer' });

const unitRank = z.object({
  rank: int.nullable(), key: text, name: z.string(), count: int, planned_investment: int, completed_ytd: int,
  completion_rate_text: z.string(), gap_points_text: z.string(), note: z.string(), unrecorded: z.literal(true).optional(),
}).meta({ id: 'UnitRank' });
const projectRank = z.object({
  project_id: int, name: z.string(), unit_name: z.string(), planned_investment: int, completed_ytd: int, rank: int, completion_rate_text: z.string(), gap_points_text: z.string(),
}).meta({ id: 'ProjectRank' });

/** The unit ranking (月讲评) and the 十快/十慢 projects of a period. */
export const rankingSchema = z.object({
  year: int, month: int, period_label: z.string(), time_progress_text: z.string(), units: z.array(unitRank), fast: z.array(projectRank), slow: z.array(projectRank),
}).meta({ id: 'BulletinRanking' });
