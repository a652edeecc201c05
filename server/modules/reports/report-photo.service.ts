import { canDo } from '../../../core/monthly-report.ts';
import { detectImageType, type ImageMime } from '../../../core/image-type.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { PhotoStore, StoredPhoto } from './photo-store.ts';
import { presentPhoto } from './monthly-report.service.ts';
import type { PhotoRow, ReportRepository, ReportRow } from './report.repository.ts';

/** What the audit trail keeps of a photo: its metadata, never the bytes or the stored path. */
function photoMeta(p: PhotoRow) {
  return { id: p.id, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, sha256: p.sha256, original_name: p.original_name, uploaded_by: p.uploaded_by };
}

/** At most nine site photos per report (形象进度照片). */
export const MAX_PHOTOS = 9;
/** Largest photo accepted, in bytes. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** An uploaded file as the route read it. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** Site photos of a report: upload (type from the bytes), list, serve within scope, delete while editable. */
export class ReportPhotoService {
  private readonly deps: Deps;
  private readonly repos: (db: Executor) => ReportRepository;
  private readonly repo: ReportRepository;
  private readonly store: PhotoStore;
  constructor(deps: Deps, repos: (db: Executor) => ReportRepository, store: PhotoStore) {
    this.deps = deps;
    this.repos = repos;
    this.repo = repos(deps.db);
    this.store = store;
  }

  /** The report when in scope and its photos may still change (period open, report draft or returned). */
  private async editableReport(actor: Actor, reportId: number): Promise<ReportRow> {
    const report = await this.repo.findReportInScope(reportId, actor.scope);
    if (!report) throw notFound('月报');
    const period = await this.repo.findPeriod(report.year, report.month);
    if (period?.status !== 'open') throw new AppError('conflict', `${report.year}年${report.month}月填报期未开放或已关闭，照片不能增删`);
    if (!canDo(report.status, 'edit')) {
      throw new AppError('conflict', '月报已提交或已审核，照片不能再增删；如需修改请先退回');
    }
    return report;
  }

  async listPhotos(actor: Actor, reportId: number) {
    const report = await this.repo.findReportInScope(reportId, actor.scope);
    if (!report) throw notFound('月报');
    return { items: (await this.repo.listPhotos(reportId)).map(presentPhoto) };
  }

  /** Stores the files as photos of the report; every file must really be a JPEG, PNG or WebP image. */
  async addPhotos(actor: Actor, reportId: number, files: UploadedFile[]) {
    if (files.length === 0) throw new AppError('validation_failed', '请选择要上传的照片');
    const report = await this.editableReport(actor, reportId);
    const existing = await this.repo.countPhotos(report.id);
    if (existing + files.length > MAX_PHOTOS) {
      throw new AppError('unprocessable', `每份月报最多 ${MAX_PHOTOS} 张照片，已有 ${existing} 张，本次最多还能上传 ${Math.max(0, MAX_PHOTOS - existing)} 张`);
    }
    const typed: Array<UploadedFile & { mime: ImageMime }> = [];
    for (const file of files) {
      const mime = detectImageType(file.data);
      if (!mime) throw new AppError('validation_failed', `文件“${file.filename}”不是 JPEG、PNG 或 WebP 格式的图片，已拒绝`, [{ path: file.filename }]);
      if (file.data.length > PHOTO_MAX_BYTES) throw new AppError('payload_too_large', `照片“${file.filename}”超过 ${PHOTO_MAX_BYTES / 1024 / 1024}MB`);
      typed.push({ ...file, mime });
    }
    const stored: Array<StoredPhoto & { file: (typeof typed)[number] }> = [];
    try {
      for (const file of typed) stored.push({ ...(await this.store.save(report.id, file.data, file.mime)), file });
      const now = this.deps.clock.now().toISOString();
      await inTransaction(this.deps.db, async (trx) => {
        const repo = this.repos(trx);
        // Count again inside the transaction so two simultaneous uploads cannot pass nine together.
        if ((await repo.countPhotos(report.id)) + stored.length > MAX_PHOTOS) {
          throw new AppError('unprocessable', `每份月报最多 ${MAX_PHOTOS} 张照片`);
        }
        const before = (await repo.listPhotos(report.id)).map(photoMeta);
        for (const s of stored) {
          await repo.insertPhoto({
            report_id: report.id, mime: s.file.mime, bytes: s.file.data.length, width: s.width, height: s.height, sha256: s.sha256,
            file_path: s.file_path, thumb_path: s.thumb_path, original_name: s.file.filename.slice(0, 255) || null,
            uploaded_by: actor.userId, created_at: now,
          });
        }
        await this.deps.audit.record(trx, actor, {
          action: 'report.photo_upload', entityType: 'report', entityId: report.id,
          before, after: (await repo.listPhotos(report.id)).map(photoMeta), details: { added: stored.length },
        });
      });
    } catch (err) {
      await this.store.remove(stored.flatMap((s) => [s.file_path, s.thumb_path]));
      throw err;
    }
    return this.listPhotos(actor, report.id);
  }

  /** The file to send for a photo in scope (404 otherwise): the original or its thumbnail. */
  async getPhotoFile(actor: Actor, photoId: number, size: 'full' | 'thumb'): Promise<{ data: Buffer; mime: string }> {
    const photo = await this.repo.findPhotoInScope(photoId, actor.scope);
    if (!photo) throw notFound('照片');
    return size === 'thumb' ? { data: await this.store.read(photo.thumb_path), mime: 'image/jpeg' } : { data: await this.store.read(photo.file_path), mime: photo.mime };
  }

  async deletePhoto(actor: Actor, photoId: number): Promise<void> {
    const photo = await this.repo.findPhotoInScope(photoId, actor.scope);
    if (!photo) throw notFound('照片');
    await this.editableReport(actor, photo.report_id);
    await inTransaction(this.deps.db, async (trx) => {
      await this.repos(trx).deletePhoto(photo.id);
      await this.deps.audit.record(trx, actor, {
        action: 'report.photo_delete', entityType: 'report', entityId: photo.report_id, before: photoMeta(photo), after: null, details: { photo_id: photo.id },
      });
    });
    await this.store.remove([photo.file_path, photo.thumb_path]);
  }
}
