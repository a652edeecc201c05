import { z } from 'zod';
import type { Scheme } from '../../../core/evaluation/scheme.ts';

// Response schemas of the evaluation routes (issue 15): they feed the OpenAPI document and so web/api/generated.ts.
// Status columns are text in the database and typed `string` by the service, so they are strings here too.

const int = z.number().int();
const text = z.string().nullable();

/** A scheme's body (core/evaluation/scheme.ts Scheme), as the office wrote it; the web types it with the core type. */
const schemeBody = z.custom<Scheme>((v) => typeof v === 'object' && v !== null).meta({ id: 'EvalSchemeBody', type: 'object', additionalProperties: true });

export const sourceListSchema = z.array(z.object({
  key: z.string(), label: z.string(), unit: z.string(), provider: z.string(), available: z.boolean(), records: z.enum(['projects', 'entries', 'none']),
}).meta({ id: 'EvalSource' }));

const schemeRow = z.object({
  id: int, year: int, version: int, name: z.string(), status: z.string(), body: schemeBody, created_by: int.nullable(), created_at: z.string(), updated_at: z.string(),
  adopted_by: int.nullable(), adopted_at: text, row_version: int,
}).meta({ id: 'EvalSchemeRow' });
export const schemeRowSchema = schemeRow;
export const schemeListSchema = z.array(schemeRow);

const node = z.object({ value: text, value_text: z.string(), score_text: z.string(), contribution: z.string(), contribution_text: z.string(), note: z.string() }).meta({ id: 'EvalNode' });
const unit = z.object({
  key: z.string(), name: z.string(), rank: int, total: z.string(), total_text: z.string(), tree_total_text: z.string(), adjustment_text: z.string(),
  vetoed: z.boolean(), veto_reasons: z.array(z.string()), gap_to_leader_text: z.string(), prev_rank: int.nullable(), prev_total_text: text,
  rank_change: int.nullable(), score_change_text: text, nodes: z.record(z.string(), node),
}).meta({ id: 'EvalUnit' });
const leaf = z.object({ key: z.string(), name: z.string(), path: z.string(), source: z.string(), source_label: z.string(), unit: z.string(), rule: z.string(), records: z.string() }).meta({ id: 'EvalLeaf' });
const boardLine = z.object({ leaf: z.string(), leaf_name: z.string(), unit_key: z.string(), unit_name: z.string(), value_text: z.string(), score_text: z.string() }).meta({ id: 'EvalBoardLine' });
const speedLine = z.object({ project_id: int, name: z.string(), unit_name: z.string(), completion_rate_text: z.string(), gap_points_text: z.string() }).meta({ id: 'EvalSpeedLine' });

/** Everything a month's 讲评 shows (evaluation.service.ts SnapshotBody). */
const snapshot = z.object({
  year: int, month: int, period_label: z.string(), scheme: z.object({ id: int.nullable(), version: int.nullable(), name: z.string() }), computed_at: z.string(),
  leaves: z.array(leaf), units: z.array(unit), advanced: z.array(z.string()), lagging: z.array(z.string()),
  red: z.array(boardLine), yellow: z.array(boardLine), fast: z.array(speedLine), slow: z.array(speedLine),
}).meta({ id: 'EvalSnapshot' });

const problem = z.object({ path: z.string(), message: z.string() }).meta({ id: 'EvalProblem' });
export const previewSchema = z.object({ problems: z.array(problem), result: snapshot.nullable() });

