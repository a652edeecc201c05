import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Visit photos (走访照片, issue 18) become platform attachments (owner_type 'enterprise_visit', owner_id the visit):
// each row of enterprise_visit_photos is copied to `attachments` with the same file key (the bytes stay where they
// are in stored_files) and its SHA-256 read from those bytes, then the old table goes.

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

export async function up(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('enterprise_visit_photos').selectAll().where('id', '>', after).orderBy('id').limit(200).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const parts = await db.selectFrom('stored_files').select('content').where('key', '=', r.file_key).orderBy('part').execute();
      const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.content as Uint8Array)));
      await db.insertInto('attachments').values({
        owner_type: 'enterprise_visit', owner_id: r.visit_id, file_key: r.file_key, file_name: `走访照片-${r.id}.${EXT[r.mime] ?? 'jpg'}`,
        content_type: r.mime, size_bytes: Number(r.size), sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        uploaded_by: r.created_by, uploaded_at: r.created_at, deleted_at: null,
      }).execute();
    }
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.dropTable('enterprise_visit_photos').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('enterprise_visit_photos'))
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('enterprise_visits.id'))
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_visit_photos_visit').on('enterprise_visit_photos').column('visit_id').execute();
  const rows = await db.selectFrom('attachments').selectAll().where('owner_type', '=', 'enterprise_visit').orderBy('id').execute();
  for (const r of rows) {
    await db.insertInto('enterprise_visit_photos').values({ visit_id: r.owner_id, file_key: r.file_key, mime: r.content_type, size: r.size_bytes, created_by: r.uploaded_by, created_at: r.uploaded_at }).execute();
  }
  await db.deleteFrom('attachments').where('owner_type', '=', 'enterprise_visit').execute();
}
