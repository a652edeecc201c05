import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Issue 17: node plans (倒排工期). A project has at most one plan (node_plans.project_id unique) with a target date
// that the schedule counts backwards from and an optional start date it counts forwards from; its nodes
// (plan_nodes) each have a responsible unit, a duration in working days, the evidence it needs and a status moved
// by the tracked-item engine (status_log, deadlines, attachments, feedback_entries as entity 'plan_node').
// Predecessors are rows of plan_node_links (a node may depend on several: parallel branches join). An overdue node
// becomes one supervised matter only (node_matter_links.node_id unique, as report_matter_links).
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('node_plans'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('target_on', 'text')
    .addColumn('target_label', 'text', (c) => c.notNull())
    .addColumn('start_on', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('node_plans_project').unique().on('node_plans').column('project_id').execute();
  await withId(db, db.schema.createTable('plan_nodes'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('node_plans.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('duration_days', 'integer', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text')
    .addColumn('completed_by', 'integer')
    .addColumn('confirmed_on', 'text')
    .addColumn('confirmed_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_nodes_plan').on('plan_nodes').columns(['plan_id', 'position']).execute();
  await withId(db, db.schema.createTable('plan_node_links'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id').onDelete('cascade'))
    .addColumn('predecessor_id', 'integer', (c) => c.notNull().references('plan_nodes.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('plan_node_links_pair').unique().on('plan_node_links').columns(['node_id', 'predecessor_id']).execute();
  await withId(db, db.schema.createTable('node_matter_links'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id').onDelete('cascade'))
    .addColumn('matter_id', 'integer', (c) => c.notNull().references('matters.id'))
    .addColumn('matter_number', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('node_matter_links_node').unique().on('node_matter_links').column('node_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('node_matter_links').execute();
  await db.schema.dropTable('plan_node_links').execute();
  await db.schema.dropTable('plan_nodes').execute();
  await db.schema.dropTable('node_plans').execute();
}
