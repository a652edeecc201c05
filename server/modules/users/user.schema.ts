import { z } from 'zod';
import { PERMISSIONS, ROLES, type Permission } from '../../plugins/permissions.ts';

// Response schemas of sign-in and the current account (issue 15): they feed the OpenAPI document, from which
// web/api/generated.ts is generated. `.meta({ id })` names the type there.

export const roleSchema = z.enum(ROLES).meta({ id: 'Role' });
export const permissionSchema = z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]]).meta({ id: 'Permission' });

/** The signed-in account as the web sees it, with what it may do (the web asks `can(...)`, never the role). */
export const currentUserSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  unitId: z.number().int().nullable(),
  permissions: z.array(permissionSchema),
}).meta({ id: 'CurrentUser' });

export const meResponse = z.object({ user: currentUserSchema });

export const passwordPolicyResponse = z.object({ min_length: z.number().int(), min_classes: z.number().int(), text: z.string() });

export const loginResponse = z.object({
  user: currentUserSchema,
  csrf_token: z.string(),
  must_change_password: z.boolean(),
  password_expired: z.boolean(),
  password_expires_at: z.string().nullable(),
  last_login: z.object({ at: z.string(), ip: z.string().nullable() }).nullable(),
  password_reset: z.object({ at: z.string(), by: z.string().nullable() }).nullable(),
  sessions_ended: z.number().int(),
  session_idle_minutes: z.number().int(),
  password_policy: z.string(),
});

export const okResponse = z.object({ ok: z.boolean() });
