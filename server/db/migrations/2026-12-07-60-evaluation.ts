import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Unit evaluation (考评): schemes as versioned data per year, hand-entered values with evidence and review, monthly
// snapshots (讲评) frozen when published, objections (异议/复核), the 加分/扣分 ledger, outcomes, and how upper levels
// rank us. Scores are stored as exact fractions 'num/den' inside the snapshot JSON; ledger points as integer
// hundredths; money (reward amounts) as integer yuan.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('eval_schemes'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull()) // 1, 2 … within the year
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | adopted | retired
    .addColumn('body', 'text', (c) => c.notNull()) // the Scheme JSON (core/evaluation/scheme.ts)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('adopted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('adopted_at', 'text')
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('eval_schemes_year_version', ['year', 'version'])
    .execute();

  await withId(db, db.schema.createTable('eval_entries'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('item_key', 'text', (c) => c.notNull()) // the scheme leaf's key
    .addColumn('value', 'text', (c) => c.notNull()) // exact decimal text
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected
    .addColumn('entered_by', 'integer', (c) => c.references('users.id'))
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addUniqueConstraint('eval_entries_key', ['year', 'month', 'unit_id', 'item_key'])
    .execute();

  await withId(db, db.schema.createTable('eval_snapshots'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('eval_schemes.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | objection | published
    .addColumn('body', 'text', (c) => c.notNull()) // SnapshotBody JSON
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('objection_until', 'text') // YYYY-MM-DD, China time
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .addColumn('published_at', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)) // published corrections
    .addUniqueConstraint('eval_snapshots_period', ['year', 'month'])
    .execute();

  await withId(db, db.schema.createTable('eval_objections'))
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('eval_snapshots.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | accepted | rejected
    .addColumn('reply', 'text')
    .addColumn('raised_by', 'integer', (c) => c.references('users.id'))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('handled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('handled_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('eval_ledger'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('points_hundredths', 'integer', (c) => c.notNull()) // +250 = 加2.5分, −300 = 扣3分
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text', (c) => c.notNull()) // 文号
    .addColumn('approver', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eval_ledger_period').on('eval_ledger').columns(['year', 'month']).execute();

  await withId(db, db.schema.createTable('eval_outcomes'))
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('eval_snapshots.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // reward | interview (约谈) | criticism (通报批评)
    .addColumn('amount', 'bigint') // reward in integer yuan
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('eval_upper_ranks'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull()) // city | province
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('our_rank', 'integer', (c) => c.notNull())
    .addColumn('unit_count', 'integer', (c) => c.notNull())
    .addColumn('our_score', 'text') // exact decimal text
    .addColumn('leader_score', 'text')
    .addColumn('is_weak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reasons', 'text')
    .addColumn('next_steps', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['eval_upper_ranks', 'eval_outcomes', 'eval_ledger', 'eval_objections', 'eval_snapshots', 'eval_entries', 'eval_schemes']) {
    await db.schema.dropTable(t).execute();
  }
}
