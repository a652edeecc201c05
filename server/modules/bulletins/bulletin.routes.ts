import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import { contentDisposition } from '../exports/index.ts';
import {
  actionSchema, bulletinCreateSchema, feedsSchema, bulletinListQuery, idParams, rankingQuerySchema, reasonActionSchema, templateWriteSchema, versionParams,
} from './bulletin.schema.ts';
import type { BulletinService } from './bulletin.service.ts';
import { docxToPdf } from './bulletin.pdf.ts';
import { bulletinListSchema, bulletinSchema, figuresAnswerSchema, rankingSchema, templateAnswerSchema } from './bulletin.responses.ts';
import { rankingWorkbook } from './ranking-export.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(reply: FastifyReply, type: string, fileName: string, bytes: Buffer) {
  return reply.header('content-type', type).header('content-disposition', contentDisposition(fileName)).send(bytes);
}

async function sendPdf(reply: FastifyReply, doc: { docx: Buffer; fileName: string }) {
  return sendFile(reply, 'application/pdf', doc.fileName.replace(/\.docx$/, '.pdf'), await docxToPdf(doc.docx));
}

/** Bulletins (通报): template, drafts, review and 签发, issued versions as .docx/.pdf, and the unit ranking (月讲评). */
export function bulletinRoutes(app: FastifyInstance, service: () => BulletinService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['bulletins'];

  r.get('/api/v1/bulletins/template', { config: { permission: 'bulletin.read' }, schema: { tags, response: { 200: templateAnswerSchema } } }, async () => service().getTemplate());
  r.put('/api/v1/bulletins/template', { config: { permission: 'bulletin.write' }, schema: { tags, body: templateWriteSchema, response: { 200: templateAnswerSchema } } },
    async (request) => service().putTemplate(actorOf(request), request.body.template, request.body.version));

  r.get('/api/v1/bulletins/ranking', { config: { permission: 'indicator.read', scopeRegion: 'query' }, schema: { tags, querystring: rankingQuerySchema, response: { 200: rankingSchema } } },
    async (request) => service().getRanking(actorOf(request), request.query));
  r.get('/api/v1/bulletins/ranking.xlsx', { config: { permission: 'indicator.read', audit: true, scopeRegion: 'query' }, schema: { tags, querystring: rankingQuerySchema } },
    async (request, reply) => {
      const { fileName, write } = await rankingWorkbook(service(), actorOf(request), request.query);
      const out = new PassThrough();
      reply.header('content-type', XLSX).header('content-disposition', contentDisposition(fileName));
      write(out).catch((err: unknown) => {
        request.log.error(err);
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply.send(out);
    });

  r.get('/api/v1/bulletins', { config: { permission: 'bulletin.read' }, schema: { tags, querystring: bulletinListQuery, response: { 200: bulletinListSchema } } },
    async (request) => ({ items: await service().list(request.query.year) }));
  r.post('/api/v1/bulletins', { config: { permission: 'bulletin.write', scopeRegion: 'body' }, schema: { tags, body: bulletinCreateSchema, response: { 201: bulletinSchema } } },
    async (request, reply) => reply.status(201).send(await service().create(actorOf(request), request.body)));
  r.get('/api/v1/bulletins/:id', { config: { permission: 'bulletin.read' }, schema: { tags, params: idParams, response: { 200: bulletinSchema } } },
    async (request) => service().get(request.params.id));
  r.delete('/api/v1/bulletins/:id', { config: { permission: 'bulletin.write' }, schema: { tags, params: idParams, response: { 204: z.void() } } },
    async (request, reply) => {
      await service().remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    });
  r.get('/api/v1/bulletins/:id/figures', { config: { permission: 'bulletin.read' }, schema: { tags, params: idParams, response: { 200: figuresAnswerSchema } } },
    async (request) => service().figures(request.params.id));
  r.get('/api/v1/bulletins/:id/document.docx', { config: { permission: 'bulletin.read', audit: true }, schema: { tags, params: idParams } },
    async (request, reply) => {
      const doc = await service().document(request.params.id);
      return sendFile(reply, DOCX, doc.fileName, doc.docx);
    });
  r.get('/api/v1/bulletins/:id/document.pdf', { config: { permission: 'bulletin.read', audit: true }, schema: { tags, params: idParams } },
    async (request, reply) => sendPdf(reply, await service().document(request.params.id)));
  r.get('/api/v1/bulletins/:id/versions/:revision/document.docx', { config: { permission: 'bulletin.read', audit: true }, schema: { tags, params: versionParams } },
    async (request, reply) => {
      const doc = await service().versionDocument(request.params.id, request.params.revision);
      return sendFile(reply, DOCX, doc.fileName, doc.docx);
    });
  r.get('/api/v1/bulletins/:id/versions/:revision/document.pdf', { config: { permission: 'bulletin.read', audit: true }, schema: { tags, params: versionParams } },
    async (request, reply) => sendPdf(reply, await service().versionDocument(request.params.id, request.params.revision)));

  r.put('/api/v1/bulletins/:id/feeds', { config: { permission: 'bulletin.write' }, schema: { tags, params: idParams, body: feedsSchema, response: { 200: bulletinSchema } } },
    async (request) => service().setOmittedFeeds(actorOf(request), request.params.id, request.body.version, request.body.omitted));
  r.post('/api/v1/bulletins/:id/submit', { config: { permission: 'bulletin.write' }, schema: { tags, params: idParams, body: actionSchema, response: { 200: bulletinSchema } } },
    async (request) => service().submit(actorOf(request), request.params.id, request.body.version));
  r.post('/api/v1/bulletins/:id/return', { config: { permission: 'bulletin.sign' }, schema: { tags, params: idParams, body: reasonActionSchema, response: { 200: bulletinSchema } } },
    async (request) => service().return(actorOf(request), request.params.id, request.body.version, request.body.reason));
  r.post('/api/v1/bulletins/:id/sign', { config: { permission: 'bulletin.sign' }, schema: { tags, params: idParams, body: actionSchema, response: { 200: bulletinSchema } } },
    async (request) => service().sign(actorOf(request), request.params.id, request.body.version));
  r.post('/api/v1/bulletins/:id/reissue', { config: { permission: 'bulletin.write' }, schema: { tags, params: idParams, body: reasonActionSchema, response: { 200: bulletinSchema } } },
    async (request) => service().reissue(actorOf(request), request.params.id, request.body.version, request.body.reason));
}
