import type { Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.ts';

// Bulletins (通报/快报): templates as data, bulletins moving draft → reviewing → issued, and one row per issued
// version holding the frozen figures (JSON) and the .docx bytes. A corrected re-issue adds a version; none is
// ever overwritten.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('bulletin_templates'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull()) // the template JSON (core/bulletins/template.ts)
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await withId(db, db.schema.createTable('bulletins'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    .addColumn('template_id', 'integer', (c) => c.references('bulletin_templates.id')) // null: the built-in default
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | reviewing | issued
    .addColumn('issue_no', 'integer') // 第N期, from the sequence at the first signature
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('correction_note', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('submitted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('bulletins_period').on('bulletins').columns(['year', 'month']).execute();

  await withId(db, db.schema.createTable('bulletin_versions'))
    .addColumn('bulletin_id', 'integer', (c) => c.notNull().references('bulletins.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('issue_no', 'integer', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, China time
    .addColumn('figures', 'text', (c) => c.notNull()) // BulletinFigures JSON
    .addColumn('template', 'text', (c) => c.notNull()) // the template JSON as signed
    .addColumn('docx', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('docx_sha256', 'text', (c) => c.notNull())
    .addColumn('correction_note', 'text')
    .addColumn('submitted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('signed_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bulletin_versions_revision', ['bulletin_id', 'revision'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bulletin_versions').execute();
  await db.schema.dropTable('bulletins').execute();
  await db.schema.dropTable('bulletin_templates').execute();
}
