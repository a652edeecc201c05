import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildRegions } from '../../../test/factories.ts';
import { down, up } from '../../db/migrations/2026-12-08-70-visit-photo-attachments.ts';
import { listAttachments } from '../../platform/attachments/attachments.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

// Visit photos moved from their own table to the platform's attachments (migration 2026-12-08-70): existing rows
// are carried over with their bytes untouched and the table is dropped.
describe.each(DIALECTS)('visit photos become attachments on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  it('carries each existing photo over with its file key and SHA-256, then drops the old table', async () => {
    const db = database.db as unknown as Parameters<typeof up>[0];
    await buildRegions(database.db);
    // The database as it stood before the migration: the old table with a photo whose bytes are in stored_files.
    await down(db);
    const now = '2026-03-02T02:00:00.000Z';
    const ent = await db.insertInto('enterprises').values({ name: '迁移测试企业', region_code: '320506', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const visit = await db.insertInto('enterprise_visits').values({ enterprise_id: ent.id, visited_on: '2026-03-01', visitors: '李干部', content: '了解用地需求', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const key = `uploads/visits/${visit.id}/old-photo.jpg`;
    await db.insertInto('stored_files').values({ key, part: 0, content: JPEG, created_at: now }).execute();
    await db.insertInto('enterprise_visit_photos').values({ visit_id: visit.id, file_key: key, mime: 'image/jpeg', size: JPEG.length, created_by: null, created_at: now }).execute();

    await up(db);
    const [a] = await listAttachments(database.db, 'enterprise_visit', visit.id);
    expect(a).toMatchObject({ ownerType: 'enterprise_visit', ownerId: visit.id, contentType: 'image/jpeg', sizeBytes: JPEG.length, uploadedAt: now, sha256: crypto.createHash('sha256').update(JPEG).digest('hex') });
    expect(a!.fileName).toMatch(/^走访照片-\d+\.jpg$/);
    const row = await db.selectFrom('attachments').select('file_key').where('id', '=', a!.id).executeTakeFirstOrThrow();
    expect(row.file_key).toBe(key);
    await expect(db.selectFrom('enterprise_visit_photos').selectAll().execute()).rejects.toThrow();
  });
});
