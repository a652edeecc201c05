import crypto from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { extensionOf, type ImageMime } from '../../../core/image-type.ts';
import { AppError } from '../../errors.ts';
import type { FileStore } from '../files/index.ts';

const FORMAT: Record<ImageMime, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

/** Thumbnails for lists: at most this many pixels on the long side, JPEG. */
const THUMB_EDGE = 320;

export interface StoredPhoto {
  file_path: string;
  thumb_path: string;
  width: number | null;
  height: number | null;
  sha256: string;
}

/**
 * Site photos under 'uploads/reports/<report id>/' with a thumbnail beside each, kept in the database's file store
 * so that every server sharing the database serves them (photos stored on disk by earlier versions still read).
 */
export class PhotoStore {
  private readonly files: FileStore;
  constructor(files: FileStore) {
    this.files = files;
  }

  /** Writes the photo and its thumbnail; refuses bytes that look like an image but do not decode as one. */
  async save(reportId: number, data: Buffer, mime: ImageMime): Promise<StoredPhoto> {
    let thumb: Buffer;
    let width: number | null;
    let height: number | null;
    try {
      const meta = await sharp(data).metadata();
      if (meta.format !== FORMAT[mime]) throw new Error(`decoded as ${meta.format}`);
      // Orientation 5–8 means the camera stored the picture turned by 90°.
      const turned = (meta.orientation ?? 1) >= 5;
      width = (turned ? meta.height : meta.width) ?? null;
      height = (turned ? meta.width : meta.height) ?? null;
      thumb = await sharp(data).rotate().resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 78 }).toBuffer();
    } catch {
      throw new AppError('validation_failed', '图片已损坏或无法识别，请重新拍摄或选择其他照片');
    }
    const dir = path.posix.join('uploads', 'reports', String(reportId));
    const name = crypto.randomUUID();
    const file_path = path.posix.join(dir, `${name}.${extensionOf(mime)}`);
    const thumb_path = path.posix.join(dir, `${name}.thumb.jpg`);
    await this.files.put(file_path, data);
    await this.files.put(thumb_path, thumb);
    return { file_path, thumb_path, width, height, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  }

  /** A stored photo's bytes; refuses keys outside the uploads folder. */
  async read(key: string): Promise<Buffer> {
    if (!key.startsWith('uploads/') || key.includes('..')) throw new AppError('not_found', '照片不存在');
    const data = await this.files.read(key);
    if (!data) throw new AppError('not_found', '照片文件不存在');
    return data;
  }

  /** Removes stored files, ignoring ones already gone. */
  async remove(keys: string[]): Promise<void> {
    await this.files.remove(keys);
  }
}
