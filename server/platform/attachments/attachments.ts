// Attachments of any entity (a matter's 佐证材料, a feedback's photos, a meeting's minutes …). The metadata is an
// `attachments` row keyed by (owner_type, owner_id); the bytes go to the database's file store (stored_files, the
// files module's FileStore), so every server reaches them. The platform never imports a module: the caller hands
// in the store (`(db) => new FileStore(db, null)` from modules/files/index.ts), bound to its transaction so that the
// row and the bytes commit together.
import crypto from 'node:crypto';
import type { Executor } from '../../db/database.ts';

/** What attachments need of a file store: the files module's FileStore fits. */
export interface BlobStore {
  put(key: string, data: Buffer): Promise<void>;
  read(key: string): Promise<Buffer | undefined>;
  remove(keys: string[]): Promise<void>;
}

/** An attachment as listed. */
export interface Attachment {
  id: number;
  ownerType: string;
  ownerId: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: number | null;
  uploadedAt: string;
}

/** A refused upload, with a Chinese message. */
export class AttachmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentError';
  }
}

/** File types offices exchange (公文、表格、照片、扫描件、OFD 版式文件、压缩包) and how they are served. */
export const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf', ofd: 'application/ofd',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', wps: 'application/vnd.ms-works',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', et: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  txt: 'text/plain; charset=utf-8', zip: 'application/zip', rar: 'application/vnd.rar', '7z': 'application/x-7z-compressed',
};

/** The default size bound of one attachment. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Attaches a file to an entity in the caller's transaction: checks the type (by extension) and the size, writes the
 * bytes under 'attachments/<owner_type>/<owner_id>/<uuid>.<ext>' and the row. Returns the attachment.
 */
export async function addAttachment(trx: Executor, store: BlobStore, input: {
  ownerType: string; ownerId: number; fileName: string; data: Buffer; uploadedBy: number | null; at: Date; maxBytes?: number;
}): Promise<Attachment> {
  const name = input.fileName.trim() || '附件';
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const contentType = ATTACHMENT_TYPES[ext];
  if (!contentType) throw new AttachmentError(`不支持的附件类型“${ext ? `.${ext}` : name}”，可上传：${Object.keys(ATTACHMENT_TYPES).join('、')}`);
  const max = input.maxBytes ?? ATTACHMENT_MAX_BYTES;
  if (input.data.length === 0) throw new AttachmentError(`附件“${name}”是空文件`);
  if (input.data.length > max) throw new AttachmentError(`附件“${name}”超过上限 ${Math.round(max / 1024 / 1024)} MB`);
  const key = `attachments/${input.ownerType}/${input.ownerId}/${crypto.randomUUID()}.${ext}`;
  await store.put(key, input.data);
  const at = input.at.toISOString();
  const sha256 = crypto.createHash('sha256').update(input.data).digest('hex');
  const row = await trx.insertInto('attachments').values({
    owner_type: input.ownerType, owner_id: input.ownerId, file_key: key, file_name: name.slice(0, 200), content_type: contentType,
    size_bytes: input.data.length, sha256, uploaded_by: input.uploadedBy, uploaded_at: at, deleted_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, ownerType: input.ownerType, ownerId: input.ownerId, fileName: name.slice(0, 200), contentType, sizeBytes: input.data.length, sha256, uploadedBy: input.uploadedBy, uploadedAt: at };
}

type Row = { id: number; owner_type: string; owner_id: number; file_name: string; content_type: string; size_bytes: number; sha256: string; uploaded_by: number | null; uploaded_at: string };
const toAttachment = (r: Row): Attachment => ({
  id: r.id, ownerType: r.owner_type, ownerId: r.owner_id, fileName: r.file_name, contentType: r.content_type,
  sizeBytes: Number(r.size_bytes), sha256: r.sha256, uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at,
});
const COLUMNS = ['id', 'owner_type', 'owner_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_by', 'uploaded_at'] as const;

/** The live attachments of an entity (or of several entities of one type), oldest first. */
export async function listAttachments(db: Executor, ownerType: string, ownerIds: number | readonly number[]): Promise<Attachment[]> {
  const ids = typeof ownerIds === 'number' ? [ownerIds] : [...ownerIds];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('attachments').select(COLUMNS)
    .where('owner_type', '=', ownerType).where('owner_id', 'in', ids).where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.map(toAttachment);
}

/** One live attachment with its file key, or undefined. */
export async function findAttachment(db: Executor, id: number): Promise<(Attachment & { fileKey: string }) | undefined> {
  const r = await db.selectFrom('attachments').select([...COLUMNS, 'file_key']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? { ...toAttachment(r), fileKey: r.file_key } : undefined;
}

/** An attachment's bytes (undefined when the file is gone). */
export async function readAttachment(store: BlobStore, attachment: { fileKey: string }): Promise<Buffer | undefined> {
  return store.read(attachment.fileKey);
}

/** Removes an attachment from its entity (the row is kept, marked deleted, for the record; the bytes stay). */
export async function removeAttachment(trx: Executor, id: number, at: Date): Promise<boolean> {
  const r = await trx.updateTable('attachments').set({ deleted_at: at.toISOString() }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
