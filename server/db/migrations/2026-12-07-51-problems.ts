import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';
import { clock } from '../../clock.ts';

// Problems (问题/诉求) raised by enterprises, projects, cadre visits and meetings: the category tree with the
// owning department the office assigns per category (the category map), time limits as data per category and
// level (the "13710" preset), the problems themselves moving through core/problems/problem-workflow.ts (every move
// in status_log), their co-departments, and the replies and return visits (回访) of each round.

/** The top-level categories shipped (the office adds sub-categories and renames). Frozen: edits are row edits. */
const CATEGORIES: Array<[string, string]> = [
  ['land', '用地'], ['planning', '规划'], ['environment', '环评'], ['energy', '能耗指标'], ['funds', '资金'],
  ['labour', '用工'], ['utilities', '水电气'], ['approval', '审批'], ['financing', '融资'], ['other', '其他'],
];

export async function up(db: Kysely<any>): Promise<void> {
  const now = clock.now().toISOString();
  await db.schema.createTable('problem_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('problem_categories.code'))
    .addColumn('owner_unit_id', 'integer', (c) => c.references('units.id')) // the category map: who owns problems of it
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('problem_categories')
    .values(CATEGORIES.map(([code, name], i) => ({ code, name, parent_code: null, owner_unit_id: null, sort: i + 1, updated_at: now })))
    .execute();

  // Time limits: a row per (category, level); '*' matches any. The most specific row wins (category before level).
  await withId(db, db.schema.createTable('problem_time_limits'))
    .addColumn('category_code', 'text', (c) => c.notNull()) // a category code or '*'
    .addColumn('level', 'text', (c) => c.notNull()) // county | city | province | '*'
    .addColumn('route_days', 'integer', (c) => c.notNull()) // 交办: working days from receipt
    .addColumn('feedback_days', 'integer', (c) => c.notNull()) // 签收/首次反馈: working days from 交办
    .addColumn('ordinary_days', 'integer', (c) => c.notNull()) // 一般问题办结: working days from 交办
    .addColumn('major_days', 'integer', (c) => c.notNull()) // 重大问题办结: calendar days from 交办 (a month)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('problem_time_limits_key', ['category_code', 'level'])
    .execute();
  await db.insertInto('problem_time_limits')
    .values({ category_code: '*', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 7, major_days: 30, updated_at: now })
    .execute();

  await withId(db, db.schema.createTable('problems'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // enterprise | project | visit | meeting
    .addColumn('enterprise_id', 'integer', (c) => c.references('enterprises.id'))
    .addColumn('project_id', 'integer', (c) => c.references('projects.id'))
    .addColumn('visit_id', 'integer', (c) => c.references('enterprise_visits.id'))
    .addColumn('meeting', 'text') // the meeting that raised it (周例会 …)
    .addColumn('category_code', 'text', (c) => c.notNull().references('problem_categories.code'))
    .addColumn('level', 'text', (c) => c.notNull()) // county | city | province: who must solve it
    .addColumn('is_major', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('raised_unit_id', 'integer', (c) => c.references('units.id')) // the unit that raised it (data scope)
    .addColumn('owner_unit_id', 'integer', (c) => c.references('units.id')) // the owning department (data scope)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, China time
    .addColumn('assigned_on', 'text')
    .addColumn('signed_on', 'text')
    .addColumn('replied_on', 'text') // the latest reply
    .addColumn('closed_on', 'text')
    .addColumn('route_due', 'text')
    .addColumn('feedback_due', 'text')
    .addColumn('solve_due', 'text')
    .addColumn('handler_id', 'integer', (c) => c.references('users.id')) // who replied last
    .addColumn('reply', 'text')
    .addColumn('visit_result', 'text') // satisfied | basic | unsatisfied: the latest 回访
    .addColumn('redo_count', 'integer', (c) => c.notNull().defaultTo(0)) // 重办 rounds
    .addColumn('matter_id', 'integer') // the supervised matter it was escalated into
    .addColumn('source_ref', 'text') // the ledger number it came with from an import
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problems_owner').on('problems').columns(['owner_unit_id', 'status']).execute();
  await db.schema.createIndex('problems_raised').on('problems').column('raised_unit_id').execute();
  await db.schema.createIndex('problems_status').on('problems').columns(['status', 'received_on']).execute();
  await db.schema.createIndex('problems_enterprise').on('problems').column('enterprise_id').execute();
  await db.schema.createIndex('problems_project').on('problems').columns(['project_id', 'status']).execute();

  await db.schema.createTable('problem_co_units')
    .addColumn('problem_id', 'integer', (c) => c.notNull().references('problems.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('problem_co_units_pk', ['problem_id', 'unit_id'])
    .execute();

  // One row per reply and its return visit: the rounds a 重办 adds.
  await withId(db, db.schema.createTable('problem_rounds'))
    .addColumn('problem_id', 'integer', (c) => c.notNull().references('problems.id'))
    .addColumn('round', 'integer', (c) => c.notNull()) // 1, then 2 after the first 重办 …
    .addColumn('reply', 'text', (c) => c.notNull())
    .addColumn('replied_on', 'text', (c) => c.notNull())
    .addColumn('replied_by', 'integer', (c) => c.references('users.id'))
    .addColumn('visit_result', 'text')
    .addColumn('visit_note', 'text')
    .addColumn('visited_on', 'text')
    .addColumn('visited_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('problem_rounds_problem').on('problem_rounds').columns(['problem_id', 'round']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['problem_rounds', 'problem_co_units', 'problems', 'problem_time_limits', 'problem_categories']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
