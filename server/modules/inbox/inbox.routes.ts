import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../plugins/auth.ts';
import { contentDisposition } from '../exports/index.ts';
import type { InboxService } from './inbox.service.ts';
import {
  attachmentParams, inboxCountResponse, markReadBody, notificationListQuery, notificationListResponse, todoListQuery, todoListResponse,
} from './inbox.schema.ts';

/** The to-do inbox (待办), the header count, in-app notifications and attachment downloads. */
export function inboxRoutes(app: FastifyInstance, service: () => InboxService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['inbox'];
  r.get('/api/v1/todos', { config: { permission: 'inbox.read' }, schema: { tags, querystring: todoListQuery, response: { 200: todoListResponse } } },
    async (request) => {
      const q = request.query;
      return service().todos(actorOf(request), { done: q.done === '1', kinds: q.kind ? q.kind.split(',').filter(Boolean) : undefined, limit: q.limit, offset: q.offset });
    });
  r.get('/api/v1/todos/count', { config: { permission: 'inbox.read' }, schema: { tags, response: { 200: inboxCountResponse } } },
    async (request) => service().count(actorOf(request)));
  r.get('/api/v1/notifications', { config: { permission: 'inbox.read' }, schema: { tags, querystring: notificationListQuery, response: { 200: notificationListResponse } } },
    async (request) => service().notifications(actorOf(request), request.query.unread === '1'));
  r.post('/api/v1/notifications/read', { config: { permission: 'inbox.read' }, schema: { tags, body: markReadBody, response: { 200: inboxCountResponse } } },
    async (request) => service().markRead(actorOf(request), request.body.ids));
  r.get('/api/v1/attachments/:id', { config: { permission: 'inbox.read', audit: true }, schema: { tags, params: attachmentParams } },
    async (request, reply) => {
      const file = await service().download(actorOf(request), request.params.id);
      return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.data);
    });
}
