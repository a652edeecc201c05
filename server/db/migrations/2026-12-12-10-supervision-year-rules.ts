import type { Kysely } from 'kysely';

// Issue 17 (escalation rules per year): the office's escalation rules of one year (交办函 on creation, the ladder of
// the completion deadline, the missed-feedback ladder, the letter each step issues), as one JSON value, checked by
// the service. A matter follows the rules of its year (督办〔年〕N号); a year without a row follows the nearest earlier
// year's, and before any, the supervision_settings values (the office's defaults, the common ones unless changed).
// `version` moves on every save: a save made on an older one is refused (no lost update between two clerks).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('supervision_year_rules')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('supervision_year_rules').execute();
}
