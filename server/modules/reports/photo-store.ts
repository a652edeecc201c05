import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { extensionOf, type ImageMime } from '../../../core/image-type.ts';
import { AppError } from '../../errors.ts';

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

/** Site photos on disk under <dataDir>/uploads/reports/<report id>/, with a thumbnail beside each. */
export class PhotoStore {
  private readonly dataDir: string;
  constructor(dataDir: string) {
    this.dataDir = dataDir;
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
    const dir = path.join('uploads', 'reports', String(reportId));
    fs.mkdirSync(path.join(this.dataDir, dir), { recursive: true });
    const name = crypto.randomUUID();
    const file_path = path.join(dir, `${name}.${extensionOf(mime)}`);
    const thumb_path = path.join(dir, `${name}.thumb.jpg`);
    await fs.promises.writeFile(path.join(this.dataDir, file_path), data, { flag: 'wx' });
    await fs.promises.writeFile(path.join(this.dataDir, thumb_path), thumb, { flag: 'wx' });
    return { file_path, thumb_path, width, height, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  }

  /** Absolute path of a stored file; refuses anything that would leave the uploads folder. */
  absolute(relative: string): string {
    const root = path.join(this.dataDir, 'uploads');
    const full = path.resolve(this.dataDir, relative);
    if (!full.startsWith(root + path.sep)) throw new AppError('not_found', '照片不存在');
    return full;
  }

  /** Removes stored files, ignoring ones already gone. */
  async remove(relatives: string[]): Promise<void> {
    await Promise.all(relatives.map((r) => fs.promises.rm(this.absolute(r), { force: true })));
  }
}
