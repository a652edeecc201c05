import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { $ZodType, safeParse } from 'zod/v4/core';

/**
 * The serializer for routes with a response schema (issue 15). The schemas are the API's contract: they feed the
 * OpenAPI document and, through it, the web's generated types (web/api/generated.ts). A response is written as
 * the handler returned it — JSON.stringify, as for a route without a schema — so declaring a schema changes
 * nothing a client sees and costs nothing per request. With `check` (the test app and the browser harness), every
 * response is first parsed against its schema and a mismatch fails the request with the route and the issues, so
 * a schema that drifts from what the service returns turns the tests red instead of misleading the web's types.
 */
export function responseSerializer(check: boolean): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    const zod = resolve(schema);
    if (!check || !zod) return (data) => JSON.stringify(data);
    return (data) => {
      const result = safeParse(zod, data);
      if (!result.success) {
        const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new Error(`response of ${method} ${url} does not match its schema: ${issues}`);
      }
      return JSON.stringify(data);
    };
  };
}

function resolve(schema: unknown): $ZodType | undefined {
  if (schema instanceof $ZodType) return schema;
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return properties instanceof $ZodType ? properties : undefined;
}
