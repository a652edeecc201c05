import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/db.ts';
import { createTestApp } from '../../test/app.ts';

/**
 * Routes whose 2xx answer deliberately has no response schema, with the reason. The list only shrinks: a route on it
 * that gains a schema fails the test until it is taken off, and a new route without one fails it until it has one.
 */
const FILE = 'a file download: the body is the file (xlsx, docx, pdf, an image or an attachment), not JSON';
const EXCLUDED: Record<string, string> = {
  // File downloads.
  'GET /api/v1/problems.xlsx': FILE, 'GET /api/v1/matters.xlsx': FILE, 'GET /api/v1/attraction/export.xlsx': FILE,
  'GET /api/v1/problem-figures.xlsx': FILE, 'GET /api/v1/projects/{id}/node-plan.xlsx': FILE, 'GET /api/v1/meetings.xlsx': FILE, 'GET /api/v1/batches.xlsx': FILE,
  'GET /api/v1/exports/projects.xlsx': FILE, 'GET /api/v1/exports/monthly-progress.xlsx': FILE, 'GET /api/v1/exports/indicators.xlsx': FILE,
  'GET /api/v1/exports/lights.xlsx': FILE, 'GET /api/v1/exports/review-queue.xlsx': FILE, 'GET /api/v1/exports/missing.xlsx': FILE,
  'GET /api/v1/bulletins/ranking.xlsx': FILE, 'GET /api/v1/bulletins/{id}/document.docx': FILE, 'GET /api/v1/bulletins/{id}/document.pdf': FILE,
  'GET /api/v1/bulletins/{id}/versions/{revision}/document.docx': FILE, 'GET /api/v1/bulletins/{id}/versions/{revision}/document.pdf': FILE,
  'GET /api/v1/evaluation/months/{year}/{month}/sheet.xlsx': FILE, 'GET /api/v1/evaluation/months/{year}/{month}/sheet.docx': FILE,
  'GET /api/v1/batches/{id}/sheet.docx': FILE, 'GET /api/v1/batches/{id}/sheet.xlsx': FILE, 'GET /api/v1/imports/templates/{kind}': FILE,
  'GET /api/v1/report-photos/{id}': FILE, 'GET /api/v1/enterprise-visit-photos/{photoId}': FILE, 'GET /api/v1/attachments/{id}': FILE,
  'GET /api/v1/matters/{id}/letters/{letterId}': FILE, 'GET /api/v1/attraction/leads/{id}/files/{fileId}': FILE,
};

type Operation = { responses?: Record<string, { content?: unknown }> };

describe.each(DIALECTS)('OpenAPI response schemas on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => { t = await createTestApp(dialect); });
  afterAll(async () => t?.close());

  it('declares a response schema for the 2xx answer of every route but the listed exceptions (issue 15)', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const missing: string[] = [];
    const covered: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        const hasSchema = Object.entries(operation.responses ?? {}).some(([status, r]) => status.startsWith('2') && r.content !== undefined);
        if (!hasSchema && !(key in EXCLUDED)) missing.push(key);
        if (hasSchema && key in EXCLUDED) covered.push(key);
      }
    }
    expect(missing, 'routes without a response schema for their 2xx answer').toEqual([]);
    expect(covered, 'listed as excluded but now declare a schema: take them off EXCLUDED').toEqual([]);
    const known = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect(Object.keys(EXCLUDED).filter((k) => !known.has(k)), 'excluded routes that no longer exist').toEqual([]);
  });
});
