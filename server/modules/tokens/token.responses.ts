import { z } from 'zod';

// Response schemas of the API token routes (issue 15): they feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();

/** A token as listed (never its secret). Permissions as stored: a permission renamed since still lists. */
export const apiTokenSchema = z.object({
  id: int, name: z.string(), user_id: int, permissions: z.array(z.string()), expires_at: z.string(), revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(), created_at: z.string(), created_by: int.nullable(),
}).meta({ id: 'ApiToken' });
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
/** A token just issued, with its secret (shown this once). */
export const issuedTokenSchema = apiTokenSchema.extend({ token: z.string() }).meta({ id: 'IssuedApiToken' });