const objection = z.object({
  id: int, snapshot_id: int, unit_id: int, unit_name: z.string(), reason: z.string(), status: z.string(), reply: text, raised_by: int.nullable(), raised_at: z.string(),
  handled_by: int.nullable(), handled_at: text,
  // The indicator line objected to (null = the unit's result as a whole), its value then, and the corrected value once accepted.
  leaf_key: text, leaf_name: text, value_before: text, corrected_value: text,
}).meta({ id: 'EvalObjection' });
/** A weak line already turned into a 督办事项: the unit and indicator of the month, and the matter. */
const lineMatter = z.object({ unit_key: z.string(), leaf: z.string(), matter_id: int, matter_number: z.string() }).meta({ id: 'EvalLineMatter' });
const outcome = z.object({ id: int, snapshot_id: int, unit_id: int, kind: z.string(), amount: int.nullable(), note: text, created_by: int.nullable(), created_at: z.string() }).meta({ id: 'EvalOutcome' });
const diff = z.object({ unit_key: z.string(), unit_name: z.string(), item: z.string(), before: z.string(), after: z.string() }).meta({ id: 'EvalDiff' });

/** A month: its status ('none' before the first computation), snapshot, objections, outcomes and the published-vs-live diff. */
export const monthSchema = z.object({
  year: int, month: int, id: int.optional(), status: z.string(), status_label: z.string(), objection_until: text.optional(), published_at: text.optional(), revision: int.optional(),
  snapshot: snapshot.nullable(), objections: z.array(objection), outcomes: z.array(outcome), diff: z.array(diff), matters: z.array(lineMatter),
}).meta({ id: 'EvalMonth' });

const entry = z.object({
  id: int, year: int, month: int, unit_id: int, item_key: z.string(), value: z.string(), evidence: z.string(), status: z.string(), entered_by: int.nullable(), entered_at: z.string(),
  reviewed_by: int.nullable(), reviewed_at: text, review_note: text,
}).meta({ id: 'EvalEntry' });
export const entrySchema = entry;
export const entryListSchema = z.array(entry.extend({ unit_name: z.string() }));
const ledgerRow = z.object({
  id: int, year: int, month: int, unit_id: int, points_hundredths: int, reason: z.string(), doc_number: z.string(), approver: z.string(), created_by: int.nullable(), created_at: z.string(),
});

/** One unit's drill-down: its scores, the leaves, its hand entries and ledger lines, and the link to its projects. */
export const unitDetailSchema = z.object({ unit, leaves: z.array(leaf), entries: z.array(entry), ledger: z.array(ledgerRow), projects_link: z.string() }).meta({ id: 'EvalUnitDetail' });

const ledgerLine = ledgerRow.extend({ unit_name: z.string(), points_text: z.string() }).meta({ id: 'EvalLedgerLine' });
export const ledgerLineSchema = ledgerLine;
export const ledgerListSchema = z.array(ledgerLine);

/** The year-end comprehensive evaluation (年终总考评, core/evaluation/year-end.ts YearEndUnit without its exact total). */
const yearEndUnit = z.object({
  key: z.string(), name: z.string(), rank: int, months: z.array(z.object({ month: int, total_text: z.string() })), monthly_average_text: z.string(),
  monthly_part_text: z.string(), items: z.array(z.object({ key: z.string(), name: z.string(), value_text: z.string() })), ledger_text: z.string(),
  total_text: z.string(), vetoed: z.boolean(), vetoed_months: z.array(int),
}).meta({ id: 'EvalYearEndUnit' });
export const yearEndSchema = z.object({
  year: int, scheme: z.object({ id: int, version: int, name: z.string() }), months: z.array(int), monthly_weight: z.number(),
  items: z.array(z.object({ key: z.string(), name: z.string(), max: z.number().optional() })), units: z.array(yearEndUnit),
}).meta({ id: 'EvalYearEnd' });

/** How the city or province ranked us on an indicator (eval_upper_ranks; is_weak as a boolean). */
const upperRank = z.object({
  id: int, year: int, month: int, level: z.string(), indicator: z.string(), our_rank: int, unit_count: int, our_score: text, leader_score: text,
  is_weak: z.boolean(), reasons: text, next_steps: text, created_by: int.nullable(), created_at: z.string(),
  /** The 督办事项 this weak ranking was turned into, if any (a second one is refused). */
  matter: z.object({ id: int, number: z.string() }).nullable(),
}).meta({ id: 'EvalUpperRank' });
export const upperRankSchema = upperRank;
export const upperRankListSchema = z.array(upperRank);
