import { z } from 'zod';

export const todoListQuery = z.object({
  done: z.enum(['0', '1']).optional(),
  kind: z.string().max(200).optional(), // comma-separated kinds
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const todoSchema = z.object({
  id: z.number(), key: z.string(), kind: z.string(), title: z.string(), link: z.string(), dueOn: z.string().nullable(),
  entityType: z.string().nullable(), entityId: z.number().nullable(), createdAt: z.string(), doneAt: z.string().nullable(), overdue: z.boolean(),
});
export const todoListResponse = z.object({ today: z.string(), items: z.array(todoSchema) });
export const inboxCountResponse = z.object({ open: z.number(), overdue: z.number(), unread: z.number() });

export const notificationListQuery = z.object({ unread: z.enum(['0', '1']).optional() });
export const notificationListResponse = z.object({
  items: z.array(z.object({ id: z.number(), title: z.string(), body: z.string().nullable(), link: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable() })),
});
export const markReadBody = z.object({ ids: z.array(z.number().int().positive()).max(500).optional() }).strict();

export const attachmentParams = z.object({ id: z.coerce.number().int().positive() });
