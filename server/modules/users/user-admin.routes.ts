import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import { ROLES } from '../../plugins/permissions.ts';
import type { UserService } from './user.service.ts';
import { okSchema, sessionsEndedSchema } from '../../platform/responses.ts';
import { adminUserListSchema, adminUserSchema, createdUserSchema, passwordResetSchema, pendingAccountsSchema } from './user-admin.responses.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const scopes = z.object({
  unit_ids: z.array(z.number().int().positive()).max(100).default([]),
  region_codes: z.array(z.string().regex(/^[0-9A-Z]{1,16}$/)).max(100).default([]),
});
const createBody = z.object({
  username: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9_.@-]+$/, '只能包含字母、数字和 _ . @ -'),
  display_name: z.string().trim().min(1).max(64),
  role: z.enum(ROLES),
  unit_id: z.number().int().positive().nullable().default(null),
  password: z.string().min(1).max(256).optional(),
  scopes: scopes.optional(),
});
const updateBody = z.object({
  display_name: z.string().trim().min(1).max(64).optional(),
  role: z.enum(ROLES).optional(),
  unit_id: z.number().int().positive().nullable().optional(),
  is_active: z.boolean().optional(),
  scopes: scopes.optional(),
}).strict();
const listQuery = z.object({
  q: z.string().max(64).optional(),
  role: z.enum(ROLES).optional(),
  unit_id: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

/** Account, role and data-scope administration for the system administrator (系统管理员). */
export function userAdminRoutes(app: FastifyInstance, users: () => UserService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cfg = { config: { permission: 'user.admin' as const } };
  r.get('/api/v1/admin/users', { ...cfg, schema: { tags: ['admin'], querystring: listQuery, response: { 200: adminUserListSchema } } }, async (request) => users().listUsers(request.query));
  r.get('/api/v1/admin/users/:id', { ...cfg, schema: { tags: ['admin'], params: idParams, response: { 200: adminUserSchema } } }, async (request) => users().getUser(request.params.id));
  r.post('/api/v1/admin/users', { ...cfg, schema: { tags: ['admin'], body: createBody, response: { 201: createdUserSchema } } }, async (request, reply) => {
    const b = request.body;
    const service = users();
    const { id, temporaryPassword } = await service.createUser(actorOf(request), {
      username: b.username, displayName: b.display_name, role: b.role, unitId: b.unit_id, password: b.password, scopes: b.scopes,
    });
    return reply.status(201).send({ ...(await service.getUser(id)), temporary_password: temporaryPassword });
  });
  r.patch('/api/v1/admin/users/:id', { ...cfg, schema: { tags: ['admin'], params: idParams, body: updateBody, response: { 200: adminUserSchema } } },
    async (request) => users().updateUser(actorOf(request), request.params.id, request.body));
  r.post('/api/v1/admin/users/:id/reset-password', {
    ...cfg, schema: { tags: ['admin'], params: idParams, body: z.object({ password: z.string().min(1).max(256).optional() }).optional(), response: { 200: passwordResetSchema } },
  }, async (request) => {
    const { temporaryPassword } = await users().resetPassword(actorOf(request), request.params.id, request.body?.password);
    return { ok: true, temporary_password: temporaryPassword };
  });
  r.post('/api/v1/admin/users/:id/unlock', { ...cfg, schema: { tags: ['admin'], params: idParams, response: { 200: okSchema } } }, async (request) => {
    await users().unlock(actorOf(request), request.params.id);
    return { ok: true };
  });
  // 三员: what the system administrator created or changed waits for the security administrator (安全保密管理员).
  const approvalCfg = { config: { permission: 'security.admin' as const } };
  r.get('/api/v1/security/pending-accounts', { ...approvalCfg, schema: { tags: ['security'], response: { 200: pendingAccountsSchema } } }, async () => ({ items: await users().listAwaitingApproval() }));
  r.post('/api/v1/security/pending-accounts/:id/approve', { ...approvalCfg, schema: { tags: ['security'], params: idParams, response: { 200: okSchema } } }, async (request) => {
    await users().approve(actorOf(request), request.params.id);
    return { ok: true };
  });
  r.post('/api/v1/admin/users/:id/logout-all', { ...cfg, schema: { tags: ['admin'], params: idParams, response: { 200: sessionsEndedSchema } } },
    async (request) => ({ ok: true, sessions_ended: await users().endSessions(actorOf(request), request.params.id) }));
}
