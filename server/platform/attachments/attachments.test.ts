import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { FileStore } from '../../modules/files/index.ts';
import { inTransaction } from '../tx.ts';
import { addAttachment, AttachmentError, findAttachment, listAttachments, readAttachment, removeAttachment } from './attachments.ts';

const at = new Date('2026-12-07T02:00:00Z');

describe.each(DIALECTS)('attachments on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  it('stores bytes in the database file store with the row, in one transaction', async () => {
    const db = database.db;
    const data = Buffer.from('%PDF-1.4 会议纪要');
    const a = await inTransaction(db, (trx) => addAttachment(trx, new FileStore(trx, null), { ownerType: 'meeting', ownerId: 3, fileName: '第12次调度会纪要.pdf', data, uploadedBy: 1, at }));
    expect(a).toMatchObject({ fileName: '第12次调度会纪要.pdf', contentType: 'application/pdf', sizeBytes: data.length });
    const found = (await findAttachment(db, a.id))!;
    expect(found.fileKey).toMatch(/^attachments\/meeting\/3\/[0-9a-f-]+\.pdf$/);
    expect(await readAttachment(new FileStore(db, null), found)).toEqual(data);
    expect((await listAttachments(db, 'meeting', [3, 4])).map((x) => x.id)).toEqual([a.id]);
    // A rollback keeps neither the row nor the bytes.
    await expect(inTransaction(db, async (trx) => {
      await addAttachment(trx, new FileStore(trx, null), { ownerType: 'meeting', ownerId: 4, fileName: 'a.png', data: Buffer.from('x'), uploadedBy: 1, at });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await listAttachments(db, 'meeting', 4)).toEqual([]);
    expect(await new FileStore(db, null).listKeys('attachments/meeting/4/')).toEqual([]);
    expect(await inTransaction(db, (trx) => removeAttachment(trx, a.id, at))).toBe(true);
    expect(await listAttachments(db, 'meeting', 3)).toEqual([]);
  });

  it('refuses unknown types, empty and oversized files in Chinese', async () => {
    const db = database.db;
    const add = (fileName: string, data: Buffer, maxBytes?: number) => inTransaction(db, (trx) => addAttachment(trx, new FileStore(trx, null), { ownerType: 'matter', ownerId: 1, fileName, data, uploadedBy: 1, at, maxBytes }));
    await expect(add('run.exe', Buffer.from('MZ'))).rejects.toThrow(/不支持的附件类型“\.exe”/);
    await expect(add('空.docx', Buffer.alloc(0))).rejects.toThrow(AttachmentError);
    await expect(add('大.jpg', Buffer.alloc(11), 10)).rejects.toThrow(/超过上限/);
  });
});
