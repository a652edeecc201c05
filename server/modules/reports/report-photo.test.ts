import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, makeImage, multipart, type TestApp } from '../../../test/reporting.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { FileStore } from '../files/index.ts';

describe.each(DIALECTS)('report photos on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let reportId: number;
  const upload = (cookie: LoginHeaders, id: number, files: Array<{ filename: string; data: Buffer; type?: string }>) => {
    const body = multipart(files);
    return t.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/photos`, headers: { ...cookie, ...body.headers }, payload: body.payload });
  };
  // Photos live in the database's file store (every server reads them), keyed under uploads/reports/<report id>/.
  const storedFiles = async () => (await new FileStore(t.db, null).listKeys(`uploads/reports/${reportId}/`)).map((k) => path.posix.basename(k)).sort();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } });
    await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/5', headers: w.office, payload: { status: 'open' } });
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${w.pa1}/reports/2026/5`, headers: w.reporterA, payload: { amount_month: 1 } });
    reportId = res.json().id;
  });
  afterAll(async () => t?.close());

  it('stores JPEG, PNG and WebP under the data directory with the type read from the bytes', async () => {
    const jpeg = await makeImage('jpeg', 1600, 1200);
    const res = await upload(w.reporterA, reportId, [
      { filename: 'IMG_0001.JPG', data: jpeg },
      { filename: 'plan.png', data: await makeImage('png', 400, 300), type: 'application/octet-stream' },
      // Named .jpg but really WebP: the bytes decide.
      { filename: 'mislabelled.jpg', data: await makeImage('webp', 300, 200) },
    ]);
    expect(res.statusCode).toBe(201);
    const items = res.json().items;
    expect(items.map((p: { mime: string }) => p.mime)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(items[0]).toMatchObject({ width: 1600, height: 1200, bytes: jpeg.length, original_name: 'IMG_0001.JPG', url: `/api/v1/report-photos/${items[0].id}` });
    expect(items[0]).not.toHaveProperty('file_path');
    const files = await storedFiles();
    expect(files.filter((f) => f.endsWith('.thumb.jpg'))).toHaveLength(3);
    expect(files.filter((f) => /\.(jpg|png|webp)$/.test(f) && !f.includes('.thumb.'))).toHaveLength(3);
    expect(files.some((f) => f.includes('IMG_0001') || f.includes('mislabelled'))).toBe(false);
  });

  it('refuses a renamed executable and anything that is not a real image, storing nothing', async () => {
    const before = await storedFiles();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(2048, 0x41)]);
    const res = await upload(w.reporterA, reportId, [{ filename: '现场照片.jpg', data: exe, type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('文件“现场照片.jpg”不是 JPEG、PNG 或 WebP 格式的图片，已拒绝');
    // A good photo together with a bad one: neither is kept.
    const mixed = await upload(w.reporterA, reportId, [{ filename: 'ok.jpg', data: await makeImage() }, { filename: 'evil.png', data: exe }]);
    expect(mixed.statusCode).toBe(400);
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 0x13)]);
    const corrupt = await upload(w.reporterA, reportId, [{ filename: 'broken.jpg', data: broken }]);
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().error.message).toContain('已损坏');
    expect(await storedFiles()).toEqual(before);
    expect((await t.app.inject({ url: `/api/v1/reports/${reportId}/photos`, headers: w.reporterA })).json().items).toHaveLength(3);
  });

  it('refuses a photo over 10 MB with a Chinese 413, and a request that is not multipart', async () => {
    const huge = Buffer.concat([await makeImage(), Buffer.alloc(10 * 1024 * 1024 + 1, 0)]);
    const res = await upload(w.reporterA, reportId, [{ filename: 'huge.jpg', data: huge }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain('10MB');
    const json = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/photos`, headers: w.reporterA, payload: { a: 1 } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.message).toContain('multipart');
  });

  it('keeps at most nine photos per report', async () => {
    const six = await Promise.all(Array.from({ length: 6 }, async (_, i) => ({ filename: `p${i}.jpg`, data: await makeImage('jpeg', 64, 64) })));
    const tooMany = await upload(w.reporterA, reportId, [...six, { filename: 'p7.jpg', data: await makeImage('jpeg', 64, 64) }]);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.message).toContain('最多 9 张照片，已有 3 张');
    expect((await upload(w.reporterA, reportId, six)).statusCode).toBe(201);
    const tenth = await upload(w.reporterA, reportId, [{ filename: 'p10.jpg', data: await makeImage('jpeg', 64, 64) }]);
    expect(tenth.statusCode).toBe(422);
  });

  it('serves the original and a small JPEG thumbnail only through the authorized route', async () => {
    const photo = (await t.app.inject({ url: `/api/v1/reports/${reportId}/photos`, headers: w.reporterA })).json().items[0];
    const full = await t.app.inject({ url: photo.url, headers: w.office });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.length).toBe(photo.bytes);
    const thumb = await t.app.inject({ url: photo.thumb_url, headers: w.leader });
    expect(thumb.statusCode).toBe(200);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width, meta.height)).toBe(320);
    expect(thumb.rawPayload.length).toBeLessThan(photo.bytes);
    expect((await t.app.inject({ url: photo.url })).statusCode).toBe(401);
    expect((await t.app.inject({ url: photo.url, headers: w.reporterB })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/uploads/reports/${reportId}/` })).statusCode).toBe(404);
  });

  it("answers 404 for another unit's photos and report, and deletes only while the report is editable", async () => {
    const photo = (await t.app.inject({ url: `/api/v1/reports/${reportId}/photos`, headers: w.reporterA })).json().items[0];
    expect((await t.app.inject({ url: `/api/v1/reports/${reportId}/photos`, headers: w.reporterB })).statusCode).toBe(404);
    expect((await upload(w.reporterB, reportId, [{ filename: 'x.jpg', data: await makeImage() }])).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-photos/${photo.id}`, headers: w.reporterB })).statusCode).toBe(404);
    const count = (await storedFiles()).length;
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/report-photos/${photo.id}`, headers: w.reporterA });
    expect(del.statusCode).toBe(204);
    expect(await storedFiles()).toHaveLength(count - 2);
    expect((await t.app.inject({ url: photo.url, headers: w.reporterA })).statusCode).toBe(404);
  });

  it('serves a photo uploaded through one server from another server on the same database (its own data directory)', async () => {
    const upload1 = await upload(w.reporterA, reportId, [{ filename: 'site.jpg', data: await makeImage('jpeg', 640, 480) }]);
    expect(upload1.statusCode, upload1.body).toBe(201);
    const photo = upload1.json().items.at(-1) as { id: number };
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-other-'));
    const config = loadConfig({ ...t.config, dataDir: otherDir }, {});
    // The same database (PostgreSQL, or the same SQLite file), its own pool and its own data directory for files.
    const database = openDatabase(t.config);
    const other = await buildApp(config, database);
    try {
      for (const size of ['full', 'thumb']) {
        const res = await other.inject({ url: `/api/v1/report-photos/${photo.id}?size=${size}`, headers: w.leader });
        expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
        expect(res.headers['content-type']).toBe('image/jpeg');
        const meta = await sharp(res.rawPayload).metadata();
        if (size === 'full') expect(meta.width).toBe(640);
        else expect(meta.width).toBeLessThanOrEqual(320);
      }
    } finally {
      await other.close();
      await database.destroy();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
