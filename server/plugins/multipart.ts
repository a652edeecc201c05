import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '../errors.ts';

/**
 * Registers @fastify/multipart once. Guarded so that several features may call it (registering the plugin
 * twice throws); each route passes its own size limit to readUpload.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  if (app.hasContentTypeParser('multipart/form-data')) return;
  await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
}

/** The single uploaded file of a multipart request, refused when missing or larger than maxBytes. */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<{ fileName: string; buffer: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw new AppError('bad_request', '请以 multipart/form-data 方式上传文件（字段名 file）');
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw new AppError('bad_request', '没有收到文件，请选择要导入的文件');
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', `文件超过上限 ${Math.round(maxBytes / 1024 / 1024)} MB，请拆分后分批导入`);
    }
    throw err;
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(part.fields)) {
    const field = Array.isArray(v) ? v[0] : v;
    if (field && field.type === 'field' && typeof field.value === 'string') fields[k] = field.value;
  }
  return { fileName: decodeFileName(part.filename), buffer, fields };
}

/**
 * The uploaded file's name as the user saw it. Browsers and clients send it raw or percent-encoded
 * ("%E9%A1%B9%E7%9B%AE.xlsx"); a name that is not valid percent-encoded UTF-8 is kept as sent. Folders (a
 * "C:\fakepath\" prefix), control characters and bidi overrides are dropped, and the length bounded, because the
 * name is shown in reports and written to the audit trail.
 */
export function decodeFileName(raw: string | undefined): string {
  let name = raw ?? '';
  if (/%[0-9a-f]{2}/i.test(name)) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // Not percent-encoding after all (e.g. "100%进度.xlsx"): keep the name as sent.
    }
  }
  name = name.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).trim();
  if ([...name].length > 200) name = [...name].slice(-200).join('');
  return name || 'upload';
}
