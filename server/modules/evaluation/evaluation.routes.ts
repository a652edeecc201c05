import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import { contentDisposition, sendWorkbook } from '../exports/index.ts';
import { sheetDocx, sheetWorkbook } from './evaluation.export.ts';
import type { EvaluationService } from './evaluation.service.ts';
import {
  entryBody, entryReviewBody, idParams, ledgerBody, ledgerQuery, objectionBody, objectionHandleBody, objectionOpenBody, outcomeBody,
  periodParams, previewBody, republishBody, schemeCreateBody, schemeUpdateBody, unitParams, upperRankBody, yearParams, yearQuery,
  unitLineMatterBody, upperRankMatterBody,
} from './evaluation.schema.ts';
import {
  entryListSchema, entrySchema, ledgerLineSchema, ledgerListSchema, monthSchema, previewSchema, schemeListSchema, schemeRowSchema, sourceListSchema, unitDetailSchema,
  upperRankListSchema, upperRankSchema, yearEndSchema,
} from './evaluation.responses.ts';

/** Unit evaluation (考评): schemes, preview, monthly 讲评 snapshots, objections, hand entries, ledger, outcomes. */
export function evaluationRoutes(app: FastifyInstance, service: () => EvaluationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['evaluation'];
  const read = { permission: 'evaluation.read' } as const;
  const write = { permission: 'evaluation.write' } as const;

  r.get('/api/v1/evaluation/sources', { config: read, schema: { tags, response: { 200: sourceListSchema } } }, async () => service().sources());
  r.get('/api/v1/evaluation/schemes', { config: read, schema: { tags, querystring: yearQuery, response: { 200: schemeListSchema } } }, async (q) => service().listSchemes(q.query.year));
  r.get('/api/v1/evaluation/schemes/:id', { config: read, schema: { tags, params: idParams, response: { 200: schemeRowSchema } } }, async (q) => service().getScheme(q.params.id));
  r.post('/api/v1/evaluation/schemes', { config: write, schema: { tags, body: schemeCreateBody, response: { 201: schemeRowSchema } } },
    async (q, reply) => reply.code(201).send(await service().createScheme(actorOf(q), q.body)));
  r.put('/api/v1/evaluation/schemes/:id', { config: write, schema: { tags, params: idParams, body: schemeUpdateBody, response: { 200: schemeRowSchema } } },
    async (q) => service().updateScheme(actorOf(q), q.params.id, q.body));
  r.post('/api/v1/evaluation/schemes/:id/adopt', { config: write, schema: { tags, params: idParams, response: { 200: schemeRowSchema } } }, async (q) => service().adoptScheme(actorOf(q), q.params.id));
  r.post('/api/v1/evaluation/preview', { config: read, schema: { tags, body: previewBody, response: { 200: previewSchema } } }, async (q) => service().preview(q.body));

  r.get('/api/v1/evaluation/months/:year/:month', { config: read, schema: { tags, params: periodParams, response: { 200: monthSchema } } }, async (q) => service().getSnapshot(q.params.year, q.params.month));
  r.get('/api/v1/evaluation/months/:year/:month/units/:unitId', { config: read, schema: { tags, params: unitParams, response: { 200: unitDetailSchema } } },
    async (q) => service().unitDetail(q.params.year, q.params.month, q.params.unitId));
  r.get('/api/v1/evaluation/months/:year/:month/sheet.xlsx', { config: { ...read, audit: true }, schema: { tags, params: periodParams } }, async (q, reply) => {
    const { body, status } = await service().sheet(q.params.year, q.params.month);
    const { fileName, write } = sheetWorkbook(body, status);
    return sendWorkbook(q, reply, fileName, write);
  });
  r.get('/api/v1/evaluation/months/:year/:month/sheet.docx', { config: { ...read, audit: true }, schema: { tags, params: periodParams } }, async (q, reply) => {
    const { body, today } = await service().sheet(q.params.year, q.params.month);
    const { fileName, docx } = await sheetDocx(body, today);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('content-disposition', contentDisposition(fileName)).send(docx);
  });
  r.post('/api/v1/evaluation/months/:year/:month/compute', { config: write, schema: { tags, params: periodParams, response: { 200: monthSchema } } },
    async (q) => service().computeSnapshot(actorOf(q), q.params.year, q.params.month));
  r.post('/api/v1/evaluation/months/:year/:month/objection-window', { config: write, schema: { tags, params: periodParams, body: objectionOpenBody, response: { 200: monthSchema } } },
    async (q) => service().openObjections(actorOf(q), q.params.year, q.params.month, q.body.until));
  r.post('/api/v1/evaluation/months/:year/:month/objections', { config: { permission: 'evaluation.object' }, schema: { tags, params: periodParams, body: objectionBody, response: { 200: monthSchema } } },
    async (q) => service().object(actorOf(q), q.params.year, q.params.month, q.body));
  r.post('/api/v1/evaluation/objections/:id/handle', { config: write, schema: { tags, params: idParams, body: objectionHandleBody, response: { 200: monthSchema } } },
    async (q) => service().handleObjection(actorOf(q), q.params.id, q.body));
  r.post('/api/v1/evaluation/months/:year/:month/publish', { config: { permission: 'evaluation.publish' }, schema: { tags, params: periodParams, response: { 200: monthSchema } } },
    async (q) => service().publish(actorOf(q), q.params.year, q.params.month));
  r.post('/api/v1/evaluation/months/:year/:month/republish', { config: { permission: 'evaluation.publish' }, schema: { tags, params: periodParams, body: republishBody, response: { 200: monthSchema } } },
    async (q) => service().republish(actorOf(q), q.params.year, q.params.month, q.body.reason));
  r.post('/api/v1/evaluation/months/:year/:month/outcomes', { config: write, schema: { tags, params: periodParams, body: outcomeBody, response: { 200: monthSchema } } },
    async (q) => service().addOutcome(actorOf(q), q.params.year, q.params.month, q.body));

  r.get('/api/v1/evaluation/months/:year/:month/entries', { config: read, schema: { tags, params: periodParams, response: { 200: entryListSchema } } }, async (q) => service().listEntries(q.params.year, q.params.month));
  r.put('/api/v1/evaluation/entries', { config: write, schema: { tags, body: entryBody, response: { 200: entrySchema } } }, async (q) => service().putEntry(actorOf(q), q.body));
  r.post('/api/v1/evaluation/entries/:id/review', { config: write, schema: { tags, params: idParams, body: entryReviewBody, response: { 200: entrySchema } } },
    async (q) => service().reviewEntry(actorOf(q), q.params.id, q.body));

  r.get('/api/v1/evaluation/ledger', { config: read, schema: { tags, querystring: ledgerQuery, response: { 200: ledgerListSchema } } }, async (q) => service().listLedger(q.query.year, q.query.month));
  r.post('/api/v1/evaluation/ledger', { config: write, schema: { tags, body: ledgerBody, response: { 201: ledgerLineSchema } } }, async (q, reply) => reply.code(201).send(await service().addLedger(actorOf(q), q.body)));

  r.get('/api/v1/evaluation/years/:year', { config: read, schema: { tags, params: yearParams, response: { 200: yearEndSchema } } }, async (q) => service().yearEnd(q.params.year));
  r.get('/api/v1/evaluation/upper-ranks/:year', { config: read, schema: { tags, params: yearParams, response: { 200: upperRankListSchema } } }, async (q) => service().listUpperRanks(q.params.year));
  r.post('/api/v1/evaluation/upper-ranks', { config: write, schema: { tags, body: upperRankBody, response: { 201: upperRankSchema } } }, async (q, reply) => reply.code(201).send(await service().addUpperRank(actorOf(q), q.body)));
  // Weak indicator → 督办事项 (one step, through the supervision module).
  const matterCreated = z.object({ id: z.number().int(), number: z.string() }).meta({ id: 'EvalWeakMatter' });
  r.post('/api/v1/evaluation/upper-ranks/:id/matter', { config: { permission: 'matter.assign' }, schema: { tags, params: idParams, body: upperRankMatterBody, response: { 201: matterCreated } } },
    async (q, reply) => reply.code(201).send(await service().upperRankMatter(actorOf(q), q.params.id, q.body)));
  r.post('/api/v1/evaluation/months/:year/:month/units/:unitId/matter', { config: { permission: 'matter.assign' }, schema: { tags, params: unitParams, body: unitLineMatterBody, response: { 201: matterCreated } } },
    async (q, reply) => reply.code(201).send(await service().unitLineMatter(actorOf(q), q.params.year, q.params.month, q.params.unitId, q.body)));
}
